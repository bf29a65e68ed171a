// A fresh, migrated database for one test file: an in-memory PGlite, or — when DATABASE_URL
// points at PostgreSQL — a new database created on that server and dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDb, type DbHandle } from "~db/client.server";

export const usingPostgres = () => /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

export async function createScratchDatabase(adminUrl: string, prefix = "t"): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        // WITH (FORCE) cannot end an autovacuum worker busy in the database unless the role may
        // signal it (42501): that worker finishes soon, so wait and try again
        for (let attempt = 0; ; attempt++) {
          try {
            await c.query(`drop database if exists ${name} with (force)`);
            return;
          } catch (e) {
            if ((e as { code?: string }).code !== "42501" || attempt >= 50) throw e;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      } finally {
        await c.end();
      }
    },
  };
}

export interface TestDb extends DbHandle { cleanup(): Promise<void> }

/** `poolMax` (PostgreSQL only, default 5): concurrency tests want a production-sized pool. */
export async function openTestDb(opts: { poolMax?: number } = {}): Promise<TestDb> {
  if (usingPostgres()) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!);
    const handle = await openDb({ databaseUrl: scratch.url, poolMax: opts.poolMax ?? 5 });
    return { ...handle, cleanup: async () => { await handle.close(); await scratch.drop(); } };
  }
  const handle = await openDb({ pgliteDir: "memory://" });
  return { ...handle, cleanup: () => handle.close() };
}

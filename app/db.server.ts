// The process's database handle, opened once from the validated configuration.
// Kept on globalThis so that server.ts (graceful shutdown) and the Remix build share it.
import { config } from "~/config.server";
import { openDb, type AppDb, type DbHandle } from "~db/client.server";
import { seedCatalog } from "~db/seed";
import { seedDemoDossiers, seedDemoKiosks, seedDemoStaff } from "~db/seed-demo";

const g = globalThis as unknown as { __appDb?: Promise<DbHandle> };

export function dbHandle(): Promise<DbHandle> {
  g.__appDb ??= (async () => {
    const c = config();
    const handle = await openDb({
      databaseUrl: c.DATABASE_URL,
      pgliteDir: c.PGLITE_DIR,
      poolMax: c.PG_POOL_MAX,
    });
    if (c.SEED_ON_START) await seedCatalog(handle.db);
    // demo accounts by default everywhere but production
    if (c.SEED_DEMO_STAFF ?? c.NODE_ENV !== "production") {
      await seedDemoStaff(handle.db);
      await seedDemoDossiers(handle.db);
      await seedDemoKiosks(handle.db);
    }
    return handle;
  })();
  return g.__appDb;
}

export async function getDb(): Promise<AppDb> {
  return (await dbHandle()).db;
}

export async function closeDb(): Promise<void> {
  const p = g.__appDb;
  g.__appDb = undefined;
  if (p) await (await p).close();
}

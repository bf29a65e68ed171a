// tsx tests/support/scratch-db.ts create|drop URL — a throwaway database on the PostgreSQL
// server that DATABASE_URL points at (used by the browser tests).
import { createScratchDatabase } from "./db";

const [cmd, arg] = process.argv.slice(2);
if (cmd === "create") {
  const s = await createScratchDatabase(process.env.DATABASE_URL!, "e2e");
  console.log(s.url);
} else if (cmd === "drop" && arg) {
  const url = new URL(arg);
  const name = url.pathname.slice(1);
  if (!/^e2e_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
} else {
  console.error("usage: scratch-db.ts create | drop URL");
  process.exit(2);
}

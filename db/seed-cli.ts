// npm run db:seed — seeds the configured database (DATABASE_URL, or PGlite in PGLITE_DIR).
import { parseConfig } from "~/config.server";
import { openDb } from "./client.server";
import { seedCatalog } from "./seed";

const c = parseConfig(process.env);
const handle = await openDb({ databaseUrl: c.DATABASE_URL, pgliteDir: c.PGLITE_DIR });
try {
  const report = await seedCatalog(handle.db);
  console.log(JSON.stringify({ msg: "seeded", ...report }));
} finally {
  await handle.close();
}

// npm run worker — a standalone sync worker (PostgreSQL: run as many as you like; each claims
// different dossiers). With PGlite the web process runs the worker itself.
import { parseConfig } from "~/config.server";
import { log } from "~/modules/observability/logger.server";
import { runSyncWorker } from "~/modules/sync/sync.server";
import { nationalPortalFrom, syncWorkerOptions } from "~/wiring.server";
import { openDb } from "~db/client.server";

const c = parseConfig(process.env);
if (!c.DATABASE_URL) {
  console.error("npm run worker needs DATABASE_URL=postgres://…: with the embedded database, `npm start` runs the worker in-process.");
  process.exit(1);
}
const handle = await openDb({ databaseUrl: c.DATABASE_URL, poolMax: c.WORKER_POOL_MAX });
const stop = new AbortController();
process.on("SIGTERM", () => stop.abort());
process.on("SIGINT", () => stop.abort());
log.info("sync worker started", { pid: process.pid });
await runSyncWorker({
  db: handle.db,
  listen: handle.listen,
  portal: nationalPortalFrom(c),
  workerId: c.WORKER_ID ?? `worker-${process.pid}`,
  ...syncWorkerOptions(c),
  signal: stop.signal,
});
await handle.close();
log.info("sync worker stopped");

// npm run worker — a standalone sync worker (PostgreSQL: run as many as you like; each claims
// different dossiers). With PGlite the web process runs the worker itself.
import { parseConfig } from "~/config.server";
import { log } from "~/modules/observability/logger.server";
import { runSyncWorker } from "~/modules/sync/sync.server";
import { openDb } from "~db/client.server";
import { NationalPortalHttp } from "~integrations/national-portal/http";

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
  portal: new NationalPortalHttp({ baseUrl: c.NATIONAL_PORTAL_URL, username: c.NATIONAL_PORTAL_USERNAME, password: c.NATIONAL_PORTAL_PASSWORD, madonvi: c.NATIONAL_PORTAL_UNIT, timeoutMs: c.NATIONAL_PORTAL_TIMEOUT_MS }),
  workerId: c.WORKER_ID ?? `worker-${process.pid}`,
  concurrency: c.WORKER_CONCURRENCY,
  batchSize: c.WORKER_BATCH,
  lanes: c.WORKER_LANES,
  baseBackoffMs: c.SYNC_BACKOFF_BASE_MS,
  maxBackoffMs: c.SYNC_BACKOFF_MAX_MS,
  signal: stop.signal,
});
await handle.close();
log.info("sync worker stopped");

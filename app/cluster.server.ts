// WEB_CONCURRENCY > 1 (PostgreSQL only): server.ts becomes a primary that migrates and seeds
// once, then runs that many copies of itself as cluster workers and watches them. The primary
// accepts the connections and hands them to the workers in turn, so a new connection is taken
// at once even while every worker is busy. Sessions, caches' sources, rate limits and queues are
// in PostgreSQL: each worker is an ordinary instance. The background loops (sync, notifications,
// housekeeping, kiosk sweep) run in one worker only. See docs/decisions/013-web-concurrency.md.
import cluster, { type Worker } from "node:cluster";
import type { Config } from "~/config.server";
import { log } from "~/modules/observability/logger.server";

/** Resolves once every worker has stopped after SIGTERM/SIGINT. */
export function superviseWorkers(config: Config): Promise<void> {
  let stopping = false;
  const envOf = new Map<Worker, Record<string, string>>();
  // the primary has seeded: the workers only open the database (and find it migrated)
  const common = { SEED_ON_START: "false", SEED_DEMO_STAFF: "false" };
  const start = (env: Record<string, string>) => {
    const w = cluster.fork(env);
    envOf.set(w, env);
  };
  start({ ...common, SYNC_WORKER: String(config.SYNC_WORKER), NOTIFICATION_WORKER: String(config.NOTIFICATION_WORKER) });
  for (let i = 1; i < config.WEB_CONCURRENCY; i++) start({ ...common, SYNC_WORKER: "false", NOTIFICATION_WORKER: "false" });

  return new Promise((resolve) => {
    cluster.on("exit", (w, code, signal) => {
      const env = envOf.get(w)!;
      envOf.delete(w);
      if (stopping) {
        if (envOf.size === 0) resolve();
        return;
      }
      // a worker that died is replaced (after a pause, so a crash at start does not spin)
      log.error("web worker exited; starting another", { pid: w.process.pid, code, signal });
      setTimeout(() => !stopping && start(env), 1000);
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info("shutting down workers", { signal, workers: envOf.size });
      // each worker drains its in-flight requests (server.ts's own shutdown) and exits
      for (const w of envOf.keys()) w.process.kill("SIGTERM");
      if (envOf.size === 0) resolve();
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  });
}

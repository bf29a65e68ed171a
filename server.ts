// The portal's HTTP entry: Express + Remix, security headers, JSON logs with request ids,
// Prometheus metrics, and a graceful shutdown that lets in-flight requests finish.
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { spawn, type ChildProcess } from "node:child_process";
import cluster from "node:cluster";
import { superviseWorkers } from "~/cluster.server";
import { ConfigError, parseConfig, publicUrl } from "~/config.server";
import { runInboundPull } from "~/modules/sync/inbound-pull.server";
import { runReconcileSchedule } from "~/modules/sync/reconcile.server";
import { runSyncWorker } from "~/modules/sync/sync.server";
import { runNotificationWorker } from "~/modules/notifications/notifications.server";
import { runDraftHousekeeping } from "~/modules/filing/housekeeping.server";
import { runKioskIdleSweep } from "~/modules/kiosk/sessions.server";
import { emailAttachments } from "~/modules/notifications/attachments.server";
import { buildServices, syncWorkerOptions } from "~/wiring.server";
import { closeDb, dbHandle } from "~/db.server";
import { log, requestContext } from "~/modules/observability/logger.server";
import { i18nFor, plainAnswer } from "~/i18next.server";
import { boundRequestBodies, MAX_REQUEST_BODY_BYTES } from "~/lib/request-body.server";
import { createRouteMatcher, httpDuration, httpRequests, registry } from "~/modules/observability/metrics.server";

let cfg;
try {
  cfg = parseConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
const config = cfg;
process.env.LOG_LEVEL = config.LOG_LEVEL;

// WEB_CONCURRENCY > 1: this process migrates and seeds, then runs that many workers (each runs the
// rest of this file) and waits for them to stop (app/cluster.server.ts).
if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) {
  await dbHandle();
  await closeDb();
  log.info("starting web workers", { workers: config.WEB_CONCURRENCY, pid: process.pid });
  await superviseWorkers(config);
  log.info("stopped");
  process.exit(0);
}

const build = (await import(path.resolve("build/index.js"))) as ServerBuild;
const routeOf = createRouteMatcher(build.routes as never);

// Migrate and seed before accepting traffic: a portal that cannot reach its database fails fast.
const startedAt = performance.now();
const db = await dbHandle();
log.info("database ready", { driver: db.driver, ms: Math.round(performance.now() - startedAt) });

// The mock national portal, for the one-command start (integrators run it alone: npm run mock:national).
let mockProcess: ChildProcess | undefined;
let citizenMocks: ChildProcess | undefined;
if (config.START_MOCKS) {
  // e-ID, population, PayGov, mail and SMS mocks: one process, configured from the same variables
  citizenMocks = spawn(process.execPath, ["--import", "tsx", "integrations/dev-mocks.ts"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, PUBLIC_URL: publicUrl(config) },
  });
  mockProcess = spawn(process.execPath, ["--import", "tsx", "integrations/national-portal/mock/cli.ts", "--port", new URL(config.NATIONAL_PORTAL_URL).port || "4010"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      PROVINCE_PORTAL_URL: `http://${config.HOST}:${config.PORT}`,
      PROVINCE_INBOUND_URL: `http://${config.HOST}:${config.PORT}/api/dvcqg/ho-so`,
      NATIONAL_INBOUND_TOKEN: config.NATIONAL_INBOUND_TOKEN,
    },
  });
}

// The outside systems, built once; routes get them as context.services (app/wiring.server.ts).
const services = buildServices(config, emailAttachments(db.db));
const { nationalPortal, storage } = services;

// The sync worker runs in this process too (with PGlite it must: one process per database).
const workerStop = new AbortController();
const worker = config.SYNC_WORKER
  ? Promise.all([
      runSyncWorker({ db: db.db, listen: db.listen, portal: nationalPortal, workerId: `web-${process.pid}`, ...syncWorkerOptions(config), signal: workerStop.signal }),
      runInboundPull(db.db, nationalPortal, config.INBOUND_PULL_MS, workerStop.signal),
      runReconcileSchedule(db.db, nationalPortal, workerStop.signal),
    ]).catch((e: unknown) => log.error("sync worker stopped", { error: e }))
  : undefined;

const notifier = config.NOTIFICATION_WORKER
  ? Promise.all([runNotificationWorker(db.db, services.senders, workerStop.signal), runDraftHousekeeping(db.db, storage, workerStop.signal), runKioskIdleSweep(db.db, storage, workerStop.signal)])
  : undefined;

const app = express();
app.disable("x-powered-by");
if (config.TRUST_PROXY) app.set("trust proxy", config.TRUST_PROXY);

let stopping = false;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
const hostOf = (origin: string) => URL.parse(origin)?.host;

app.use((req, res, next) => {
  const incoming = req.get("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = requestId;
  res.locals.cspNonce = randomBytes(16).toString("base64");
  res.setHeader("X-Request-Id", requestId);
  // Once shutting down, every response asks its client to open a new connection elsewhere.
  if (stopping) res.setHeader("Connection", "close");
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = (res.locals.routeLabel as string | undefined) ?? routeOf(req.path);
    httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    httpDuration.observe({ method: req.method, route }, seconds);
    requestContext.run({ requestId }, () =>
      log.info("request", {
        method: req.method, path: req.path, route, status: res.statusCode, ms: Math.round(seconds * 1000),
      }),
    );
  });
  requestContext.run({ requestId }, next);
});

app.use(
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // forms may lead (by redirect) to the e-ID provider and the payment platform only
        formAction: ["'self'", new URL(config.VNEID_ISSUER).origin, new URL(config.PAYGOV_URL).origin],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(config.NODE_ENV === "production" ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.NODE_ENV === "production" ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: "deny" },
  }),
);
app.use(compression());

// ?lng=vi|en on any page persists the choice (the language switch is a plain link). On a kiosk
// (/quay) the choice is the citizen's: a browser-session cookie, expired when the session ends.
app.use((req, res, next) => {
  const lng = req.query.lng;
  if (lng === "vi" || lng === "en") {
    const maxAge = req.path.startsWith("/quay") ? undefined : 365 * 24 * 3600 * 1000;
    res.cookie("lng", lng, { path: "/", sameSite: "lax", httpOnly: true, maxAge, secure: config.NODE_ENV === "production" });
  }
  next();
});

// Kiosk mode runs on shared devices: nothing under /quay is ever stored by a cache or kept in the
// back-forward cache, whichever response it is (page, data request, redirect after an upload).
app.use("/quay", (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
});

// CSRF, first line: a browser's state-changing request from another site is refused outright
// (forms also carry per-session tokens). Server-to-server calls send no Origin and pass.
app.use((req, res, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
  const site = req.get("sec-fetch-site");
  const origin = req.get("origin");
  const host = req.get("host");
  // an Origin that is not a URL of this host — another site's, "null" (a sandboxed or opaque
  // page), or no URL at all — is refused like a cross-site one
  const crossSite = site === "cross-site" || (origin !== undefined && hostOf(origin) !== host);
  if (!crossSite) return next();
  void plainAnswer(req.originalUrl, req.get("cookie"), "errors.crossSite").then((text) => res.status(403).type("text/plain").send(text));
});

app.get("/metrics", async (_req, res) => {
  res.locals.routeLabel = "metrics";
  res.setHeader("Content-Type", registry.contentType);
  res.end(await registry.metrics());
});

// Static files: the build's fingerprinted assets, and the top-level files of public/ by name —
// so page requests never pay a filesystem lookup on their way to Remix.
const publicFiles = fs.readdirSync("public", { withFileTypes: true }).filter((f) => f.isFile()).map((f) => `/${f.name}`);
app.use(["/build", ...publicFiles], (_req, res, next) => {
  res.locals.routeLabel = "static";
  next();
});
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
for (const file of publicFiles) app.get(file, (_req, res) => res.sendFile(path.resolve(`public${file}`), { maxAge: "1h" }));

// Bodies a route leaves unread are drained after the answer, and no request reads past the limit.
app.use(boundRequestBodies(MAX_REQUEST_BODY_BYTES, async () => {
  const [vi, en] = await Promise.all([i18nFor("vi"), i18nFor("en")]);
  return `${vi.t("errors.bodyTooLarge", { lng: "vi" })}\n${en.t("errors.bodyTooLarge", { lng: "en" })}\n`;
}));
app.all(
  "*",
  createRequestHandler({
    build,
    // Remix sends error messages and stacks to the browser in any other mode (in the page's data and
    // in data requests); nothing here uses its dev server, so every mode is production to Remix.
    mode: "production",
    getLoadContext: (req, res) => ({ requestId: res.locals.requestId, cspNonce: res.locals.cspNonce, clientIp: req.ip ?? "unknown", services }),
  }),
);

// The last word on an error Express meets itself (a path it cannot decode, a static file it cannot
// send, a middleware's bug): a translated line with the request id, logged — never the stack that
// Express's own handler prints outside production.
app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (res.headersSent) return next(error);
  const given = (error as { status?: unknown } | null)?.status;
  const status = typeof given === "number" && given >= 400 && given < 500 ? given : 500;
  (status >= 500 ? log.error : log.warn)("request failed", { error, path: req.path, status });
  void plainAnswer(req.originalUrl, req.get("cookie"), status >= 500 ? "errors.serverPlain" : "errors.badRequestTitle", { id: res.locals.requestId as string })
    .then((text) => res.status(status).type("text/plain").send(text));
});

const server = app.listen(config.PORT, config.HOST, () => {
  log.info("listening", { url: `http://${config.HOST}:${config.PORT}`, pid: process.pid });
});
server.keepAliveTimeout = 65_000;

/**
 * SIGTERM/SIGINT: stop accepting connections, let every in-flight request finish (answering with
 * Connection: close), close idle keep-alive connections after a short grace, close the database,
 * exit — within a hard limit of 4.5 s.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("shutting down", { signal });
  const hardStop = setTimeout(() => {
    log.warn("shutdown deadline reached: closing remaining connections");
    server.closeAllConnections();
  }, 4000);
  hardStop.unref();
  // net.Server#close stops listening; http.Server#close would also drop idle keep-alive
  // connections at once, racing clients that are sending on them right now.
  const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
  // During the grace period busy connections get their answers with Connection: close; after it,
  // idle ones are closed (again every 250 ms, as in-flight requests finish).
  await new Promise((r) => setTimeout(r, config.SHUTDOWN_GRACE_MS));
  server.closeIdleConnections();
  const drain = setInterval(() => server.closeIdleConnections(), 250);
  await closed;
  clearInterval(drain);
  workerStop.abort();
  await worker;
  await notifier;
  mockProcess?.kill("SIGTERM");
  citizenMocks?.kill("SIGTERM");
  try {
    await closeDb();
  } catch (e) {
    log.error("closing the database failed", { error: e });
  }
  log.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

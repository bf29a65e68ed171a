// Configuration comes from the environment and is validated once, at start: a wrong or missing
// value stops the process with a message naming the variable and what it expects.
import { z } from "zod";

const port = (fallback: number) =>
  z.coerce
    .number({ message: "expected a TCP port number (1-65535)" })
    .int("expected a TCP port number (1-65535)")
    .min(1, "expected a TCP port number (1-65535)")
    .max(65535, "expected a TCP port number (1-65535)")
    .default(fallback);

const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);

/** A true/false switch ("true" | "false" | "1" | "0"). */
const flag = (fallback: "true" | "false") =>
  z.enum(["true", "false", "1", "0"], { message: "expected true or false" }).default(fallback).transform((v) => v === "true" || v === "1");

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "expected a postgres:// or postgresql:// connection URL")
      .optional(),
  ),
  PGLITE_DIR: z.string().min(1).default("data/pglite"),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Web processes (PostgreSQL only): above 1, a primary runs this many workers (docs/decisions/013). Each has its own pool of PG_POOL_MAX. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Express "trust proxy": set when the portal runs behind a reverse proxy. */
  TRUST_PROXY: z.preprocess(emptyToUndefined, z.string().optional()),
  /** Seed the catalogue (idempotent) at start. */
  SEED_ON_START: flag("true"),
  /** Expose /bench/* routes used by tests/bench (never in a real deployment). */
  BENCH_ROUTES: flag("false"),
  NATIONAL_PORTAL_URL: z.string().url("expected the national portal's base URL").default("http://127.0.0.1:4010"),
  NATIONAL_PORTAL_USERNAME: z.string().min(1).default("h49"),
  NATIONAL_PORTAL_PASSWORD: z.string().min(1).default("h49-secret"),
  NATIONAL_PORTAL_UNIT: z.string().regex(/^[0-9A-Z]{2,3}(\.[0-9A-Z]{2,3}){3}$/, "expected an electronic agency code like 000.00.00.H49").default("000.00.00.H49"),
  NATIONAL_PORTAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  /** Run a sync worker inside the web process (always so with PGlite: one process per database). */
  SYNC_WORKER: flag("true"),
  /** The sync worker (npm run worker; the in-process one too, both through app/wiring.server.ts): dossiers claimed per tick, batches in flight, calls in flight per batch. */
  WORKER_BATCH: z.coerce.number().int().min(1).max(500).default(50),
  WORKER_LANES: z.coerce.number().int().min(1).max(16).default(2),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  WORKER_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  WORKER_ID: z.preprocess(emptyToUndefined, z.string().regex(/^[\w.:-]{1,64}$/, "expected letters, digits, . : _ - (at most 64)").optional()),
  SYNC_BACKOFF_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  SYNC_BACKOFF_MAX_MS: z.coerce.number().int().min(100).max(3_600_000).default(300_000),
  /** How long a worker holds the dossiers it claimed (renewed every third of it while it works on them). */
  SYNC_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(300_000),
  /** Send queued emails and SMS from this process. */
  NOTIFICATION_WORKER: flag("true"),
  /** Start the mock national services beside the portal (the one-command development start). */
  START_MOCKS: flag("true"),
  /** Bearer token the national portal presents on our inbound endpoint. */
  NATIONAL_INBOUND_TOKEN: z.string().min(16, "expected a secret of at least 16 characters").default("dev-inbound-token-change-me"),
  /** How often to pull dossiers filed on the national portal (the fallback for lost pushes). */
  INBOUND_PULL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** Seed demo staff accounts (README) — development and tests only. */
  SEED_DEMO_STAFF: z
    .enum(["true", "false", "1", "0"], { message: "expected true or false" })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true" || v === "1")),
  /** The portal's public base URL (e-ID redirect URI, QR codes, links in emails); default http://HOST:PORT. */
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.string().url("expected the portal's public base URL").optional()),
  /** The national e-ID (OpenID Connect) provider and this portal's client registration. */
  VNEID_ISSUER: z.string().url("expected the OpenID provider's issuer URL").default("http://127.0.0.1:4020"),
  VNEID_CLIENT_ID: z.string().min(1).default("qn-portal"),
  VNEID_CLIENT_SECRET: z.string().min(8, "expected the client secret").default("dev-vneid-secret"),
  /** The population database (prefill). */
  POPULATION_URL: z.string().url("expected the population service's base URL").default("http://127.0.0.1:4030"),
  POPULATION_TOKEN: z.string().min(8).default("dev-population-token"),
  /** Outgoing mail (SMTP URL) and the SMS gateway. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "expected smtp://host:port or smtps://user:pass@host:port").default("smtp://127.0.0.1:1025"),
  MAIL_FROM: z.string().min(3).default("Cổng Dịch vụ công Quảng Ninh <no-reply@dichvucong.quangninh.gov.vn>"),
  SMS_URL: z.string().url("expected the SMS gateway's base URL").default("http://127.0.0.1:4026"),
  SMS_TOKEN: z.string().min(8).default("dev-sms-token"),
  /** The national payment platform (PayGov): partner code, secret for MaXacThuc, base URL. */
  PAYGOV_URL: z.string().url("expected the payment platform's base URL").default("http://127.0.0.1:4040"),
  PAYGOV_PARTNER: z.string().min(2).default("QNI"),
  PAYGOV_SECRET: z.string().min(8).default("dev-paygov-secret"),
  /** Uploaded files: local disk (default) or an S3-compatible bucket. */
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  STORAGE_DIR: z.string().min(1).default("data/files"),
  S3_ENDPOINT: z.preprocess(emptyToUndefined, z.string().url().optional()),
  S3_BUCKET: z.preprocess(emptyToUndefined, z.string().optional()),
  S3_REGION: z.string().default("us-east-1"),
  S3_ACCESS_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
  S3_SECRET_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
  /** clamd for upload scanning (host:port); unset = files are marked clean without a scan (production refuses that unless ALLOW_UNSCANNED_UPLOADS). */
  CLAMD: z.preprocess(emptyToUndefined, z.string().regex(/^[^:]+:\d+$/, "expected host:port").optional()),
  /** Production without CLAMD: accept uploads unscanned anyway (an explicit, visible choice). */
  ALLOW_UNSCANNED_UPLOADS: flag("false"),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(1500),
  /** Kiosk mode: an assisted session with no activity for this long is locked and ended. */
  KIOSK_IDLE_SECONDS: z.coerce.number().int().min(15).max(3600).default(120),
  /** Kiosk mode: how long a consent code sent by SMS stays valid. */
  KIOSK_CODE_TTL_SECONDS: z.coerce.number().int().min(30).max(1800).default(300),
});

export type Config = z.infer<typeof ConfigSchema>;

const DEV_TOKEN = "dev-inbound-token-change-me";

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = i.path.join(".");
        const got = env[name];
        return `${name}: ${i.message}${got === undefined ? " (not set)" : ` (got "${got}")`}`;
      }),
    );
  }
  if (parsed.data.NODE_ENV === "production" && parsed.data.NATIONAL_INBOUND_TOKEN === DEV_TOKEN && !parsed.data.START_MOCKS) {
    throw new ConfigError([`NATIONAL_INBOUND_TOKEN: expected a secret of your own in production (not set)`]);
  }
  // production talks to the real national services: their credentials must be its own
  if (parsed.data.NODE_ENV === "production" && !parsed.data.START_MOCKS) {
    const devDefaults: [keyof Config, string][] = [
      ["VNEID_CLIENT_SECRET", "dev-vneid-secret"], ["POPULATION_TOKEN", "dev-population-token"],
      ["PAYGOV_SECRET", "dev-paygov-secret"], ["SMS_TOKEN", "dev-sms-token"],
    ];
    const problems = devDefaults.filter(([k, v]) => parsed.data[k] === v).map(([k]) => `${k}: expected a secret of your own in production (not set)`);
    if (problems.length) throw new ConfigError(problems);
  }
  // citizens' uploads reach officials' screens: production scans them unless told in so many words not to
  if (parsed.data.NODE_ENV === "production" && !parsed.data.CLAMD && !parsed.data.ALLOW_UNSCANNED_UPLOADS) {
    throw new ConfigError([`CLAMD: expected host:port of clamd in production, to scan uploads (not set; ALLOW_UNSCANNED_UPLOADS=true accepts them unscanned)`]);
  }
  if (parsed.data.WEB_CONCURRENCY > 1 && !parsed.data.DATABASE_URL) {
    throw new ConfigError([`WEB_CONCURRENCY: more than one web process needs PostgreSQL (DATABASE_URL): an embedded database belongs to one process`]);
  }
  if (parsed.data.WEB_CONCURRENCY > 1 && parsed.data.START_MOCKS) {
    throw new ConfigError([`WEB_CONCURRENCY: more than one web process runs without the mock services (set START_MOCKS=false)`]);
  }
  if (parsed.data.STORAGE_DRIVER === "s3" && !(parsed.data.S3_ENDPOINT && parsed.data.S3_BUCKET && parsed.data.S3_ACCESS_KEY && parsed.data.S3_SECRET_KEY)) {
    throw new ConfigError([`S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY: all expected with STORAGE_DRIVER=s3`]);
  }
  return parsed.data;
}

/** The portal's public base URL, without a trailing slash. */
export function publicUrl(c: Config = config()): string {
  return (c.PUBLIC_URL ?? `http://${c.HOST === "0.0.0.0" ? "127.0.0.1" : c.HOST}:${c.PORT}`).replace(/\/$/, "");
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

// The composition root's factories: each outside system built from the validated configuration,
// by server.ts and every CLI alike (docs/decisions/020). Modules never import this file; they take
// what they need (storage, population, paygov, senders, the national portal) as arguments.
// Nothing here loads a PDF renderer: the email attachments come in from the caller, so the
// standalone worker, which needs only the national client, stays small.
import path from "node:path";
import type { Config } from "~/config.server";
import type { Senders } from "~/modules/notifications/notifications.server";
import { createStorage, type FileStorage } from "~/modules/storage/storage.server";
import type { WorkerOptions } from "~/modules/sync/sync.server";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import type { NationalPortal } from "~integrations/national-portal/port";
import { SmtpMailSender } from "~integrations/notify/mail/smtp";
import { HttpSmsSender } from "~integrations/notify/sms/http";
import { PaygovHttp } from "~integrations/paygov/http";
import type { PaymentGateway } from "~integrations/paygov/port";
import { PopulationRegistryHttp } from "~integrations/population/http";
import type { PopulationRegistry } from "~integrations/population/port";

/** What server.ts hands every loader and action as `context.services`. */
export interface Services {
  storage: FileStorage;
  population: PopulationRegistry;
  paygov: PaymentGateway;
  senders: Senders;
  nationalPortal: NationalPortal;
}

export function nationalPortalFrom(c: Config): NationalPortal {
  return new NationalPortalHttp({
    baseUrl: c.NATIONAL_PORTAL_URL, username: c.NATIONAL_PORTAL_USERNAME, password: c.NATIONAL_PORTAL_PASSWORD,
    madonvi: c.NATIONAL_PORTAL_UNIT, timeoutMs: c.NATIONAL_PORTAL_TIMEOUT_MS,
  });
}

/** The sync worker's tuning (WORKER_*, SYNC_BACKOFF_*, SYNC_LEASE_MS), the same for the in-process and the standalone worker. */
export function syncWorkerOptions(c: Config): Required<Pick<WorkerOptions, "batchSize" | "lanes" | "concurrency" | "leaseMs" | "baseBackoffMs" | "maxBackoffMs">> {
  return {
    batchSize: c.WORKER_BATCH, lanes: c.WORKER_LANES, concurrency: c.WORKER_CONCURRENCY,
    leaseMs: c.SYNC_LEASE_MS, baseBackoffMs: c.SYNC_BACKOFF_BASE_MS, maxBackoffMs: c.SYNC_BACKOFF_MAX_MS,
  };
}

/** Where uploaded files live (STORAGE_DRIVER): a local directory or an S3-compatible bucket. */
export function storageFrom(c: Config): FileStorage {
  // parseConfig has checked that every S3_* value is there with STORAGE_DRIVER=s3
  return c.STORAGE_DRIVER === "s3"
    ? createStorage({ driver: "s3", endpoint: c.S3_ENDPOINT!, bucket: c.S3_BUCKET!, region: c.S3_REGION, accessKey: c.S3_ACCESS_KEY!, secretKey: c.S3_SECRET_KEY! })
    : createStorage({ driver: "local", dir: path.resolve(c.STORAGE_DIR) });
}

/** Email (SMTP) and SMS; `attachmentsFor` adds files to an email (server.ts: the receipt slip and letters). */
export function sendersFrom(c: Config, attachmentsFor?: Senders["attachmentsFor"]): Senders {
  return {
    mail: new SmtpMailSender({ url: c.SMTP_URL, from: c.MAIL_FROM, timeoutMs: 15_000 }),
    sms: new HttpSmsSender({ baseUrl: c.SMS_URL, token: c.SMS_TOKEN, timeoutMs: 10_000 }),
    attachmentsFor,
  };
}

/** Every outside system of the web process, built once. */
export function buildServices(c: Config, attachmentsFor?: Senders["attachmentsFor"]): Services {
  return {
    storage: storageFrom(c),
    population: new PopulationRegistryHttp({ baseUrl: c.POPULATION_URL, token: c.POPULATION_TOKEN, timeoutMs: 5000 }),
    paygov: new PaygovHttp({ baseUrl: c.PAYGOV_URL, partnerCode: c.PAYGOV_PARTNER, secret: c.PAYGOV_SECRET, timeoutMs: 10_000 }),
    senders: sendersFrom(c, attachmentsFor),
    nationalPortal: nationalPortalFrom(c),
  };
}

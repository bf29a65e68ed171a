// The outside systems this process talks to, built once from the validated configuration. The
// app depends on each system's port; which implementation answers is configuration only.
import path from "node:path";
import { config } from "~/config.server";
import { receiptForDossier } from "~/modules/filing/receipt.server";
import { letterForNotification } from "~/modules/letters/letters.server";
import type { Senders } from "~/modules/notifications/notifications.server";
import { createStorage, type FileStorage } from "~/modules/storage/storage.server";
import type { AppDb } from "~db/client.server";
import { SmtpMailSender } from "~integrations/notify/mail/smtp";
import { HttpSmsSender } from "~integrations/notify/sms/http";
import { PopulationRegistryHttp } from "~integrations/population/http";
import type { PopulationRegistry } from "~integrations/population/port";
import { PaygovHttp } from "~integrations/paygov/http";
import type { PaymentGateway } from "~integrations/paygov/port";

const g = globalThis as unknown as { __population?: PopulationRegistry };

export function population(): PopulationRegistry {
  const c = config();
  g.__population ??= new PopulationRegistryHttp({ baseUrl: c.POPULATION_URL, token: c.POPULATION_TOKEN, timeoutMs: 5000 });
  return g.__population;
}

const gp = globalThis as unknown as { __paygov?: PaymentGateway };
export function paygov(): PaymentGateway {
  const c = config();
  gp.__paygov ??= new PaygovHttp({ baseUrl: c.PAYGOV_URL, partnerCode: c.PAYGOV_PARTNER, secret: c.PAYGOV_SECRET, timeoutMs: 10_000 });
  return gp.__paygov;
}

const gs = globalThis as unknown as { __storage?: FileStorage };
/** Where uploaded files live (STORAGE_DRIVER): a local directory or an S3-compatible bucket. */
export function storage(): FileStorage {
  const c = config();
  gs.__storage ??= c.STORAGE_DRIVER === "s3"
    ? createStorage({ driver: "s3", endpoint: c.S3_ENDPOINT!, bucket: c.S3_BUCKET!, region: c.S3_REGION, accessKey: c.S3_ACCESS_KEY!, secretKey: c.S3_SECRET_KEY! })
    : createStorage({ driver: "local", dir: path.resolve(c.STORAGE_DIR) });
  return gs.__storage;
}

const gn = globalThis as unknown as { __senders?: Senders };
/** Email (SMTP) and SMS senders; the "submitted" email carries the receipt slip, a refusal or apology email its letter. */
export function senders(db: AppDb): Senders {
  const c = config();
  gn.__senders ??= {
    mail: new SmtpMailSender({ url: c.SMTP_URL, from: c.MAIL_FROM, timeoutMs: 15_000 }),
    sms: new HttpSmsSender({ baseUrl: c.SMS_URL, token: c.SMS_TOKEN, timeoutMs: 10_000 }),
    attachmentsFor: async (row) => {
      if (!row.dossierId) return [];
      if (row.template === "refused" || row.template === "apology") {
        const letter = await letterForNotification(db, row.dossierId, (row.params as Record<string, unknown>).letter, row.locale === "en" ? "en" : "vi");
        return letter ? [{ filename: letter.fileName, content: letter.pdf, contentType: "application/pdf" }] : [];
      }
      if (row.template !== "submitted") return [];
      const receipt = await receiptForDossier(db, row.dossierId, row.locale === "en" ? "en" : "vi");
      return receipt ? [{ filename: `bien-nhan-${receipt.code}.pdf`, content: receipt.pdf, contentType: "application/pdf" }] : [];
    },
  };
  return gn.__senders;
}

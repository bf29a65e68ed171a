// Email and SMS to citizens, through an outbox: the transaction that causes a message writes it
// (so a rolled-back submission sends nothing and a committed one is never forgotten); workers on
// any instance claim due rows with SKIP LOCKED, send, and retry with backoff. Messages are in the
// citizen's language.
import { eq, sql } from "drizzle-orm";
import { type Lng } from "~/i18n";
import { i18nFor } from "~/i18next.server";
import { log } from "~/modules/observability/logger.server";
import { selectRows, type AppDb, type AppTx } from "~db/client.server";
import { notifications } from "~db/schema";
import type { MailSender, SmsSender } from "~integrations/notify/port";
import { sleepUnlessAborted } from "~/lib/sleep";

export type Template = "submitted" | "status" | "supplement" | "refused" | "apology" | "draftReminder";
export type NotificationRow = typeof notifications.$inferSelect;

export interface NewNotification {
  dossierId?: string | null;
  channel: "email" | "sms";
  recipient: string;
  locale: "vi" | "en";
  template: Template;
  params: Record<string, string | number>;
}

export async function enqueueNotification(tx: AppTx | AppDb, n: NewNotification): Promise<void> {
  await tx.insert(notifications).values({ ...n, dossierId: n.dossierId ?? null });
}

/** Subject and body of a message, from locales/{vi,en} (notify.*). */
export async function renderMessage(template: Template, locale: Lng, params: Record<string, string | number>) {
  const i18n = await i18nFor(locale);
  // a status travels as its national code and is shown in the reader's language
  const shown = typeof params.status === "number" ? { ...params, status: i18n.t(`desk.s.${params.status}`) } : params;
  const t = (k: string) => i18n.t(`notify.${template}.${k}`, { ...shown, interpolation: { escapeValue: false } });
  return { subject: t("subject"), text: t("body"), sms: t("sms") };
}

export interface Senders {
  mail: MailSender;
  sms: SmsSender;
  /** Attachments for an email (e.g. the receipt slip for "submitted"). */
  attachmentsFor?: (row: NotificationRow) => Promise<{ filename: string; content: Uint8Array; contentType: string }[]>;
}

const MAX_ATTEMPTS = 8;

/** Sends what is due; returns how many were sent. Safe to run on many instances at once. */
export async function deliverDue(db: AppDb, senders: Senders, opts: { limit?: number; workerId?: string } = {}): Promise<number> {
  const claimed = await selectRows<{ id: string }>(
    db,
    sql`update ${notifications} set locked_until = now() + interval '2 minutes', attempts = attempts + 1
        where id in (select id from ${notifications} where status = 'pending' and next_attempt_at <= now()
                     and (locked_until is null or locked_until < now())
                     order by next_attempt_at limit ${opts.limit ?? 20} for update skip locked)
        returning id`,
  );
  let sent = 0;
  for (const { id } of claimed) {
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
    if (!row) continue;
    const msg = await renderMessage(row.template as Template, row.locale === "en" ? "en" : "vi", row.params as Record<string, string | number>);
    const result = row.channel === "sms"
      ? await senders.sms.send({ to: row.recipient, text: msg.sms, ref: row.id })
      : await senders.mail.send({ to: row.recipient, subject: msg.subject, text: msg.text, messageId: `<${row.id}@dichvucong.quangninh.gov.vn>`, attachments: senders.attachmentsFor ? await senders.attachmentsFor(row) : undefined });
    if (result.ok) {
      await db.update(notifications).set({ status: "sent", sentAt: sql`now()`, lockedUntil: null, lastError: null }).where(eq(notifications.id, id));
      sent++;
      continue;
    }
    const dead = !result.retryable || row.attempts >= MAX_ATTEMPTS;
    const backoffS = Math.min(3600, 5 * 2 ** Math.max(0, row.attempts - 1));
    await db.update(notifications).set({
      status: dead ? "dead" : "pending", lockedUntil: null, lastError: String(result.error).slice(0, 500),
      nextAttemptAt: sql`now() + ${`${backoffS} seconds`}::interval`,
    }).where(eq(notifications.id, id));
    log.warn("notification not sent", { id, channel: row.channel, dead, error: String(result.error) });
  }
  return sent;
}

/** The delivery loop beside the sync worker. */
export async function runNotificationWorker(db: AppDb, senders: Senders, signal: AbortSignal, pollMs = 1000): Promise<void> {
  while (!signal.aborted) {
    let n = 0;
    try {
      n = await deliverDue(db, senders);
    } catch (error) {
      log.error("notification worker", { error: String(error) });
    }
    if (n === 0) await sleepUnlessAborted(pollMs, signal);
  }
}

// Draft housekeeping: a reminder a few days before a draft expires, then the expired draft and
// its files are removed. Runs hourly on every instance; each step is safe to run concurrently
// (the reminder is claimed by an UPDATE … RETURNING, deletions are idempotent).
import { and, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { config, publicUrl } from "~/config.server";
import { rescanThisHour } from "~/modules/attachments/rescan.server";
import { enqueueNotification } from "~/modules/notifications/notifications.server";
import { formatVnDate } from "~/modules/forms/validators";
import { log } from "~/modules/observability/logger.server";
import type { FileStorage } from "~/modules/storage/storage.server";
import type { AppDb } from "~db/client.server";
import { attachments, citizens, drafts, procedures } from "~db/schema";
import { collectGarbage } from "./documents.server";
import { DRAFT_REMINDER_DAYS } from "./filing.server";
import { sleepUnlessAborted } from "~/lib/sleep";

export async function draftHousekeeping(db: AppDb, storage: FileStorage, now = new Date()): Promise<{ reminded: number; expired: number }> {
  // remind: open drafts expiring within the reminder window, not yet reminded (claimed atomically)
  const soon = new Date(now.getTime() + DRAFT_REMINDER_DAYS * 86_400_000);
  const reminded = await db.transaction(async (tx) => {
    const due = await tx.update(drafts).set({ reminderSentAt: now })
      .where(and(isNull(drafts.submittedDossierId), isNull(drafts.reminderSentAt), gt(drafts.expiresAt, now), lte(drafts.expiresAt, soon)))
      .returning({ id: drafts.id, citizenId: drafts.citizenId, procedureCode: drafts.procedureCode, expiresAt: drafts.expiresAt });
    for (const d of due) {
      const [c] = await tx.select({ phone: citizens.phone, email: citizens.email, locale: citizens.locale, nameVi: procedures.nameVi, nameEn: procedures.nameEn })
        .from(citizens).innerJoin(procedures, eq(procedures.code, d.procedureCode)).where(eq(citizens.id, d.citizenId));
      if (!c) continue;
      const locale = c.locale === "en" ? "en" : "vi";
      const params = { procedure: locale === "en" ? c.nameEn : c.nameVi, date: formatVnDate(new Date(d.expiresAt.getTime() + 7 * 3600_000)), url: `${publicUrl()}/ho-so` };
      if (c.phone) await enqueueNotification(tx, { channel: "sms", recipient: c.phone, locale, template: "draftReminder", params });
      if (c.email) await enqueueNotification(tx, { channel: "email", recipient: c.email, locale, template: "draftReminder", params });
    }
    return due.length;
  });
  // expire: drafts past their date go, with the files only they held
  const gone = await db.transaction(async (tx) => {
    const expired = await tx.delete(drafts).where(and(isNull(drafts.submittedDossierId), lte(drafts.expiresAt, now))).returning({ id: drafts.id });
    if (!expired.length) return { count: 0, shas: [] as string[] };
    const files = await tx.delete(attachments).where(and(isNull(attachments.draftId), isNull(attachments.dossierId), sql`${attachments.citizenId} is not null`)).returning({ sha256: attachments.sha256 });
    return { count: expired.length, shas: files.map((f) => f.sha256) };
  });
  await collectGarbage(db, storage, gone.shas);
  if (reminded || gone.count) log.info("draft housekeeping", { reminded, expired: gone.count });
  return { reminded, expired: gone.count };
}

/** The hourly job: draft reminders and expiry, then the rescan of quarantined (`pending`) files. */
export async function runDraftHousekeeping(db: AppDb, storage: FileStorage, signal: AbortSignal, everyMs = 3600_000) {
  while (!signal.aborted) {
    await draftHousekeeping(db, storage).catch((error: unknown) => log.error("draft housekeeping", { error: String(error) }));
    await rescanThisHour(db, storage, { clamd: config().CLAMD }).catch((error: unknown) => log.error("attachment rescan", { error: String(error) }));
    await sleepUnlessAborted(everyMs, signal);
  }
}

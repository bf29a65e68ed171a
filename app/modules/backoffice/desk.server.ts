// The one-stop desk: an agency's queue, a dossier's file, and the actions on it. Officials see
// and act on their own agency's dossiers only; every look at personal data and every refused
// attempt is audited.
import { and, desc, eq, ilike, lt, or, sql } from "drizzle-orm";
import { appError, err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { changeStatus, loadCalendar, notifyApplicant, type StatusChange } from "~/modules/dossiers/dossiers.server";
import type { InspectedFile } from "~/modules/attachments/upload.server";
import type { FileStorage } from "~/modules/storage/storage.server";
import { attachResults, forgetResults, ResultErrors, storeResultFiles, type StoredResult } from "~/modules/results/results.server";
import { canReschedule, canTransition } from "~/modules/dossiers/status";
import { endOfWorkingDay, vnDay } from "~/modules/deadlines/working-time";
import { formatLetterDate } from "~/modules/letters/letters-pdf.server";
import { agencyLetterPdf, lettersOf, writeApologyLetter, writeRefusalNotice } from "~/modules/letters/letters.server";
import type { Lng } from "~/i18n";
import { enqueueSync } from "~/modules/sync/sync.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { attachments, dossierEvents, dossierLetters, dossiers } from "~db/schema";
import type { QueueQuery } from "./desk.schema";
import { ACTIONS, mayAct, mayReschedule, NEEDS_NOTE, type DeskAction } from "./permissions";

const PAGE = 25;
const E = {
  notFound: () => appError("desk.not_found", 404, "desk.errors.notFound"),
  forbidden: () => appError("desk.forbidden", 403, "desk.errors.forbidden"),
  noteRequired: () => appError("desk.note_required", 400, "desk.errors.noteRequired"),
  rescheduleNotNow: () => appError("letters.not_now", 409, "letters.errors.notNow"),
  reasonRequired: () => appError("letters.reason_required", 400, "letters.errors.reasonRequired"),
  badDate: () => appError("letters.bad_date", 400, "letters.errors.badDate"),
  notWorkingDay: (date: string) => appError("letters.not_working_day", 400, "letters.errors.notWorkingDay", { date }),
  notAfterToday: () => appError("letters.not_after_today", 400, "letters.errors.notAfterToday"),
  notLater: (date: string) => appError("letters.not_later", 400, "letters.errors.notLater", { date }),
  tooFar: () => appError("letters.too_far", 400, "letters.errors.tooFar"),
};

/** A new appointment further than this is a typing mistake, not a plan. */
const MAX_RESCHEDULE_DAYS = 366;

export async function listQueue(db: AppDb, staff: StaffUser, q: QueueQuery) {
  const conds = [eq(dossiers.agencyCode, staff.agencyCode)];
  if (q.status) conds.push(eq(dossiers.status, q.status));
  if (q.channel) conds.push(eq(dossiers.channel, q.channel));
  if (q.due === "overdue") conds.push(sql`${dossiers.dueAt} < now() and ${dossiers.status} in (2, 4, 5, 6)`);
  if (q.due === "soon") conds.push(sql`${dossiers.dueAt} between now() and now() + interval '2 days' and ${dossiers.status} in (2, 4, 5, 6)`);
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, "")}%`;
    conds.push(or(ilike(dossiers.code, like), ilike(dossiers.applicantName, like), eq(dossiers.applicantIdNumber, q.q))!);
  }
  if (q.after) {
    const [ms, id] = q.after.split("_");
    const at = new Date(Number(ms));
    conds.push(or(lt(dossiers.submittedAt, at), and(eq(dossiers.submittedAt, at), lt(dossiers.id, id)))!);
  }
  const rows = await db
    .select({ id: dossiers.id, code: dossiers.code, procedureName: dossiers.procedureName, applicantName: dossiers.applicantName, status: dossiers.status, channel: dossiers.channel, submittedAt: dossiers.submittedAt, dueAt: dossiers.dueAt,
      rescheduled: sql<boolean>`exists (select 1 from ${dossierLetters} l where l.dossier_id = ${dossiers}.id and l.kind = 'apology')` })
    .from(dossiers).where(and(...conds)).orderBy(desc(dossiers.submittedAt), desc(dossiers.id)).limit(PAGE + 1);
  const page = rows.slice(0, PAGE);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString(), dueAt: r.dueAt?.toISOString() ?? null, overdue: !!r.dueAt && r.dueAt < new Date() && [2, 4, 5, 6].includes(r.status) })),
    next: rows.length > PAGE && last ? `${last.submittedAt.getTime()}_${last.id}` : null,
  };
}

async function auditRefusal(db: AppDb, staff: StaffUser, code: string, action: string, device?: string) {
  await db.transaction((tx) => appendAudit(tx, { actorKind: "official", actorId: staff.username, device, action: "desk.refused_access", subjectKind: "dossier", subjectId: code, details: { attempted: action } }));
}

export async function openDossier(db: AppDb, staff: StaffUser, code: string, device?: string) {
  const [d] = await db.select().from(dossiers).where(eq(dossiers.code, code));
  if (!d) return err(E.notFound());
  if (d.agencyCode !== staff.agencyCode) {
    await auditRefusal(db, staff, code, "view", device);
    return err(E.notFound()); // another agency's dossier: indistinguishable from none
  }
  const events = await db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d.id)).orderBy(dossierEvents.seq);
  const files = await db.select({ id: attachments.id, slot: attachments.slot, fileName: attachments.fileName, size: attachments.size, scan: attachments.scan })
    .from(attachments).where(eq(attachments.dossierId, d.id)).orderBy(attachments.createdAt);
  await db.transaction((tx) => appendAudit(tx, { actorKind: "official", actorId: staff.username, device, action: "personal_data.view", subjectKind: "dossier", subjectId: code, details: null }));
  const actions = (Object.keys(ACTIONS) as DeskAction[]).filter((a) => mayAct(staff.role, a) && legalFrom(d.status, a));
  const letters = await lettersOf(db, d.id);
  return ok({
    letters,
    canReschedule: mayReschedule(staff.role) && canReschedule(d.status) && d.dueAt !== null,
    dossier: { ...d, submittedAt: d.submittedAt.toISOString(), receivedAt: d.receivedAt?.toISOString() ?? null, dueAt: d.dueAt?.toISOString() ?? null, finishedAt: d.finishedAt?.toISOString() ?? null, returnedAt: d.returnedAt?.toISOString() ?? null, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() },
    events: events.map((e) => ({ seq: e.seq, status: e.status, actorName: e.actorName, note: e.note, at: e.at.toISOString() })),
    actions,
    files,
  });
}

/** One document of a dossier of the official's agency (viewing it is on the record). */
export async function openDossierFile(db: AppDb, staff: StaffUser, code: string, fileId: string, device?: string) {
  if (!/^[0-9a-f-]{36}$/i.test(fileId)) return err(E.notFound());
  const [f] = await db.select({ fileName: attachments.fileName, mime: attachments.mime, size: attachments.size, sha256: attachments.sha256, agencyCode: dossiers.agencyCode })
    .from(attachments).innerJoin(dossiers, eq(dossiers.id, attachments.dossierId))
    .where(and(eq(attachments.id, fileId), eq(dossiers.code, code)));
  if (!f) return err(E.notFound());
  if (f.agencyCode !== staff.agencyCode) {
    await auditRefusal(db, staff, code, "file", device);
    return err(E.notFound());
  }
  await db.transaction((tx) => appendAudit(tx, { actorKind: "official", actorId: staff.username, device, action: "personal_data.view", subjectKind: "dossier", subjectId: code, details: { file: fileId } }));
  return ok(f);
}

/** A letter sent for a dossier of the official's agency, as its PDF (viewing it is on the record). */
export async function openDossierLetter(db: AppDb, staff: StaffUser, code: string, letterId: string, lng: Lng, device?: string) {
  const found = await agencyLetterPdf(db, staff.agencyCode, code, letterId, lng);
  if (found.kind === "other_agency") await auditRefusal(db, staff, code, "letter", device);
  if (found.kind !== "found") return err(E.notFound());
  await db.transaction((tx) => appendAudit(tx, { actorKind: "official", actorId: staff.username, device, action: "personal_data.view", subjectKind: "dossier", subjectId: code, details: { letter: letterId } }));
  return ok({ fileName: found.fileName, pdf: found.pdf });
}

const legalFrom = (status: number, a: DeskAction) => canTransition(status, ACTIONS[a].to);

export interface ActOptions {
  /** Refusals: the rule the refusal rests on, printed on the notice (default: the procedure's legal bases). */
  legalBasis?: string;
  /** Completing or returning: result documents received with the action (the caller discards the temp files), and where they are kept. */
  results?: { files: readonly InspectedFile[]; storage: FileStorage };
}

const TAKES_RESULTS: readonly DeskAction[] = ["complete", "returnResult"];

export async function actOnDossier(db: AppDb, staff: StaffUser, code: string, action: DeskAction, note: string, device?: string, opts: ActOptions = {}): Promise<Result<{ status: number; letterId?: string; results: number }>> {
  const [d] = await db.select({ id: dossiers.id, agencyCode: dossiers.agencyCode }).from(dossiers).where(eq(dossiers.code, code));
  if (!d || d.agencyCode !== staff.agencyCode) {
    if (d) await auditRefusal(db, staff, code, action, device);
    return err(E.notFound());
  }
  if (!mayAct(staff.role, action)) {
    await auditRefusal(db, staff, code, action, device);
    return err(E.forbidden());
  }
  if (NEEDS_NOTE.includes(action) && !note) return err(E.noteRequired());
  const results = opts.results?.files ?? [];
  if (results.length && !TAKES_RESULTS.includes(action)) return err(ResultErrors.notWithThisAction());
  let stored: StoredResult[] = [];
  if (opts.results && results.length) {
    const s = await storeResultFiles(opts.results.storage, results);
    if (!s.ok) return s;
    stored = s.value;
  }
  const forgetStored = async () => { if (opts.results) await forgetResults(db, opts.results.storage, stored); };
  const official = { name: staff.fullName, title: staff.title };
  let letterId: string | undefined;
  const alongside: StatusChange["alongside"] = action === "refuse"
    // a refusal and its notice commit together; the citizen's email carries the notice
    ? async (tx, c) => {
      letterId = await writeRefusalNotice(tx, { dossierId: d.id, agencyCode: c.agencyCode, procedureCode: c.procedureCode, reason: note, legalBasis: opts.legalBasis, official, at: c.at });
      return { letter: letterId };
    }
    : stored.length
      ? async (tx, c) => {
        await attachResults(tx, d.id, stored);
        await appendAudit(tx, { actorKind: "official", actorId: staff.username, device, action: "dossier.results", subjectKind: "dossier", subjectId: c.code, details: { files: stored.map((f) => ({ name: f.fileName, sha256: f.sha256 })) }, at: c.at });
      }
      : undefined;
  let r: Awaited<ReturnType<typeof changeStatus>>;
  try {
    r = await changeStatus(db, {
      dossierId: d.id, to: ACTIONS[action].to, note: note || undefined,
      actor: { name: staff.fullName.slice(0, 50), title: staff.title ?? undefined, kind: "official", id: staff.username, device },
      alongside,
    });
  } catch (error) {
    await forgetStored();
    throw error;
  }
  if (!r.ok) {
    await forgetStored(); // the change did not happen: neither do its results
    return r;
  }
  return ok({ status: r.value.status, letterId, results: stored.length });
}

/**
 * A new appointment date for a dossier that is, or will be, late: the date must be a working day
 * (holiday table included) after today and after the current appointment; the result is then due
 * at the end of that day's working hours. The due date, the apology letter, the national sync job,
 * the citizen's SMS and email and the audit entry commit together.
 */
export async function rescheduleDossier(db: AppDb, staff: StaffUser, code: string, input: { newDate: string; reason: string }, device?: string, now = new Date()): Promise<Result<{ dueAt: Date; letterId: string }>> {
  const [found] = await db.select({ id: dossiers.id, agencyCode: dossiers.agencyCode }).from(dossiers).where(eq(dossiers.code, code));
  if (!found || found.agencyCode !== staff.agencyCode) {
    if (found) await auditRefusal(db, staff, code, "reschedule", device);
    return err(E.notFound());
  }
  if (!mayReschedule(staff.role)) {
    await auditRefusal(db, staff, code, "reschedule", device);
    return err(E.forbidden());
  }
  const reason = input.reason.trim();
  if (!reason) return err(E.reasonRequired());
  const noon = /^\d{4}-\d{2}-\d{2}$/.test(input.newDate) ? Date.parse(`${input.newDate}T12:00:00+07:00`) : NaN;
  if (Number.isNaN(noon) || vnDay(new Date(noon)) !== input.newDate) return err(E.badDate()); // 2026-02-30 and the like
  return db.transaction(async (tx) => {
    const [d] = await tx.select({ code: dossiers.code, status: dossiers.status, dueAt: dossiers.dueAt, citizenId: dossiers.citizenId, phone: dossiers.applicantPhone, email: dossiers.applicantEmail })
      .from(dossiers).where(eq(dossiers.id, found.id)).for("update");
    if (!canReschedule(d.status) || !d.dueAt) return err(E.rescheduleNotNow());
    const shown = input.newDate.split("-").reverse().join("/");
    const today = vnDay(now);
    if (input.newDate <= today) return err(E.notAfterToday());
    if (input.newDate > vnDay(new Date(now.getTime() + MAX_RESCHEDULE_DAYS * 86_400_000))) return err(E.tooFar());
    const dueAt = endOfWorkingDay(await loadCalendar(tx), input.newDate);
    if (!dueAt) return err(E.notWorkingDay(shown));
    if (dueAt <= d.dueAt) return err(E.notLater(formatLetterDate(d.dueAt)));
    await tx.update(dossiers).set({ dueAt, updatedAt: sql`now()` }).where(eq(dossiers.id, found.id));
    const letterId = await writeApologyLetter(tx, { dossierId: found.id, agencyCode: found.agencyCode, reason, previousDueAt: d.dueAt, newDueAt: dueAt, official: { name: staff.fullName, title: staff.title }, at: now });
    // NgayHenTra changed: the national portal hears of it through the dossier's sync job
    await enqueueSync(tx, found.id);
    await notifyApplicant(tx, { ...d, dossierId: found.id }, "apology", { date: formatLetterDate(dueAt), note: reason, letter: letterId });
    await appendAudit(tx, {
      actorKind: "official", actorId: staff.username, device, action: "dossier.reschedule", subjectKind: "dossier", subjectId: d.code,
      details: { from: d.dueAt.toISOString(), to: dueAt.toISOString(), reason, letter: letterId }, at: now,
    });
    return ok({ dueAt, letterId });
  });
}

// The one-stop desk: an agency's queue, a dossier's file, and the actions on it. Officials see
// and act on their own agency's dossiers only; every look at personal data and every refused
// attempt is audited.
import { and, desc, eq, ilike, lt, or, sql } from "drizzle-orm";
import { err, ok, type AppError, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { changeStatus } from "~/modules/dossiers/dossiers.server";
import { canTransition } from "~/modules/dossiers/status";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { attachments, dossierEvents, dossiers } from "~db/schema";
import type { QueueQuery } from "./desk.schema";
import { ACTIONS, mayAct, NEEDS_NOTE, type DeskAction } from "./permissions";

const PAGE = 25;
const E = {
  notFound: (): AppError => ({ code: "desk.not_found", status: 404, i18nKey: "desk.errors.notFound" }),
  forbidden: (): AppError => ({ code: "desk.forbidden", status: 403, i18nKey: "desk.errors.forbidden" }),
  noteRequired: (): AppError => ({ code: "desk.note_required", status: 400, i18nKey: "desk.errors.noteRequired" }),
};

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
    .select({ id: dossiers.id, code: dossiers.code, procedureName: dossiers.procedureName, applicantName: dossiers.applicantName, status: dossiers.status, channel: dossiers.channel, submittedAt: dossiers.submittedAt, dueAt: dossiers.dueAt })
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
  return ok({
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

const legalFrom = (status: number, a: DeskAction) => canTransition(status, ACTIONS[a].to);

export async function actOnDossier(db: AppDb, staff: StaffUser, code: string, action: DeskAction, note: string, device?: string): Promise<Result<{ status: number }>> {
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
  const r = await changeStatus(db, { dossierId: d.id, to: ACTIONS[action].to, note: note || undefined, actor: { name: staff.fullName.slice(0, 50), title: staff.title ?? undefined, kind: "official", id: staff.username, device } });
  if (!r.ok) return r;
  return ok({ status: r.value.status });
}

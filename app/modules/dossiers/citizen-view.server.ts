// What a citizen sees of dossiers: their own (by account, never by a guessable id), and the public
// status look-up that reveals no personal data.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { hitRateLimit } from "~/modules/identity/sessions.server";
import { RESULT_SLOT } from "~/modules/results/slot";
import { appointment } from "./dossiers.server";
import { awaitsReception, DossierStatus } from "./status";
import type { AppDb } from "~db/client.server";
import { agencies, attachments, auditLog, dossierEvents, dossierLetters, dossiers, payments, procedures, staffUsers, syncState } from "~db/schema";

/** Where a dossier was filed, as its owner knows it. */
export type DossierOrigin = "national" | "online" | "counter" | "kiosk";

/**
 * A citizen's dossiers of every origin, newest first, each with where it was filed and whether the
 * national portal knows it (filed there, or synced there at least once: it can be followed there).
 */
export async function listCitizenDossiers(db: AppDb, citizenId: string) {
  const rows = await db.select({
    code: dossiers.code, procedureCode: dossiers.procedureCode, procedureName: dossiers.procedureName, procedureNameEn: procedures.nameEn, status: dossiers.status,
    submittedAt: dossiers.submittedAt, dueAt: dossiers.dueAt, origin: dossiers.origin, channel: dossiers.channel, helperKioskId: dossiers.helperKioskId, helperStaffId: dossiers.helperStaffId,
    syncedVersion: syncState.syncedVersion,
  })
    .from(dossiers).leftJoin(procedures, eq(procedures.code, dossiers.procedureCode)).leftJoin(syncState, eq(syncState.dossierId, dossiers.id))
    .where(eq(dossiers.citizenId, citizenId)).orderBy(desc(dossiers.submittedAt)).limit(200);
  return rows.map(({ origin, channel, helperKioskId, helperStaffId, syncedVersion, ...d }) => {
    const filedVia: DossierOrigin = origin === "national" ? "national" : helperKioskId ? "kiosk" : channel === 1 || helperStaffId ? "counter" : "online";
    return { ...d, filedVia, knownNationally: origin === "national" || (syncedVersion ?? 0) > 0 };
  });
}

/** A code from a URL worth looking up: short, no control characters (PostgreSQL text refuses NUL). */
export const plausibleCode = (code: string) => code.length <= 60 && !/\p{Cc}/u.test(code);

/** A citizen's own dossier with its timeline, documents, payments, letters and (once returned) results; anybody else's is null. */
export async function citizenDossier(db: AppDb, citizenId: string, code: string) {
  if (!plausibleCode(code)) return null;
  const [d] = await db.select().from(dossiers).where(and(eq(dossiers.code, code), eq(dossiers.citizenId, citizenId)));
  if (!d) return null;
  const [events, files, pays, [agency], [proc], letters] = await Promise.all([
    db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d.id)).orderBy(asc(dossierEvents.seq)),
    db.select({ id: attachments.id, slot: attachments.slot, fileName: attachments.fileName, size: attachments.size, scan: attachments.scan }).from(attachments).where(eq(attachments.dossierId, d.id)).orderBy(asc(attachments.createdAt)),
    db.select({ reference: payments.reference, amountVnd: payments.amountVnd, status: payments.status, paidAt: payments.paidAt }).from(payments).where(eq(payments.dossierId, d.id)),
    db.select({ nameVi: agencies.nameVi, nameEn: agencies.nameEn }).from(agencies).where(eq(agencies.code, d.agencyCode)),
    db.select({ nameEn: procedures.nameEn }).from(procedures).where(eq(procedures.code, d.procedureCode)),
    db.select({ id: dossierLetters.id, kind: dossierLetters.kind, newDueAt: dossierLetters.newDueAt, issuedAt: dossierLetters.issuedAt })
      .from(dossierLetters).where(eq(dossierLetters.dossierId, d.id)).orderBy(asc(dossierLetters.issuedAt)),
  ]);
  // result documents are the citizen's once the result is returned (and the scanner passed them)
  const results = d.status === DossierStatus.RETURNED ? files.filter((f) => f.slot === RESULT_SLOT && f.scan === "clean").map(({ id, fileName, size }) => ({ id, fileName, size })) : [];
  const documents = files.filter((f) => f.slot !== RESULT_SLOT).map(({ id, slot, fileName, size }) => ({ id, slot, fileName, size }));
  const provisionalDueAt = d.dueAt ? null : await appointment(db, d.procedureCode, d.submittedAt);
  return { dossier: d, events, files: documents, results, payments: pays, agency: agency ?? null, provisionalDueAt, procedureNameEn: proc?.nameEn ?? null, letters, accessLog: await accessLog(db, d.code) };
}

/**
 * Who in government looked at this dossier's personal data (from the audit log): when, who, from
 * which agency, the dossier or one of its files. The latest 100.
 */
async function accessLog(db: AppDb, code: string) {
  const rows = await db.select({ at: auditLog.at, actorKind: auditLog.actorKind, details: auditLog.details, name: staffUsers.fullName, title: staffUsers.title, agencyVi: agencies.nameVi, agencyEn: agencies.nameEn })
    .from(auditLog)
    .leftJoin(staffUsers, eq(staffUsers.username, auditLog.actorId))
    .leftJoin(agencies, eq(agencies.code, staffUsers.agencyCode))
    .where(and(eq(auditLog.subjectKind, "dossier"), eq(auditLog.subjectId, code), eq(auditLog.action, "personal_data.view"), inArray(auditLog.actorKind, ["official", "officer"])))
    .orderBy(desc(auditLog.id)).limit(100);
  return rows.map((r) => ({
    at: new Date(r.at), name: r.name ?? null, title: r.title ?? null, agencyVi: r.agencyVi ?? null, agencyEn: r.agencyEn ?? null,
    what: (r.details as { file?: string } | null)?.file ? ("file" as const) : ("dossier" as const),
  }));
}


export type PublicStatus =
  | { kind: "found"; code: string; procedureName: string; procedureNameEn: string | null; status: number; submittedAt: Date; dueAt: Date | null; provisional: boolean; events: { status: number; at: Date }[] }
  | { kind: "not_found" }
  | { kind: "rate_limited"; retryAfterS: number };

/**
 * Public look-up by code plus the last four digits of the applicant's phone. Rate-limited per
 * client and per code; a wrong pair is indistinguishable from an unknown code.
 */
export async function publicStatus(db: AppDb, input: { code: string; phoneLast4: string; client: string }): Promise<PublicStatus> {
  const perClient = await hitRateLimit(db, `lookup:ip:${input.client}`, 30, 10 * 60_000);
  if (!perClient.ok) return { kind: "rate_limited", retryAfterS: perClient.retryAfterS };
  const perCode = await hitRateLimit(db, `lookup:code:${input.code}`, 10, 10 * 60_000);
  if (!perCode.ok) return { kind: "rate_limited", retryAfterS: perCode.retryAfterS };
  const [d] = await db.select({ id: dossiers.id, code: dossiers.code, procedureCode: dossiers.procedureCode, procedureName: dossiers.procedureName, procedureNameEn: procedures.nameEn, status: dossiers.status, submittedAt: dossiers.submittedAt, dueAt: dossiers.dueAt, phone: dossiers.applicantPhone })
    .from(dossiers).leftJoin(procedures, eq(procedures.code, dossiers.procedureCode)).where(eq(dossiers.code, input.code));
  if (!d || !d.phone || d.phone.slice(-4) !== input.phoneLast4) return { kind: "not_found" };
  const events = await db.select({ status: dossierEvents.status, at: dossierEvents.at }).from(dossierEvents).where(eq(dossierEvents.dossierId, d.id)).orderBy(asc(dossierEvents.seq));
  // before the desk receives it, the appointment shown is the provisional one of the receipt slip
  const dueAt = d.dueAt ?? (awaitsReception(d.status) ? await appointment(db, d.procedureCode, d.submittedAt) : null);
  return { kind: "found", code: d.code, procedureName: d.procedureName, procedureNameEn: d.procedureNameEn, status: d.status, submittedAt: d.submittedAt, dueAt, provisional: !d.dueAt && dueAt !== null, events };
}

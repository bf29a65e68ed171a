// Dossier use cases. Every creation and status change writes its event and enqueues its
// national sync in the same transaction: no lost sync, no phantom sync.
import { and, eq, sql } from "drizzle-orm";
import { err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { enqueueSync } from "~/modules/sync/sync.server";
import type { AppDb, AppTx } from "~db/client.server";
import { agencies, dossierCodeCounters, dossierEvents, dossiers, holidays, procedures } from "~db/schema";
import { addWorkingTime, calendarFrom, dueDate, workingMsBetween, type TimeUnit, type WorkCalendar } from "~/modules/deadlines/working-time";
import { DossierErrors } from "./dossiers.errors";
import { canTransition, DossierStatus } from "./status";

type Tx = AppTx;

async function loadCalendar(tx: Tx | AppDb): Promise<WorkCalendar> {
  return calendarFrom(await tx.select({ date: holidays.date, isWorkingDay: holidays.isWorkingDay }).from(holidays));
}

/**
 * The appointment date for a dossier received at `at`, from its procedure's time limit. The legal
 * due date counts from receipt by the desk (status 2); for an online filing not yet received this
 * is the provisional appointment printed on its receipt slip.
 */
export async function appointment(tx: Tx | AppDb, procedureCode: string, at: Date): Promise<Date | null> {
  const [p] = await tx.select({ value: procedures.processingValue, unit: procedures.processingUnit }).from(procedures).where(eq(procedures.code, procedureCode));
  if (!p?.unit || (p.value === null && p.unit !== "immediate")) return null;
  return dueDate(await loadCalendar(tx), { receivedAt: at, amount: p.value ?? 0, unit: p.unit as TimeUnit });
}

export interface Actor {
  name: string;
  title?: string;
  department?: string;
  /** Who, for the audit log: kind and a stable id (defaults: system / the name). */
  kind?: "citizen" | "official" | "officer" | "system" | "national";
  id?: string;
  device?: string;
}

export interface NewDossier {
  procedureCode: string;
  agencyCode: string;
  channel: 1 | 2 | 3;
  applicantName: string;
  applicantIdNumber?: string;
  applicantPhone?: string;
  applicantEmail?: string;
  summary?: string;
  actor: Actor;
  at?: Date;
  /** Counter filings are received on the spot (status 2). */
  initialStatus?: 1 | 2;
  /** Online filings: the citizen's account, the form version and answers, the fee charged. */
  citizenId?: string;
  formVersion?: number;
  formData?: Record<string, string>;
  feeVnd?: number;
}

/** yyMMdd in Vietnam time. */
function dayStamp(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(2, 10).replace(/-/g, "");
}

/** Next code in the daily sequence: {agency}-{yyMMdd}-{NNNN}; the counter row lock serialises it. */
export async function allocateDossierCode(tx: Tx, agencyCode: string, at: Date): Promise<string> {
  const day = dayStamp(at);
  const [row] = await tx
    .insert(dossierCodeCounters)
    .values({ agencyCode, day, last: 1 })
    .onConflictDoUpdate({ target: [dossierCodeCounters.agencyCode, dossierCodeCounters.day], set: { last: sql`${dossierCodeCounters.last} + 1` } })
    .returning({ last: dossierCodeCounters.last });
  return `${agencyCode}-${day}-${String(row.last).padStart(4, "0")}`;
}

export async function createDossier(db: AppDb, input: NewDossier): Promise<Result<{ id: string; code: string; appointmentAt: Date | null }>> {
  return db.transaction((tx) => insertDossier(tx, input));
}

/**
 * Creates a dossier inside the caller's transaction: code, first event, audit entry and sync job
 * commit together with whatever else the caller writes (attachments, payment, notifications).
 */
export async function insertDossier(tx: Tx, input: NewDossier): Promise<Result<{ id: string; code: string; appointmentAt: Date | null }>> {
  const at = input.at ?? new Date();
  {
    const [proc] = await tx.select({ nameVi: procedures.nameVi, field: procedures.field }).from(procedures).where(eq(procedures.code, input.procedureCode));
    if (!proc) return err(DossierErrors.unknownProcedure(input.procedureCode));
    const [agency] = await tx.select({ code: agencies.code }).from(agencies).where(eq(agencies.code, input.agencyCode));
    if (!agency) return err(DossierErrors.unknownAgency(input.agencyCode));
    const code = await allocateDossierCode(tx, input.agencyCode, at);
    const status = input.initialStatus ?? DossierStatus.NEW;
    const appointmentAt = await appointment(tx, input.procedureCode, at);
    const dueAt = status === DossierStatus.RECEIVED ? appointmentAt : null;
    const [d] = await tx
      .insert(dossiers)
      .values({
        code, procedureCode: input.procedureCode, procedureName: proc.nameVi, field: proc.field, agencyCode: input.agencyCode,
        channel: input.channel, applicantName: input.applicantName, applicantIdNumber: input.applicantIdNumber,
        applicantPhone: input.applicantPhone, applicantEmail: input.applicantEmail, summary: input.summary,
        status, submittedAt: at, receivedAt: status === DossierStatus.RECEIVED ? at : null, dueAt,
        citizenId: input.citizenId, formVersion: input.formVersion, formData: input.formData, feeVnd: input.feeVnd,
      })
      .returning({ id: dossiers.id });
    await tx.insert(dossierEvents).values({ dossierId: d.id, seq: 1, status, actorName: input.actor.name, actorTitle: input.actor.title, department: input.actor.department, note: null, at });
    await appendAudit(tx, {
      actorKind: input.actor.kind ?? "system", actorId: input.actor.id ?? input.actor.name, device: input.actor.device,
      action: "dossier.create", subjectKind: "dossier", subjectId: code, details: { status, channel: input.channel, procedure: input.procedureCode }, at,
    });
    await enqueueSync(tx, d.id);
    return ok({ id: d.id, code, appointmentAt });
  }
}

export interface StatusChange { dossierId: string; to: number; actor: Actor; note?: string; at?: Date }

export async function changeStatus(db: AppDb, change: StatusChange): Promise<Result<{ status: number; seq: number }>> {
  const at = change.at ?? new Date();
  return db.transaction(async (tx) => {
    const [d] = await tx.select({ code: dossiers.code, status: dossiers.status, procedureCode: dossiers.procedureCode, dueAt: dossiers.dueAt }).from(dossiers).where(eq(dossiers.id, change.dossierId)).for("update");
    if (!d) return err(DossierErrors.notFound());
    if (!canTransition(d.status, change.to)) return err(DossierErrors.illegalTransition(d.status, change.to));
    const [{ seq }] = await tx
      .select({ seq: sql<number>`coalesce(max(${dossierEvents.seq}), 0)::int + 1` })
      .from(dossierEvents).where(eq(dossierEvents.dossierId, change.dossierId));
    await tx.insert(dossierEvents).values({
      dossierId: change.dossierId, seq, status: change.to, actorName: change.actor.name, actorTitle: change.actor.title,
      department: change.actor.department, note: change.note ?? null, at,
    });
    // The clock starts at receipt; time waiting for a supplement is added back when it arrives.
    let dueAt = d.dueAt;
    if (change.to === DossierStatus.RECEIVED) dueAt = await appointment(tx, d.procedureCode, at);
    if (d.status === DossierStatus.SUPPLEMENT && change.to === DossierStatus.PROCESSING && dueAt) {
      const [asked] = await tx.select({ at: sql<Date>`max(${dossierEvents.at})` }).from(dossierEvents)
        .where(and(eq(dossierEvents.dossierId, change.dossierId), eq(dossierEvents.status, DossierStatus.SUPPLEMENT)));
      const cal = await loadCalendar(tx);
      if (asked?.at) dueAt = addWorkingTime(cal, dueAt, workingMsBetween(cal, new Date(asked.at), at));
    }
    await tx.update(dossiers).set({
      status: change.to, updatedAt: sql`now()`, dueAt,
      ...(change.to === DossierStatus.RECEIVED ? { receivedAt: at } : {}),
      ...(change.to === DossierStatus.DONE ? { finishedAt: at } : {}),
      ...(change.to === DossierStatus.RETURNED ? { returnedAt: at } : {}),
    }).where(and(eq(dossiers.id, change.dossierId), eq(dossiers.status, d.status)));
    await appendAudit(tx, {
      actorKind: change.actor.kind ?? "system", actorId: change.actor.id ?? change.actor.name, device: change.actor.device,
      action: "dossier.status", subjectKind: "dossier", subjectId: d.code, details: { from: d.status, to: change.to, note: change.note ?? null }, at,
    });
    await enqueueSync(tx, change.dossierId);
    return ok({ status: change.to, seq });
  });
}

// Dossier use cases. Every creation and status change writes its event and enqueues its
// national sync in the same transaction: no lost sync, no phantom sync.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { enqueueSync, SYNC_CHANNEL } from "~/modules/sync/sync.server";
import { selectRows, type AppDb, type AppTx } from "~db/client.server";
import { publicUrl } from "~/config.server";
import { enqueueNotification, type Template } from "~/modules/notifications/notifications.server";
import { agencies, citizens, dossierCodeCounters, dossierEvents, dossiers, holidays, procedures, syncState } from "~db/schema";
import { addWorkingTime, calendarFrom, dueDate, workingMsBetween, type TimeUnit, type WorkCalendar } from "~/modules/deadlines/working-time";
import { DossierErrors } from "./dossiers.errors";
import { canTransition, DossierStatus } from "./status";

type Tx = AppTx;

/** The working calendar: the holiday table with its make-up working days. */
export async function loadCalendar(tx: Tx | AppDb): Promise<WorkCalendar> {
  return calendarFrom(await tx.select({ date: holidays.date, isWorkingDay: holidays.isWorkingDay }).from(holidays));
}

/**
 * The appointment date for a dossier received at `at`, from its procedure's time limit. The legal
 * due date counts from receipt by the desk (status 2); for an online filing not yet received this
 * is the provisional appointment printed on its receipt slip.
 */
export async function appointment(tx: Tx | AppDb, procedureCode: string, at: Date): Promise<Date | null> {
  const [p] = await tx.select({ value: procedures.processingValue, unit: procedures.processingUnit }).from(procedures).where(eq(procedures.code, procedureCode));
  if (!p || !hasTimeLimit(p)) return null;
  return dueDate(await loadCalendar(tx), { receivedAt: at, amount: p.value ?? 0, unit: p.unit as TimeUnit });
}

type TimeLimit = { value: number | null; unit: string | null };
const hasTimeLimit = (p: TimeLimit): p is { value: number | null; unit: string } => Boolean(p.unit) && (p.value !== null || p.unit === "immediate");

export interface Actor {
  name: string;
  title?: string;
  department?: string;
  /** Who, for the audit log: kind and a stable id (defaults: system / the name). */
  kind?: "citizen" | "official" | "officer" | "system" | "national";
  id?: string;
  device?: string;
}

/** The officer who filed on a citizen's behalf: at a kiosk (commune police) or at the desk's counter (no kiosk). */
export interface Helper { staffId: string; kioskId: string | null; agencyCode: string }

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
  /** Filed with an officer's help: the officer, the kiosk (none at the desk's counter), the officer's agency. */
  helper?: Helper;
}

/** yyMMdd in Vietnam time. */
function dayStamp(d: Date): string {
  return new Date(d.getTime() + 7 * 3600_000).toISOString().slice(2, 10).replace(/-/g, "");
}

export interface CreatedDossier { id: string; code: string; appointmentAt: Date | null }

export async function createDossier(db: AppDb, input: NewDossier): Promise<Result<CreatedDossier>> {
  return db.transaction((tx) => insertDossier(tx, input));
}

/**
 * Creates a dossier inside the caller's transaction: code, first event, sync job and audit entry
 * commit together with whatever else the caller writes (attachments, payment, notifications) in
 * `alongside`, which runs once the dossier exists, before the audit entry.
 *
 * Built for many filings at once: the day's code counter (a row per agency) and the audit chain's
 * head (one row) stay locked until commit, so whatever can be read first is read first, the code,
 * the dossier row, its first event and its sync job are written in one statement, and the audit
 * entry is the last write.
 */
export async function insertDossier(tx: Tx, input: NewDossier, alongside?: (created: CreatedDossier) => Promise<void>): Promise<Result<CreatedDossier>> {
  const at = input.at ?? new Date();
  // the procedure, whether the agency exists, and the working calendar (holidays, make-up days) in one query
  const [proc] = await tx
    .select({
      nameVi: procedures.nameVi, field: procedures.field, value: procedures.processingValue, unit: procedures.processingUnit,
      agencyKnown: sql<boolean>`exists (select 1 from ${agencies} where ${agencies.code} = ${input.agencyCode})`,
      calendar: sql<[string, boolean][]>`(select coalesce(json_agg(json_build_array(${holidays.date}, ${holidays.isWorkingDay})), '[]'::json) from ${holidays})`,
    })
    .from(procedures).where(eq(procedures.code, input.procedureCode));
  if (!proc) return err(DossierErrors.unknownProcedure(input.procedureCode));
  if (!proc.agencyKnown) return err(DossierErrors.unknownAgency(input.agencyCode));
  const status = input.initialStatus ?? DossierStatus.NEW;
  const appointmentAt = hasTimeLimit(proc)
    ? dueDate(calendarFrom(proc.calendar.map(([date, isWorkingDay]) => ({ date, isWorkingDay }))), { receivedAt: at, amount: proc.value ?? 0, unit: proc.unit as TimeUnit })
    : null;
  const received = status === DossierStatus.RECEIVED;
  const id = randomUUID();
  const day = dayStamp(at);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  // the next number of the agency's day ({agency}-{yyMMdd}-{NNNN}, the counter row's lock keeps it
  // unique and gapless), the dossier, its first event, and its first sync job (what enqueueSync
  // writes for a dossier it has not seen, and its notification to listening workers)
  const [{ code }] = await selectRows<{ code: string }>(tx, sql`
    with counter as (
      insert into ${dossierCodeCounters} (agency_code, day, last) values (${input.agencyCode}::text, ${day}::text, 1)
      on conflict (agency_code, day) do update set last = ${dossierCodeCounters}.last + 1
      returning last),
    dossier as (
      insert into ${dossiers} (id, code, procedure_code, procedure_name, field, agency_code, channel, applicant_name, applicant_id_number,
        applicant_phone, applicant_email, summary, status, submitted_at, received_at, due_at, citizen_id, form_version, form_data, fee_vnd,
        helper_staff_id, helper_kiosk_id, helper_agency_code)
      select ${id}::uuid, ${input.agencyCode}::text || '-' || ${day}::text || '-' || lpad(last::text, greatest(4, length(last::text)), '0'),
        ${input.procedureCode}::text, ${proc.nameVi}::text, ${proc.field}::text, ${input.agencyCode}::text, ${input.channel}::int,
        ${input.applicantName}::text, ${input.applicantIdNumber ?? null}::text, ${input.applicantPhone ?? null}::text,
        ${input.applicantEmail ?? null}::text, ${input.summary ?? null}::text, ${status}::int, ${iso(at)}::timestamptz,
        ${received ? iso(at) : null}::timestamptz, ${received ? iso(appointmentAt) : null}::timestamptz, ${input.citizenId ?? null}::uuid,
        ${input.formVersion ?? null}::int, ${input.formData === undefined ? null : JSON.stringify(input.formData)}::jsonb, ${input.feeVnd ?? null}::int,
        ${input.helper?.staffId ?? null}::uuid, ${input.helper?.kioskId ?? null}::uuid, ${input.helper?.agencyCode ?? null}::text
      from counter
      returning id, code),
    event as (
      insert into ${dossierEvents} (dossier_id, seq, status, actor_name, actor_title, department, note, at)
      select id, 1, ${status}::int, ${input.actor.name}::text, ${input.actor.title ?? null}::text, ${input.actor.department ?? null}::text, null, ${iso(at)}::timestamptz
      from dossier),
    sync as (insert into ${syncState} (dossier_id) select id from dossier)
    select code, pg_notify(${SYNC_CHANNEL}, '') from dossier`);
  const created = { id, code, appointmentAt };
  await alongside?.(created);
  await appendAudit(tx, {
    actorKind: input.actor.kind ?? "system", actorId: input.actor.id ?? input.actor.name, device: input.actor.device,
    action: "dossier.create", subjectKind: "dossier", subjectId: code, details: { status, channel: input.channel, procedure: input.procedureCode, ...(input.helper ? { helper: input.helper } : {}) }, at,
  });
  return ok(created);
}

/** Statuses a citizen hears about by SMS and email (not their own withdrawal, not "processing"). */
const CITIZEN_NOTIFIED = new Set<number>([DossierStatus.RECEIVED, DossierStatus.REFUSED, DossierStatus.SUPPLEMENT, DossierStatus.PAYMENT, DossierStatus.STOPPED, DossierStatus.DONE, DossierStatus.RETURNED]);

/** Tells an online applicant (a citizen account) by SMS and email, in their language, from the caller's transaction. */
export async function notifyApplicant(tx: Tx, d: { dossierId: string; code: string; citizenId: string | null; phone: string | null; email: string | null }, template: Template, params: Record<string, string | number>) {
  if (!d.citizenId) return;
  const [c] = await tx.select({ locale: citizens.locale }).from(citizens).where(eq(citizens.id, d.citizenId));
  const locale = c?.locale === "en" ? "en" : "vi";
  const all = { code: d.code, url: `${publicUrl()}/ho-so/${encodeURIComponent(d.code)}`, ...params };
  if (d.phone) await enqueueNotification(tx, { dossierId: d.dossierId, channel: "sms", recipient: d.phone, locale, template, params: all });
  if (d.email) await enqueueNotification(tx, { dossierId: d.dossierId, channel: "email", recipient: d.email, locale, template, params: all });
}

export interface StatusChange {
  dossierId: string;
  to: number;
  actor: Actor;
  note?: string;
  at?: Date;
  /**
   * What must commit with the change (a refusal notice, result documents): runs in its transaction
   * once the status is written, before the citizen is told and the audit entry. What it returns is
   * added to the notification's parameters (e.g. the letter to attach).
   */
  alongside?: (tx: Tx, changed: { code: string; seq: number; at: Date; agencyCode: string; procedureCode: string }) => Promise<Record<string, string | number> | void>;
  /** false: the citizen is not sent the status message (a message of the same moment already told them). */
  notify?: boolean;
}

export async function changeStatus(db: AppDb, change: StatusChange): Promise<Result<{ status: number; seq: number }>> {
  return db.transaction((tx) => applyStatusChange(tx, change));
}

/** A status change inside the caller's transaction (a counter filing is created and received in one). */
export async function applyStatusChange(tx: Tx, change: StatusChange): Promise<Result<{ status: number; seq: number }>> {
  const at = change.at ?? new Date();
  {
    const [d] = await tx.select({
      code: dossiers.code, status: dossiers.status, procedureCode: dossiers.procedureCode, dueAt: dossiers.dueAt, agencyCode: dossiers.agencyCode,
      citizenId: dossiers.citizenId, phone: dossiers.applicantPhone, email: dossiers.applicantEmail,
    }).from(dossiers).where(eq(dossiers.id, change.dossierId)).for("update");
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
    await enqueueSync(tx, change.dossierId);
    const extra = (await change.alongside?.(tx, { code: d.code, seq, at, agencyCode: d.agencyCode, procedureCode: d.procedureCode })) ?? {};
    if (CITIZEN_NOTIFIED.has(change.to) && change.notify !== false) {
      // a refusal with its notice (the desk's) says so and carries it; any other is a plain status message
      const template = change.to === DossierStatus.SUPPLEMENT ? "supplement" : change.to === DossierStatus.REFUSED && extra.letter ? "refused" : "status";
      await notifyApplicant(tx, { ...d, dossierId: change.dossierId }, template, { status: change.to, note: change.note ?? "", ...extra });
    }
    // last: the audit chain's head stays locked from here to commit
    await appendAudit(tx, {
      actorKind: change.actor.kind ?? "system", actorId: change.actor.id ?? change.actor.name, device: change.actor.device,
      action: "dossier.status", subjectKind: "dossier", subjectId: d.code, details: { from: d.status, to: change.to, note: change.note ?? null }, at,
    });
    return ok({ status: change.to, seq });
  }
}

// Citizen filing: drafts saved step by step on the server (resumable on any device, expiring after
// 30 days), prefilled from the population database, validated with the schema derived from the
// procedure's form definition, and submitted as a dossier in one transaction with its sync job,
// attachments, payment and notifications.
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { err, fieldErrorsFrom, ok, type Result } from "~/lib/result";
import { TtlCache } from "~/lib/ttl-cache";
import { appendAudit } from "~/modules/audit/audit.server";
import { applyStatusChange, insertDossier, type Helper } from "~/modules/dossiers/dossiers.server";
import { DossierStatus } from "~/modules/dossiers/status";
import {
  activeSlots, FormDefinition, stepIds, stepSchema, summarise, validateAll, type FormValues,
} from "~/modules/forms/forms.schema";
import { formatVnDate, isoToVnDate } from "~/modules/forms/validators";
import { selectRows, type AppDb, type AppTx } from "~db/client.server";
import { agencies, attachments, citizens, communes, consents, dossiers, drafts, formDefinitions, notifications, payments, populationLookups, procedureFees, procedures } from "~db/schema";
import type { PopulationRecord, PopulationRegistry } from "~integrations/population/port";
import type { Citizen } from "~/modules/identity/citizen-auth.server";
import { FilingErrors } from "./filing.errors";

export const DRAFT_TTL_DAYS = 30;
export const DRAFT_REMINDER_DAYS = 3;
const MAX_OPEN_DRAFTS = 20;

export type Draft = typeof drafts.$inferSelect;

/** The desk officer filing at the counter, and the receipt number of the fee they took in cash. */
export interface CounterFiling {
  officer: { id: string; username: string; fullName: string; title: string | null; agencyCode: string };
  cashReceipt?: string;
}

/** What a counter-paid fee's reference looks like (ours; the desk's own receipt number is kept beside it). */
const cashReference = () => `QN-TM-${Date.now().toString(36).toUpperCase()}-${randomBytes(4).toString("hex").toUpperCase()}`;
export interface LoadedForm { def: FormDefinition; version: number }

// Definitions are immutable per version, so a process may keep them; the latest version number
// is read from the database each time (an administrator may publish a new one).
const formCache = new TtlCache<LoadedForm | null>(10 * 60_000, 200);
const communeCache = new TtlCache<{ code: string; name: string }[]>(5 * 60_000, 4);

export async function loadForm(db: AppDb, procedureCode: string, version?: number): Promise<LoadedForm | null> {
  let v = version;
  if (v === undefined) {
    const [row] = await db.select({ version: formDefinitions.version }).from(formDefinitions)
      .where(eq(formDefinitions.procedureCode, procedureCode)).orderBy(desc(formDefinitions.version)).limit(1);
    if (!row) return null;
    v = row.version;
  }
  const at = v;
  return formCache.get(`${procedureCode}@${at}`, async () => {
    const [row] = await db.select().from(formDefinitions).where(and(eq(formDefinitions.procedureCode, procedureCode), eq(formDefinitions.version, at)));
    return row ? { def: FormDefinition.parse(row.definition), version: row.version } : null;
  });
}

/** Procedures that can be filed through the portal (citizens, kiosks, the counter): those with a form definition. */
export async function proceduresWithForms(db: AppDb) {
  return selectRows<{ code: string; name_vi: string; name_en: string }>(db, sql`
    select p.code, p.name_vi, p.name_en from ${procedures} p where exists (select 1 from ${formDefinitions} f where f.procedure_code = p.code) order by p.code`);
}

export function communeList(db: AppDb) {
  // cache the rows, not the query: a drizzle query is a lazy thenable that runs again at every await
  return communeCache.get("all", () => db.select({ code: communes.code, name: communes.name }).from(communes).orderBy(asc(communes.name)).then((rows) => rows));
}

// one context object per commune list, so the compiled field schemas cached against it are reused
const contexts = new WeakMap<object, { communeCodes: ReadonlySet<string> }>();
export async function validationContext(db: AppDb) {
  const list = await communeList(db);
  let ctx = contexts.get(list);
  if (!ctx) contexts.set(list, (ctx = { communeCodes: new Set(list.map((c) => c.code)) }));
  return ctx;
}

/** The fee for an online filing: the catalogue's online fee (or per-page rule for certified copies). */
export async function feeFor(db: AppDb | AppTx, procedureCode: string, values: FormValues): Promise<number> {
  if (procedureCode === "2.000815") {
    // 2,000 VND a page for the first two pages, 1,000 from the third, at most 200,000 per copy
    const pages = Number(values.pages ?? 0);
    const copies = Number(values.copies ?? 0);
    const perCopy = Math.min(200_000, Math.min(pages, 2) * 2000 + Math.max(0, pages - 2) * 1000);
    return perCopy * copies;
  }
  // one query: the procedure's fee lines (in order) beside its own fee, the fallback
  const fees = await db.select({ channel: procedureFees.channel, amountVnd: procedureFees.amountVnd, fallback: procedures.feeAmountVnd })
    .from(procedures).leftJoin(procedureFees, eq(procedureFees.procedureCode, procedures.code))
    .where(eq(procedures.code, procedureCode)).orderBy(asc(procedureFees.position));
  const online = fees.find((f) => f.channel === "online" && f.amountVnd !== null);
  if (online) return online.amountVnd ?? 0;
  const any = fees.find((f) => f.channel === null && f.amountVnd !== null);
  if (any) return any.amountVnd ?? 0;
  return fees[0]?.fallback ?? 0;
}

/** Which agency receives the dossier, from the form's rule and the answers. */
export async function agencyFor(db: AppDb | AppTx, def: FormDefinition, values: FormValues): Promise<string | null> {
  if (def.agency.kind === "fixed") return def.agency.code;
  const commune = values[def.agency.communeField];
  if (!commune) return null;
  const kind = def.agency.kind;
  const [a] = await db.select({ code: agencies.code }).from(agencies).where(and(eq(agencies.communeCode, commune), eq(agencies.kind, kind)));
  return a?.code ?? null;
}

function prefillValues(def: FormDefinition, citizen: Citizen, record: Awaited<ReturnType<PopulationRegistry["lookupCitizen"]>> | null): FormValues {
  const found = record?.kind === "found" ? record.citizen : null;
  const source: Record<string, string> = {
    fullName: found?.fullName ?? citizen.fullName,
    birthDate: isoToVnDate(found?.birthDate ?? citizen.birthDate),
    sex: found?.sex ?? citizen.sex ?? "",
    idNumber: found?.identityNumber ?? citizen.idNumber,
    phone: found?.phone ?? citizen.phone ?? "",
    email: found?.email ?? citizen.email ?? "",
    permanentCommune: found?.permanentAddress.communeCode ?? "",
    permanentDetail: found?.permanentAddress.detail ?? "",
    currentCommune: found?.currentAddress.communeCode ?? "",
    currentDetail: found?.currentAddress.detail ?? "",
  };
  const out: FormValues = {};
  const locked: string[] = [];
  for (const f of def.steps.flatMap((s) => s.fields)) {
    if (!f.prefill || !source[f.prefill]) continue;
    out[f.name] = source[f.prefill];
    if (LOCKED_PREFILL.has(f.prefill)) locked.push(f.name);
  }
  out[LOCKED_KEY] = locked.join(",");
  return out;
}

/** Identity facts from the e-ID and the population database are not the citizen's to change. */
const LOCKED_PREFILL = new Set(["fullName", "birthDate", "sex", "idNumber"]);
const LOCKED_KEY = "_locked";
export const lockedFields = (data: unknown): string[] => String((data as FormValues)?.[LOCKED_KEY] ?? "").split(",").filter(Boolean);

/**
 * Opens a draft for a procedure, prefilled from the population database. The look-up is
 * recorded (who asked, about whom, for which draft) whatever its outcome; when the registry is
 * unavailable the draft opens with what the e-ID told us and the citizen completes the rest.
 */
export async function startDraft(
  db: AppDb,
  input: {
    citizen: Citizen; procedureCode: string; population: PopulationRegistry; device?: string; now?: Date;
    /** Who asks the population database when it is not the citizen (a kiosk officer helping them). */
    officer?: { id: string; username: string };
    /** A counter filing: the desk officer whose draft it is (the only official who may open it). */
    counterStaffId?: string;
    /**
     * The citizen was looked up a moment ago in this same request (the counter's identity check,
     * logged there under `lookupId`): the draft is prefilled from that answer, not from a second
     * look-up, and the audit entry names the look-up it came from.
     */
    lookedUp?: { record: PopulationRecord; lookupId: string };
  },
): Promise<Result<{ draftId: string; prefilled: boolean }>> {
  const form = await loadForm(db, input.procedureCode);
  if (!form) return err(FilingErrors.noForm());
  const now = input.now ?? new Date();
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(drafts)
    .where(and(eq(drafts.citizenId, input.citizen.id), isNull(drafts.submittedDossierId), gt(drafts.expiresAt, now)));
  if (n >= MAX_OPEN_DRAFTS) return err(FilingErrors.tooManyDrafts());
  const [draft] = await db.insert(drafts).values({
    citizenId: input.citizen.id, procedureCode: input.procedureCode, formVersion: form.version, step: form.def.steps[0].id,
    expiresAt: new Date(now.getTime() + DRAFT_TTL_DAYS * 86_400_000), data: {}, counterStaffId: input.counterStaffId,
  }).returning({ id: drafts.id });
  const lookup = input.lookedUp
    ? { kind: "found" as const, citizen: input.lookedUp.record }
    : await input.population.lookupCitizen({ identityNumber: input.citizen.idNumber, requestedBy: input.officer?.username ?? input.citizen.sub, requestId: `draft:${draft.id}` })
      .catch((error: unknown) => ({ kind: "unavailable" as const, reason: String(error) }));
  const outcome = lookup.kind === "found" ? "found" : lookup.kind === "not_found" ? "not_found" : lookup.kind === "mismatch" ? "mismatch" : "error";
  const data = prefillValues(form.def, input.citizen, lookup);
  const actor = { actorKind: input.officer ? "officer" as const : "citizen" as const, actorId: input.officer?.username ?? input.citizen.id, device: input.device };
  await db.transaction(async (tx) => {
    await tx.update(drafts).set({ data }).where(eq(drafts.id, draft.id));
    if (input.lookedUp) {
      await appendAudit(tx, { ...actor, action: "draft.prefilled", subjectKind: "citizen", subjectId: input.citizen.id, details: { purpose: `draft:${draft.id}`, lookup: input.lookedUp.lookupId } });
      return;
    }
    await tx.insert(populationLookups).values({
      idNumber: input.citizen.idNumber, requestedByKind: input.officer ? "officer" : "citizen", requestedById: input.officer?.id ?? input.citizen.id, purpose: `draft:${draft.id}`, outcome,
    });
    await appendAudit(tx, { ...actor, action: "population.lookup", subjectKind: "citizen", subjectId: input.citizen.id, details: { purpose: `draft:${draft.id}`, outcome } });
  });
  return ok({ draftId: draft.id, prefilled: lookup.kind === "found" });
}

/** Ids in URLs and forms are checked before they reach the database (a malformed uuid is an error there, not "not found"). */
export const isUuid = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

export { formFields } from "~/lib/form-data.server";

/** A citizen's own open draft; anybody else's (or an expired or submitted one) does not exist. */
export async function draftFor(db: AppDb | AppTx, citizenId: string, draftId: string, now = new Date()): Promise<Draft | null> {
  if (!isUuid(draftId)) return null;
  const [d] = await db.select().from(drafts)
    .where(and(eq(drafts.id, draftId), eq(drafts.citizenId, citizenId), isNull(drafts.submittedDossierId), gt(drafts.expiresAt, now)));
  return d ?? null;
}

export async function listDrafts(db: AppDb, citizenId: string, now = new Date()) {
  return db.select({ id: drafts.id, procedureCode: drafts.procedureCode, procedureName: procedures.nameVi, procedureNameEn: procedures.nameEn, updatedAt: drafts.updatedAt, expiresAt: drafts.expiresAt, step: drafts.step })
    .from(drafts).innerJoin(procedures, eq(procedures.code, drafts.procedureCode))
    .where(and(eq(drafts.citizenId, citizenId), isNull(drafts.submittedDossierId), gt(drafts.expiresAt, now)))
    .orderBy(desc(drafts.updatedAt));
}

/**
 * Validates one step's answers with the schema derived from the form and saves them; the draft
 * moves to the next step. Invalid answers change nothing and come back as `error.fieldErrors`.
 */
export async function saveStep(
  db: AppDb,
  input: { citizenId: string; draftId: string; stepId: string; raw: Record<string, unknown> },
): Promise<Result<{ next: string }>> {
  const draft = await draftFor(db, input.citizenId, input.draftId);
  if (!draft) return err(FilingErrors.draftNotFound());
  const form = await loadForm(db, draft.procedureCode, draft.formVersion);
  if (!form) return err(FilingErrors.noForm());
  const ids = stepIds(form.def);
  const index = form.def.steps.findIndex((s) => s.id === input.stepId);
  if (index < 0) return err(FilingErrors.badStep());
  const previous = draft.data as FormValues;
  // conditions may look at earlier steps: give the schema what was answered before this step
  const earlier: FormValues = {};
  for (const s of form.def.steps.slice(0, index)) for (const f of s.fields) if (previous[f.name] !== undefined) earlier[f.name] = previous[f.name];
  const raw = { ...input.raw };
  for (const name of lockedFields(previous)) if (name in previous) raw[name] = previous[name];
  const parsed = stepSchema(form.def, input.stepId, earlier, await validationContext(db)).safeParse(raw);
  if (!parsed.success) return err(FilingErrors.invalidAnswers(fieldErrorsFrom(parsed.error.issues)));
  const stepFields = new Set(form.def.steps[index].fields.map((f) => f.name));
  const data: FormValues = {};
  for (const [k, v] of Object.entries(previous)) if (!stepFields.has(k)) data[k] = v;
  Object.assign(data, parsed.data);
  const next = ids[index + 1];
  // going back to correct a step does not take away the steps already reached
  const reached = ids[Math.max(ids.indexOf(next), ids.indexOf(draft.step))];
  await db.update(drafts).set({ data, step: reached, updatedAt: sql`now()` }).where(eq(drafts.id, draft.id));
  return ok({ next });
}

/** Deletes a draft and its attachment rows; returns the files' hashes (for storage clean-up), or null. */
export async function discardDraft(db: AppDb, citizenId: string, draftId: string): Promise<string[] | null> {
  const d = await draftFor(db, citizenId, draftId);
  if (!d) return null;
  return db.transaction((tx) => deleteDraft(tx, d.id));
}

/**
 * Deletes a draft found by its owner's check, with the files uploaded to it (not those already
 * part of a dossier); returns the stored objects' hashes for collectGarbage after the commit.
 */
export async function deleteDraft(tx: AppTx, draftId: string): Promise<string[]> {
  const gone = await tx.delete(attachments).where(and(eq(attachments.draftId, draftId), isNull(attachments.dossierId))).returning({ sha256: attachments.sha256 });
  await tx.delete(drafts).where(eq(drafts.id, draftId));
  return gone.map((g) => g.sha256);
}

export async function draftAttachments(db: AppDb | AppTx, draftId: string) {
  return db.select().from(attachments).where(eq(attachments.draftId, draftId)).orderBy(asc(attachments.createdAt));
}

/** Everything the review page shows and the submission checks. */
export async function reviewDraft(db: AppDb, draft: Draft) {
  const form = await loadForm(db, draft.procedureCode, draft.formVersion);
  if (!form) return err(FilingErrors.noForm());
  const values = draft.data as FormValues;
  const checked = validateAll(form.def, values, await validationContext(db));
  const files = await draftAttachments(db, draft.id);
  const slots = activeSlots(form.def, values);
  const missing = slots.filter((s) => s.required && !files.some((f) => f.slot === s.slot));
  const fee = await feeFor(db, draft.procedureCode, values);
  const [paid] = await db.select({ id: payments.id }).from(payments).where(and(eq(payments.draftId, draft.id), eq(payments.status, "paid"))).limit(1);
  return ok({ form, values, checked, files, slots, missing, fee, paid: Boolean(paid) });
}

/**
 * Submits a complete draft: re-validates every step, checks the documents and the payment, then
 * in one transaction creates the dossier (code, first event, audit, sync job), moves the draft's
 * files and payment to it, queues the SMS and email, and closes the draft. The draft row is locked
 * so a double click submits once.
 */
export async function submitDraft(
  db: AppDb,
  input: {
    citizen: Citizen; draftId: string; device?: string; lang: "vi" | "en"; statusUrl: (code: string) => string; now?: Date;
    /** The draft as the caller already read it (saves a read); it is locked and re-read inside. */
    draft?: Pick<Draft, "procedureCode" | "formVersion">;
    /** Filed at a kiosk with a commune police officer's help (the citizen stays the applicant). */
    helper?: Helper;
    /**
     * Filed at the one-stop desk's counter with the citizen present: channel 1 (direct), only for
     * the officer's own agency, the fee taken in cash (the desk's receipt number), and received by
     * the officer in the same transaction (status 1 → 2 through the state machine).
     */
    counter?: CounterFiling;
  },
): Promise<Result<{ dossierId: string; code: string }>> {
  const now = input.now ?? new Date();
  // read what the transaction needs first: with PGlite (one connection) nothing may query
  // outside the transaction while it is open
  const [peek] = input.draft ? [input.draft] : await db.select({ procedureCode: drafts.procedureCode, formVersion: drafts.formVersion }).from(drafts).where(eq(drafts.id, input.draftId));
  const form = peek ? await loadForm(db, peek.procedureCode, peek.formVersion) : null;
  const ctx = await validationContext(db);
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(drafts)
      .where(and(eq(drafts.id, input.draftId), eq(drafts.citizenId, input.citizen.id), gt(drafts.expiresAt, now)))
      .for("update");
    if (!locked) return err(FilingErrors.draftNotFound());
    if (locked.submittedDossierId) {
      const [again] = await tx.select({ code: dossiers.code }).from(dossiers).where(eq(dossiers.id, locked.submittedDossierId));
      return again ? ok({ dossierId: locked.submittedDossierId, code: again.code }) : err(FilingErrors.draftNotFound());
    }
    if (!form) return err(FilingErrors.noForm());
    const checked = validateAll(form.def, locked.data as FormValues, ctx);
    if (!checked.ok) return err(FilingErrors.incomplete(checked.step));
    const values = checked.values;
    const files = await tx.select({ id: attachments.id, slot: attachments.slot, scan: attachments.scan }).from(attachments).where(eq(attachments.draftId, locked.id));
    const missing = activeSlots(form.def, values).filter((s) => s.required && !files.some((f) => f.slot === s.slot));
    if (missing.length) return err(FilingErrors.missingDocuments(missing.length));
    if (files.some((f) => f.scan !== "clean")) return err(FilingErrors.filesPending());
    const fee = await feeFor(tx, locked.procedureCode, values);
    const [payment] = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.draftId, locked.id), eq(payments.status, "paid"))).limit(1);
    const counter = input.counter;
    // at the counter an unpaid fee is paid in cash now, with the filing (never before: a refused filing leaves no payment)
    const cash = counter && fee > 0 && !payment ? counter.cashReceipt?.trim() : undefined;
    if (fee > 0 && !payment && !cash) return err(FilingErrors.unpaid());
    const agencyCode = await agencyFor(tx, form.def, values);
    if (!agencyCode) return err(FilingErrors.noAgency());
    if (counter && agencyCode !== counter.officer.agencyCode) return err(FilingErrors.otherAgency());
    const helper: Helper | undefined = counter ? { staffId: counter.officer.id, kioskId: null, agencyCode: counter.officer.agencyCode } : input.helper;
    // later messages about this dossier go out in the language it was filed in (written only when it changes)
    if (input.citizen.locale !== input.lang) await tx.update(citizens).set({ locale: input.lang }).where(eq(citizens.id, input.citizen.id));
    // the rest is written once the dossier exists, before its audit entry (the transaction's last
    // write: the audit chain's head stays locked from there to commit)
    const created = await insertDossier(tx, {
      procedureCode: locked.procedureCode, agencyCode, channel: counter ? 1 : 2,
      applicantName: values.fullName ?? input.citizen.fullName, applicantIdNumber: values.idNumber ?? input.citizen.idNumber,
      applicantPhone: values.phone || undefined, applicantEmail: values.email || undefined,
      summary: summarise(form.def, values, "vi"), actor: { name: values.fullName ?? input.citizen.fullName, kind: "citizen", id: input.citizen.id, device: input.device },
      at: now, citizenId: input.citizen.id, formVersion: form.version, formData: values, feeVnd: fee, helper,
    }, async ({ id: dossierId, code, appointmentAt }) => {
      const params = { code, procedure: form.def.title[input.lang], appointment: appointmentAt ? formatVnDate(new Date(appointmentAt.getTime() + 7 * 3600_000)) : "", url: input.statusUrl(code) };
      const messages = ([["sms", values.phone], ["email", values.email]] as const)
        .filter(([, recipient]) => recipient)
        .map(([channel, recipient]) => ({ dossierId, channel, recipient, locale: input.lang, template: "submitted" as const, params }));
      // one statement, so one round trip while the day's code counter is locked: the draft's files
      // and payment move to the dossier, the SMS and email join the outbox (the rows
      // enqueueNotification writes, both at once), and the draft is closed
      const writes: SQL[] = [];
      if (files.length) writes.push(tx.update(attachments).set({ dossierId }).where(inArray(attachments.id, files.map((f) => f.id))).getSQL());
      if (payment) writes.push(tx.update(payments).set({ dossierId }).where(eq(payments.id, payment.id)).getSQL());
      if (cash) {
        writes.push(tx.insert(payments).values({
          reference: cashReference(), citizenId: input.citizen.id, draftId: locked.id, dossierId, procedureCode: locked.procedureCode, amountVnd: fee,
          status: "paid", method: "cash", providerTxn: cash.slice(0, 60), paidAt: now, expiresAt: now,
        }).getSQL());
      }
      if (messages.length) writes.push(tx.insert(notifications).values(messages).getSQL());
      // the declaration ticked at submission is the citizen's consent to processing their personal
      // data for this dossier (Decree 13/2023): recorded with its scope, channel and time
      writes.push(tx.insert(consents).values({
        idNumber: values.idNumber ?? input.citizen.idNumber, citizenId: input.citizen.id, dossierId, scope: "filing.personal_data",
        channel: counter ? "counter" : helper ? "kiosk" : "online", officerId: helper?.staffId ?? null, deviceId: helper?.kioskId ?? null, grantedAt: now,
      }).getSQL());
      const close = tx.update(drafts).set({ submittedDossierId: dossierId, updatedAt: sql`now()` }).where(eq(drafts.id, locked.id));
      await tx.execute(sql`with ${sql.join(writes.map((w, i) => sql`${sql.raw(`moved${i}`)} as (${w})`), sql`, `)} ${close.getSQL()}`);
    });
    if (!created.ok) return created;
    if (counter) {
      // the citizen stands at the desk: the officer receives the dossier now, through the state
      // machine (its event, due date, sync job and audit entry), in this same transaction
      const officer = counter.officer;
      const received = await applyStatusChange(tx, {
        dossierId: created.value.id, to: DossierStatus.RECEIVED, at: now,
        // one SMS and one email, not two: the filing's message already gives the code and the appointment
        notify: false,
        actor: { name: officer.fullName.slice(0, 50), title: officer.title ?? undefined, kind: "official", id: officer.username, device: input.device },
      });
      if (!received.ok) throw new Error(`counter filing ${created.value.code} not received: ${received.error.code}`);
      if (cash) {
        await appendAudit(tx, {
          actorKind: "official", actorId: officer.username, device: input.device, action: "payment.cash", subjectKind: "dossier", subjectId: created.value.code,
          details: { amount: fee, receipt: cash.slice(0, 60) }, at: now,
        });
      }
    }
    return ok({ dossierId: created.value.id, code: created.value.code });
  });
}

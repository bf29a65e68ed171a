// Counter filing (channel 1, "trực tiếp"): a one-stop desk officer files for a citizen standing at
// the desk, with the same forms, documents step and review as citizens and kiosks. The citizen's
// identity is checked against the population database, their signature on the declaration is
// their consent (ticked by the officer), the fee is taken in cash, and the dossier is received by
// the officer in the same transaction as it is filed. The desk files only for its own agency.
// See docs/decisions/011-counter-filing.md.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Lng } from "~/i18n";
import { err, ok, type AppError, type Result } from "~/lib/result";
import { CounterErrors } from "./counter.errors";
import { appendAudit } from "~/modules/audit/audit.server";
import { deleteDraft, loadForm, proceduresWithForms, startDraft, submitDraft, isUuid, type Draft } from "~/modules/filing/filing.server";
import { statusUrlFor } from "~/modules/filing/receipt.server";
import type { FormDefinition } from "~/modules/forms/forms.schema";
import { checkIdentity, grantAssistedConsent } from "~/modules/identity/assisted.server";
import type { Citizen } from "~/modules/identity/citizen-auth.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { agencies, citizens, dossiers, drafts, staffUsers } from "~db/schema";
import type { PopulationRegistry } from "~integrations/population/port";
import { mayFileAtCounter } from "./permissions";

/** The consent a citizen gives at the desk by signing: the officer may look them up and file for them. */
export const COUNTER_CONSENT_SCOPE = "counter.assisted_filing";

/** Refuses (and audits, like every refused desk attempt) an official who may not file at the counter. */
async function refuseUnlessCounterOfficer(db: AppDb, staff: StaffUser, attempted: string, device?: string): Promise<AppError | null> {
  if (mayFileAtCounter(staff.role)) return null;
  await db.transaction((tx) => appendAudit(tx, {
    actorKind: "official", actorId: staff.username, device, action: "desk.refused_access", subjectKind: "counter", subjectId: staff.agencyCode, details: { attempted },
  }));
  return CounterErrors.forbidden();
}

/** Whether a form can send its dossiers to this agency (a fixed agency, or one of this agency's kind chosen by commune). */
function mayReach(def: FormDefinition, agency: { code: string; kind: string }): boolean {
  return def.agency.kind === "fixed" ? def.agency.code === agency.code : def.agency.kind === agency.kind;
}

async function agencyOf(db: AppDb, code: string) {
  const [a] = await db.select({ code: agencies.code, kind: agencies.kind }).from(agencies).where(eq(agencies.code, code));
  return a ?? null;
}

/** The procedures this desk can file at its counter: those with a form whose dossiers can come to this agency. */
export async function counterProcedures(db: AppDb, staff: StaffUser) {
  const agency = await agencyOf(db, staff.agencyCode);
  if (!agency) return [];
  const out: { code: string; name_vi: string; name_en: string }[] = [];
  for (const p of await proceduresWithForms(db)) {
    const form = await loadForm(db, p.code);
    if (form && mayReach(form.def, agency)) out.push(p);
  }
  return out;
}

export interface CounterStart { procedureCode: string; idNumber: string; fullName: string; birthDate: string; consent: boolean }

/**
 * Starts a counter filing: the procedure must be one this desk files, the citizen must have signed
 * (the officer ticks it), and the card's details must match the population database. Then, and
 * only then, the consent is recorded (channel "counter", the officer, no device), the citizen's
 * account is found or opened, and a draft prefilled from the population database opens for the officer.
 */
export async function startCounterFiling(db: AppDb, staff: StaffUser, input: CounterStart, population: PopulationRegistry, device?: string): Promise<Result<{ draftId: string; step: string }>> {
  const refused = await refuseUnlessCounterOfficer(db, staff, "counter.start", device);
  if (refused) return err(refused);
  const form = await loadForm(db, input.procedureCode);
  if (!form) return err(CounterErrors.noForm());
  const agency = await agencyOf(db, staff.agencyCode);
  if (!agency || !mayReach(form.def, agency)) return err(CounterErrors.otherAgency());
  if (!input.consent) return err(CounterErrors.consentRequired());
  const officer = { id: staff.id, username: staff.username, device };
  const lookupId = `counter:${staff.id}:${Date.now()}`;
  const checked = await checkIdentity(db, input, { ...officer, requestId: lookupId, purpose: "counter.identify", via: "manual" }, population);
  if (checked.kind === "unavailable") return err(CounterErrors.registryUnavailable());
  if (checked.kind !== "found") return err(CounterErrors.notMatched());
  const { citizen } = await db.transaction((tx) => grantAssistedConsent(tx, {
    idNumber: checked.record.identityNumber, fullName: checked.record.fullName, phone: checked.record.phone, officer, deviceId: null,
    scope: COUNTER_CONSENT_SCOPE, channel: "counter", at: new Date(),
  }));
  const r = await startDraft(db, { citizen, procedureCode: input.procedureCode, population, device, officer: { id: staff.id, username: staff.username }, counterStaffId: staff.id,
    lookedUp: { record: checked.record, lookupId } });
  if (!r.ok) return r;
  return ok({ draftId: r.value.draftId, step: form.def.steps[0].id });
}

/** An open counter draft of this officer (nobody else's, and not a citizen's own), with its citizen. */
export async function counterDraft(db: AppDb, staff: StaffUser, draftId: string, now = new Date()): Promise<{ draft: Draft; citizen: Citizen } | null> {
  if (!isUuid(draftId) || !mayFileAtCounter(staff.role)) return null;
  const [row] = await db.select({ draft: drafts, citizen: citizens }).from(drafts).innerJoin(citizens, eq(citizens.id, drafts.citizenId))
    .where(and(eq(drafts.id, draftId), eq(drafts.counterStaffId, staff.id), isNull(drafts.submittedDossierId), gt(drafts.expiresAt, now)));
  return row ?? null;
}

/**
 * Discards an unfinished counter draft of this officer (the citizen left, or it was started for
 * the wrong procedure), with the scans uploaded to it; audited. Null when it is not this
 * officer's open counter draft. Returns the stored objects' hashes for collectGarbage.
 */
export async function discardCounterDraft(db: AppDb, staff: StaffUser, draftId: string, device?: string): Promise<string[] | null> {
  const found = await counterDraft(db, staff, draftId);
  if (!found) return null;
  return db.transaction(async (tx) => {
    const files = await deleteDraft(tx, found.draft.id);
    await appendAudit(tx, {
      actorKind: "official", actorId: staff.username, device, action: "counter.draft_discarded", subjectKind: "citizen", subjectId: found.citizen.id,
      details: { draft: found.draft.id, procedure: found.draft.procedureCode, files: files.length },
    });
    return files;
  });
}

/**
 * Files the counter draft: channel 1, the officer's agency only, the fee in cash (the desk's
 * receipt number), received at once — all in the filing's one transaction (submitDraft).
 */
export async function submitCounterFiling(
  db: AppDb, staff: StaffUser, draftId: string, input: { cashReceipt?: string; lang: Lng; device?: string },
): Promise<Result<{ dossierId: string; code: string }>> {
  const refused = await refuseUnlessCounterOfficer(db, staff, "counter.submit", input.device);
  if (refused) return err(refused);
  const found = await counterDraft(db, staff, draftId);
  if (!found) return err(CounterErrors.draftNotFound());
  return submitDraft(db, {
    citizen: found.citizen, draftId: found.draft.id, draft: found.draft, device: input.device, lang: input.lang, statusUrl: statusUrlFor,
    counter: { officer: staff, cashReceipt: input.cashReceipt },
  });
}

/**
 * A dossier of the official's agency, for its receipt slip (the citizen's id to render it with,
 * the officer who filed it), or null; another agency's is refused and audited like any desk look.
 */
export async function agencyDossierForSlip(db: AppDb, staff: StaffUser, code: string, device?: string): Promise<{ citizenId: string; code: string; helper: string | null } | null> {
  const [d] = await db.select({ code: dossiers.code, citizenId: dossiers.citizenId, agencyCode: dossiers.agencyCode, helper: staffUsers.fullName })
    .from(dossiers).leftJoin(staffUsers, eq(staffUsers.id, dossiers.helperStaffId)).where(eq(dossiers.code, code));
  if (!d?.citizenId) return null;
  if (d.agencyCode !== staff.agencyCode) {
    await db.transaction((tx) => appendAudit(tx, { actorKind: "official", actorId: staff.username, device, action: "desk.refused_access", subjectKind: "dossier", subjectId: code, details: { attempted: "receipt" } }));
    return null;
  }
  await db.transaction((tx) => appendAudit(tx, { actorKind: "official", actorId: staff.username, device, action: "personal_data.view", subjectKind: "dossier", subjectId: code, details: { receipt: true } }));
  return { citizenId: d.citizenId, code: d.code, helper: d.helper };
}

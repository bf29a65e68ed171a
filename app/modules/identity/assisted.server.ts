// An officer filing on a citizen's behalf — at a commune police kiosk or at the one-stop desk's
// counter — first checks who the citizen is against the population database (every look-up on the
// record), then records the citizen's consent and finds or opens the citizen's own account (by
// identity number: claimed at their first e-ID login, where the dossiers filed for them wait).
import { eq } from "drizzle-orm";
import { appendAudit } from "~/modules/audit/audit.server";
import type { AppDb, AppTx } from "~db/client.server";
import { citizens, consents, populationLookups } from "~db/schema";
import type { PopulationRecord, PopulationRegistry } from "~integrations/population/port";
import { UNCLAIMED_SUB_PREFIX, type Citizen } from "./citizen-auth.server";

export interface AssistingOfficer {
  id: string;
  username: string;
  /** Where: `kiosk:<id>` for a kiosk; the browser at the desk. */
  device?: string;
}

export type IdentityCheck =
  | { kind: "found"; record: PopulationRecord }
  /** Not found, or the name / birth date does not match: one answer, so nothing leaks. */
  | { kind: "not_matched" }
  | { kind: "unavailable" };

/**
 * The identity number, name and birth date the officer read from the citizen's card, checked
 * against the population database. The look-up is logged (population_lookups) and audited
 * whatever its outcome; nothing else is written.
 */
export async function checkIdentity(
  db: AppDb,
  input: { idNumber: string; fullName: string; birthDate: string },
  asker: AssistingOfficer & { requestId: string; purpose: string; via: string },
  population: PopulationRegistry,
): Promise<IdentityCheck> {
  const lookup = await population.lookupCitizen({
    identityNumber: input.idNumber, fullName: input.fullName, birthDate: input.birthDate, requestedBy: asker.username, requestId: asker.requestId,
  }).catch((error: unknown) => ({ kind: "unavailable" as const, reason: String(error) }));
  const outcome = lookup.kind === "found" ? "found" : lookup.kind === "not_found" ? "not_found" : lookup.kind === "mismatch" ? "mismatch" : "error";
  await db.transaction(async (tx) => {
    await tx.insert(populationLookups).values({ idNumber: input.idNumber, requestedByKind: "officer", requestedById: asker.id, purpose: asker.requestId, outcome });
    await appendAudit(tx, {
      actorKind: "officer", actorId: asker.username, device: asker.device, action: "population.lookup",
      subjectKind: "citizen", subjectId: input.idNumber, details: { purpose: asker.purpose, via: asker.via, outcome },
    });
  });
  if (lookup.kind === "unavailable" || lookup.kind === "rejected") return { kind: "unavailable" };
  if (lookup.kind !== "found") return { kind: "not_matched" };
  return { kind: "found", record: lookup.citizen };
}

/**
 * The account of this identity number, opened (unclaimed: their first e-ID login claims it) when
 * there is none yet, so what is filed for them shows in their /ho-so.
 */
export async function citizenAccountFor(tx: AppTx, input: { idNumber: string; fullName: string; phone: string | null }): Promise<Citizen> {
  const [known] = await tx.select().from(citizens).where(eq(citizens.idNumber, input.idNumber));
  if (known) return known;
  const [opened] = await tx.insert(citizens).values({ sub: `${UNCLAIMED_SUB_PREFIX}${input.idNumber}`, idNumber: input.idNumber, fullName: input.fullName, phone: input.phone }).returning();
  return opened;
}

/**
 * The citizen's consent to an officer filing for them (scope, channel, time, officer, kiosk if
 * any), in the caller's transaction, with the citizen's account found or opened. The audit entry
 * is the last write.
 */
export async function grantAssistedConsent(
  tx: AppTx,
  input: { idNumber: string; fullName: string; phone: string | null; officer: AssistingOfficer; deviceId: string | null; scope: string; channel: string; at: Date },
): Promise<{ citizen: Citizen; consentId: string }> {
  const citizen = await citizenAccountFor(tx, input);
  const [consent] = await tx.insert(consents).values({
    idNumber: input.idNumber, citizenId: citizen.id, officerId: input.officer.id, deviceId: input.deviceId, scope: input.scope, channel: input.channel, grantedAt: input.at,
  }).returning({ id: consents.id });
  await appendAudit(tx, {
    actorKind: "citizen", actorId: citizen.id, device: input.officer.device, action: "consent.granted", subjectKind: "citizen", subjectId: citizen.id,
    details: { scope: input.scope, channel: input.channel, officer: input.officer.username, consent: consent.id },
  });
  return { citizen, consentId: consent.id };
}

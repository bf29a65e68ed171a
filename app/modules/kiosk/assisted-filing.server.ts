// Filing on behalf of the consenting citizen, with the ordinary filing module.
import { and, eq } from "drizzle-orm";
import { err, ok, type Result } from "~/lib/result";
import { draftFor, startDraft, type Draft } from "~/modules/filing/filing.server";
import { tokenFor } from "~/modules/identity/sessions.server";
import type { AppDb } from "~db/client.server";
import { dossiers, kioskSessions } from "~db/schema";
import type { PopulationRegistry } from "~integrations/population/port";
import { requireKiosk, type KioskContext } from "./guard.server";
import { KioskErrors } from "./kiosk.errors";
import type { FileStorage } from "~/modules/storage/storage.server";

/** The session's open draft (the id lives in the session, never in a URL). */
export async function sessionDraft(db: AppDb, ctx: KioskContext): Promise<Draft | null> {
  if (!ctx.session?.draftId || !ctx.citizen) return null;
  return draftFor(db, ctx.citizen.id, ctx.session.draftId);
}

/** Opens a draft for the consenting citizen, prefilled from the population database (the officer's look-up). */
export async function startAssistedDraft(db: AppDb, ctx: KioskContext, procedureCode: string, population: PopulationRegistry): Promise<Result<{ draftId: string }>> {
  if (!ctx.session || !ctx.citizen) return err(KioskErrors.needsConsent());
  const existing = await sessionDraft(db, ctx);
  if (existing) return ok({ draftId: existing.id });
  const r = await startDraft(db, { citizen: ctx.citizen, procedureCode, population, device: `kiosk:${ctx.device.id}`, officer: { id: ctx.officer.id, username: ctx.officer.username } });
  if (!r.ok) return r;
  await db.update(kioskSessions).set({ draftId: r.value.draftId, dossierId: null }).where(eq(kioskSessions.id, ctx.session.id));
  return ok({ draftId: r.value.draftId });
}

/** Whether this request is the kiosk session filing the draft a payment was for (PayGov's return). */
export async function kioskOwnsDraft(db: AppDb, storage: FileStorage, request: Request, payment: { citizenId: string | null; draftId: string | null }): Promise<boolean> {
  if (!tokenFor("kiosk", request)) return false;
  const ctx = await requireKiosk(db, storage, request, "consented").catch(() => null);
  return Boolean(ctx?.citizen && ctx.citizen.id === payment.citizenId && ctx.session?.draftId === payment.draftId);
}

export const helperOf = (ctx: KioskContext) => ({ staffId: ctx.officer.id, kioskId: ctx.device.id, agencyCode: ctx.officer.agencyCode });

/** After submission the session shows that dossier's receipt. */
export async function recordSubmitted(db: AppDb, ctx: KioskContext, dossierId: string) {
  if (ctx.session) await db.update(kioskSessions).set({ draftId: null, dossierId }).where(eq(kioskSessions.id, ctx.session.id));
}

/** The dossier filed in this session (for the receipt slip), or null. */
export async function sessionDossier(db: AppDb, ctx: KioskContext) {
  if (!ctx.session?.dossierId || !ctx.citizen) return null;
  const [d] = await db.select().from(dossiers).where(and(eq(dossiers.id, ctx.session.dossierId), eq(dossiers.citizenId, ctx.citizen.id), eq(dossiers.helperStaffId, ctx.officer.id)));
  return d ?? null;
}

// Assisted sessions: one open session per kiosk, run by its officer. Ending the session (or
// idling) deletes the session row and the citizen's unfinished draft unless they take it to
// their account.
import { randomBytes } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import { config } from "~/config.server";
import { sleepUnlessAborted } from "~/lib/sleep";
import { appendAudit } from "~/modules/audit/audit.server";
import { collectGarbage } from "~/modules/filing/documents.server";
import { discardDraft } from "~/modules/filing/filing.server";
import { cookieFor, tokenHash } from "~/modules/identity/sessions.server";
import { log } from "~/modules/observability/logger.server";
import type { AppDb } from "~db/client.server";
import { consents, kioskSessions } from "~db/schema";
import type { KioskContext } from "./guard.server";
import { KIOSK_VIEW_COOKIE } from "./kiosk.schema";
import type { FileStorage } from "~/modules/storage/storage.server";

export type KioskSession = typeof kioskSessions.$inferSelect;

const SESSION_COOKIE_S = 8 * 3600;
export const idleMs = () => config().KIOSK_IDLE_SECONDS * 1000;

export const sessionCookie = (token: string) => cookieFor("kiosk", token, SESSION_COOKIE_S);
/**
 * The citizen's display choices at the kiosk (large text, high contrast), kept across full page
 * loads (uploads, the return from PayGov) in a browser-session cookie the page writes; not a
 * secret, so not httpOnly. Expired with the session, like the language (`lng`).
 */
export function kioskViewOf(request: Request): { large: boolean; contrast: boolean } {
  const value = new RegExp(`(?:^|;\\s*)${KIOSK_VIEW_COOKIE}=([a-z.]*)`).exec(request.headers.get("cookie") ?? "")?.[1] ?? "";
  const parts = value.split(".");
  return { large: parts.includes("large"), contrast: parts.includes("contrast") };
}

/** Expires the citizen-scoped cookies (the assisted session, their language and display choices); the device and officer cookies stay. */
export const clearCitizenCookies = () => [
  cookieFor("kiosk", "", 0), cookieFor("kiosk_approval", "", 0), cookieFor("citizen", "", 0),
  "lng=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", `${KIOSK_VIEW_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0`,
];


/** Starts an assisted session on this device for this officer (one open session per device). */
export async function startSession(db: AppDb, storage: FileStorage, ctx: KioskContext): Promise<{ token: string }> {
  await sweepIdleSessions(db, storage);
  for (const s of await db.select().from(kioskSessions).where(eq(kioskSessions.deviceId, ctx.device.id))) await closeSession(db, storage, s, { keepDraft: false, reason: "replaced" });
  const token = randomBytes(32).toString("base64url");
  await db.insert(kioskSessions).values({ tokenHash: tokenHash(token), officerId: ctx.officer.id, deviceId: ctx.device.id, csrfSecret: randomBytes(16).toString("base64url") });
  return { token };
}

/** Ends the session: the row (and its codes) go; the draft is deleted or left in the citizen's account. */
export async function endSession(db: AppDb, storage: FileStorage, ctx: KioskContext, opts: { keepDraft: boolean }): Promise<void> {
  if (ctx.session) await closeSession(db, storage, ctx.session, { ...opts, reason: "ended" });
}

/** Deletes the session row (and its codes), ends its consent, audits; the draft goes unless kept. */
export async function closeSession(db: AppDb, storage: FileStorage, s: KioskSession, opts: { keepDraft: boolean; reason: string }) {
  let discarded: string[] | null = null;
  if (s.draftId && s.citizenId && !opts.keepDraft) discarded = await discardDraft(db, s.citizenId, s.draftId);
  await db.transaction(async (tx) => {
    const [gone] = await tx.delete(kioskSessions).where(eq(kioskSessions.id, s.id)).returning({ id: kioskSessions.id });
    if (!gone) return;
    if (s.consentId) await tx.update(consents).set({ endedAt: sql`now()` }).where(eq(consents.id, s.consentId));
    await appendAudit(tx, {
      actorKind: "officer", actorId: s.officerId, device: `kiosk:${s.deviceId}`, action: "kiosk.session_ended", subjectKind: "kiosk_session", subjectId: s.id,
      details: { reason: opts.reason, draft: s.draftId ? (opts.keepDraft ? "kept" : "deleted") : null },
    });
  });
  if (discarded?.length) await collectGarbage(db, storage, discarded);
}

/** An officer signs out: every assisted session they had open ends with them (drafts deleted). */
export async function endOfficerSessions(db: AppDb, storage: FileStorage, officerId: string): Promise<number> {
  const open = await db.select().from(kioskSessions).where(eq(kioskSessions.officerId, officerId));
  for (const s of open) await closeSession(db, storage, s, { keepDraft: false, reason: "officer_signed_out" });
  return open.length;
}

/** Sessions idle past the limit on any device end (their drafts are deleted: nobody chose otherwise). */
export async function sweepIdleSessions(db: AppDb, storage: FileStorage): Promise<number> {
  const idle = await db.select().from(kioskSessions).where(lt(kioskSessions.lastSeenAt, new Date(Date.now() - idleMs())));
  for (const s of idle) await closeSession(db, storage, s, { keepDraft: false, reason: "idle" });
  return idle.length;
}

/** Ends idle assisted sessions even when their kiosk makes no further request (every 30 s, any instance). */
export async function runKioskIdleSweep(db: AppDb, storage: FileStorage, signal: AbortSignal, everyMs = 30_000) {
  while (!signal.aborted) {
    await sweepIdleSessions(db, storage).catch((error: unknown) => log.error("kiosk idle sweep", { error: String(error) }));
    await sleepUnlessAborted(everyMs, signal);
  }
}

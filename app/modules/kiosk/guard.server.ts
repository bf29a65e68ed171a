// The one guard of kiosk mode: every kiosk loader and action goes through `requireKiosk`, which
// is where the device, the officer, the assisted session (ended when idle) and consent are checked.
import { redirect } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import type { Citizen } from "~/modules/identity/citizen-auth.server";
import { csrfMatches, csrfTokenOf, tokenFor, tokenHash } from "~/modules/identity/sessions.server";
import { staffFromRequest, type StaffUser } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { citizens, kioskSessions } from "~db/schema";
import { deviceFromRequest, type KioskDevice } from "./devices.server";
import { closeSession, idleMs, type KioskSession } from "./sessions.server";
import type { FileStorage } from "~/modules/storage/storage.server";

export interface KioskContext {
  device: KioskDevice;
  officer: StaffUser;
  /** The officer's sign-in CSRF token (for actions outside an assisted session). */
  officerCsrf: string;
  session: KioskSession | null;
  /** The CSRF token for this assisted session's forms. */
  csrf: string;
  /** Only once the citizen has consented. */
  citizen: Citizen | null;
}

const noStore = { "Cache-Control": "no-store" };

/**
 * The one guard of kiosk mode. A registered, unrevoked device; a commune police officer of the
 * device's own commune signed in; the assisted session of this device and officer (ended when
 * idle); and, when `need` is "consented", the citizen's verified consent. Throws the response
 * to send otherwise (redirects carry no personal data).
 */
export async function requireKiosk(db: AppDb, storage: FileStorage, request: Request, need: "officer" | "session" | "consented"): Promise<KioskContext> {
  const device = await deviceFromRequest(db, request);
  if (!device) throw redirect("/quay/thiet-bi", { headers: noStore });
  const staff = await staffFromRequest(db, request);
  if (!staff) throw redirect("/can-bo/dang-nhap", { headers: noStore });
  if (staff.user.role !== "police" || staff.user.agencyCode !== device.agencyCode) throw new Response("forbidden", { status: 403, headers: noStore });
  let session = await liveSessionFor(db, storage, request, device, staff.user);
  if (need !== "officer" && !session) throw redirect("/quay", { headers: noStore });
  if (need === "consented" && session?.state !== "consented") throw redirect("/quay", { headers: noStore });
  let citizen: Citizen | null = null;
  if (session?.state === "consented" && session.citizenId) {
    [citizen] = await db.select().from(citizens).where(eq(citizens.id, session.citizenId));
    if (!citizen) session = null;
  }
  if (need === "consented" && !citizen) throw redirect("/quay", { headers: noStore });
  return { device, officer: staff.user, officerCsrf: staff.csrf, session, csrf: session ? csrfTokenOf(session) : staff.csrf, citizen };
}

async function liveSessionFor(db: AppDb, storage: FileStorage, request: Request, device: KioskDevice, officer: StaffUser): Promise<KioskSession | null> {
  const token = tokenFor("kiosk", request);
  if (!token) return null;
  const [row] = await db.select().from(kioskSessions).where(eq(kioskSessions.tokenHash, tokenHash(token)));
  if (!row) return null;
  // another device's or officer's session is not this one's (a copied cookie is worth nothing)
  if (row.deviceId !== device.id || row.officerId !== officer.id) return null;
  if (row.lastSeenAt.getTime() < Date.now() - idleMs()) {
    await closeSession(db, storage, row, { keepDraft: false, reason: "idle" });
    return null;
  }
  await db.update(kioskSessions).set({ lastSeenAt: sql`now()` }).where(eq(kioskSessions.id, row.id));
  return row;
}

export const kioskCsrfOk = (ctx: KioskContext, token: unknown) => csrfMatches(ctx.csrf, token);

/**
 * For ending a session: the session's token, or the officer's. The idle lock posts the officer's,
 * because by the time its countdown reaches zero the server may already have closed the session
 * (and its token with it); ending must then still answer "session ended", never 403.
 */
export const kioskEndCsrfOk = (ctx: KioskContext, token: unknown) => csrfMatches(ctx.csrf, token) || csrfMatches(ctx.officerCsrf, token);

/** Milliseconds until the server ends this (just touched) assisted session: what the screen counts down. */
export const idleLeftMs = (ctx: KioskContext) => (ctx.session ? idleMs() : 0);

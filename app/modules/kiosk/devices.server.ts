// Kiosk devices (Project 06): an administrator registers a kiosk for a commune police, the kiosk
// enrols with a one-time code and from then on carries a revocable credential in a long-lived
// cookie, checked against the database on every request.
import { createHash, randomBytes, randomInt } from "node:crypto";
import { and, desc, eq, gte, isNull, sql } from "drizzle-orm";
import { err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { cookieFor, hitRateLimit, tokenFor, tokenHash } from "~/modules/identity/sessions.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { agencies, kioskDevices, kioskSessions } from "~db/schema";
import { KioskErrors } from "./kiosk.errors";
import { closeSession } from "./sessions.server";
import type { FileStorage } from "~/modules/storage/storage.server";

export type KioskDevice = typeof kioskDevices.$inferSelect;

const DEVICE_COOKIE_S = 365 * 86_400;
const ENROL_TTL_MS = 7 * 86_400_000;
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** Enrolment codes are short enough to type on a touchscreen: 10 characters without look-alikes. */
function newEnrolCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  let s = "";
  for (let i = 0; i < 10; i++) s += alphabet[randomInt(alphabet.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
const normaliseEnrolCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, "").replace(/^(.{5})(.{5})$/, "$1-$2");
export const hashEnrolCode = (code: string) => sha(normaliseEnrolCode(code));

/** An administrator registers a kiosk for a commune police; the one-time enrolment code is shown once. */
export async function registerDevice(db: AppDb, admin: StaffUser, input: { label: string; agencyCode: string; enrolCode?: string }): Promise<Result<{ id: string; enrolCode: string }>> {
  if (admin.role !== "admin") return err(KioskErrors.notOfficer());
  const [agency] = await db.select({ kind: agencies.kind }).from(agencies).where(eq(agencies.code, input.agencyCode));
  if (agency?.kind !== "commune_police") return err(KioskErrors.badProcedure());
  const enrolCode = input.enrolCode ?? newEnrolCode();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(kioskDevices).values({
      label: input.label.slice(0, 100), agencyCode: input.agencyCode, enrolCodeHash: hashEnrolCode(enrolCode),
      enrolExpiresAt: new Date(Date.now() + ENROL_TTL_MS), createdBy: admin.username,
    }).returning({ id: kioskDevices.id });
    await appendAudit(tx, { actorKind: "official", actorId: admin.username, action: "kiosk.device_registered", subjectKind: "kiosk", subjectId: row.id, details: { agency: input.agencyCode } });
    return ok({ id: row.id, enrolCode });
  });
}

/** The kiosk itself: a valid enrolment code becomes the device's credential (the code dies). */
export async function enrolDevice(db: AppDb, code: string): Promise<Result<{ token: string; device: KioskDevice }>> {
  const token = randomBytes(32).toString("base64url");
  const [device] = await db.update(kioskDevices)
    .set({ credentialHash: tokenHash(token), enrolCodeHash: null, enrolExpiresAt: null, enrolledAt: sql`now()` })
    .where(and(eq(kioskDevices.enrolCodeHash, hashEnrolCode(code)), isNull(kioskDevices.revokedAt), gte(kioskDevices.enrolExpiresAt, new Date())))
    .returning();
  if (!device) return err(KioskErrors.badEnrolCode());
  await db.transaction((tx) => appendAudit(tx, { actorKind: "system", actorId: "kiosk", action: "kiosk.device_enrolled", subjectKind: "kiosk", subjectId: device.id, details: null }));
  return ok({ token, device });
}

/**
 * Enrolment codes are typed on a page anyone can reach, so guesses are limited per source address
 * and per code — never globally, where anyone's bogus codes would shut every kiosk of the province
 * out, the valid code included. The code space (31^10, codes expire in 7 days) does the rest.
 */
export const ENROL_LIMITS = { address: 30, code: 10, windowMs: 15 * 60_000 };

/** enrolDevice for the enrolment page: `address` is the client address the request came from. */
export async function enrolDeviceFrom(db: AppDb, input: { code: string; address: string }): Promise<Result<{ token: string; device: KioskDevice }>> {
  const byAddress = await hitRateLimit(db, `kiosk:enrol:address:${input.address}`, ENROL_LIMITS.address, ENROL_LIMITS.windowMs);
  if (!byAddress.ok) return err(KioskErrors.rateLimited(byAddress.retryAfterS));
  const byCode = await hitRateLimit(db, `kiosk:enrol:code:${hashEnrolCode(input.code)}`, ENROL_LIMITS.code, ENROL_LIMITS.windowMs);
  if (!byCode.ok) return err(KioskErrors.rateLimited(byCode.retryAfterS));
  return enrolDevice(db, input.code);
}

/** Revocation bites on the next request: the device row is read on every kiosk request, and its sessions end now. */
export async function revokeDevice(db: AppDb, storage: FileStorage, admin: StaffUser, deviceId: string): Promise<Result<null>> {
  if (admin.role !== "admin") return err(KioskErrors.notOfficer());
  const [row] = await db.update(kioskDevices).set({ revokedAt: sql`now()`, credentialHash: null, enrolCodeHash: null })
    .where(and(eq(kioskDevices.id, deviceId), isNull(kioskDevices.revokedAt))).returning({ id: kioskDevices.id });
  if (!row) return err(KioskErrors.noDevice());
  for (const s of await db.select().from(kioskSessions).where(eq(kioskSessions.deviceId, deviceId))) await closeSession(db, storage, s, { keepDraft: false, reason: "revoked" });
  await db.transaction((tx) => appendAudit(tx, { actorKind: "official", actorId: admin.username, action: "kiosk.device_revoked", subjectKind: "kiosk", subjectId: deviceId, details: null }));
  return ok(null);
}

export async function listDevices(db: AppDb) {
  return db.select({ id: kioskDevices.id, label: kioskDevices.label, agencyCode: kioskDevices.agencyCode, agencyName: agencies.nameVi, enrolledAt: kioskDevices.enrolledAt, revokedAt: kioskDevices.revokedAt, lastSeenAt: kioskDevices.lastSeenAt, createdAt: kioskDevices.createdAt })
    .from(kioskDevices).innerJoin(agencies, eq(agencies.code, kioskDevices.agencyCode)).orderBy(desc(kioskDevices.createdAt));
}

export async function communePoliceAgencies(db: AppDb) {
  return db.select({ code: agencies.code, name: agencies.nameVi }).from(agencies).where(eq(agencies.kind, "commune_police")).orderBy(agencies.code);
}

/** The kiosk this request comes from: a live credential, read from the database every time (no cache). */
export async function deviceFromRequest(db: AppDb, request: Request): Promise<KioskDevice | null> {
  const token = tokenFor("kiosk_device", request);
  if (!token) return null;
  const [device] = await db.update(kioskDevices).set({ lastSeenAt: sql`now()` })
    .where(and(eq(kioskDevices.credentialHash, tokenHash(token)), isNull(kioskDevices.revokedAt))).returning();
  return device ?? null;
}

export const deviceCookie = (token: string) => cookieFor("kiosk_device", token, DEVICE_COOKIE_S);

// Kiosk mode for commune police (Project 06). A registered kiosk device (a revocable credential in
// a long-lived cookie, checked against the database on every request) with a commune police
// officer signed in runs assisted sessions: the citizen is identified (chip card QR or typed),
// consents with a one-time code sent to the phone on record in the population database, and the
// officer files on their behalf with the ordinary filing module. Ending the session (or idling)
// deletes the session row and the citizen's unfinished draft unless they take it to their account.
// Every kiosk loader and action goes through `requireKiosk`, which is where consent is enforced.
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { redirect } from "@remix-run/node";
import { and, desc, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { config } from "~/config.server";
import type { Lng } from "~/i18n";
import { i18nFor } from "~/i18next.server";
import { err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { log } from "~/modules/observability/logger.server";
import { collectGarbage } from "~/modules/filing/documents.server";
import { discardDraft, draftFor, startDraft, type Draft } from "~/modules/filing/filing.server";
import { checkIdentity, grantAssistedConsent } from "~/modules/identity/assisted.server";
import type { Citizen } from "~/modules/identity/citizen-auth.server";
import { cookieFor, csrfMatches, csrfTokenOf, hitRateLimit, tokenFor, tokenHash } from "~/modules/identity/sessions.server";
import { staffFromRequest, type StaffUser } from "~/modules/identity/staff-auth.server";
import { selectRows, type AppDb, type AppTx } from "~db/client.server";
import { agencies, citizens, consents, dossiers, kioskApprovals, kioskConsentCodes, kioskDevices, kioskSessions, staffUsers } from "~db/schema";
import type { SmsSender } from "~integrations/notify/port";
import type { PopulationRegistry } from "~integrations/population/port";
import { KioskErrors } from "./kiosk.errors";
import { maskPhone, type ManualIdentify } from "./kiosk.schema";
import { sleepUnlessAborted } from "~/lib/sleep";

export type KioskDevice = typeof kioskDevices.$inferSelect;
export type KioskSession = typeof kioskSessions.$inferSelect;

export const CONSENT_SCOPE = "kiosk.assisted_filing";
export const MAX_CODE_ATTEMPTS = 5;
const DEVICE_COOKIE_S = 365 * 86_400;
const SESSION_COOKIE_S = 8 * 3600;
const ENROL_TTL_MS = 7 * 86_400_000;
/** Per officer and per device, never per address: a commune's kiosks sit behind one NAT. */
export const LIMITS = {
  identify: { officer: 30, device: 60, windowMs: 15 * 60_000 },
  sendCode: { officer: 10, device: 20, windowMs: 15 * 60_000 },
  verify: { officer: 30, device: 60, windowMs: 15 * 60_000 },
  /** e-ID approval requests: like sending codes. */
  approval: { officer: 10, device: 20, windowMs: 15 * 60_000 },
};

const idleMs = () => config().KIOSK_IDLE_SECONDS * 1000;
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
// a consent code is salted with its session: the same six digits hash differently in each session
const codeHash = (sessionId: string, code: string) => sha(`kiosk-consent:${sessionId}:${code}`);

// ---------------------------------------------------------------- devices

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
export async function revokeDevice(db: AppDb, admin: StaffUser, deviceId: string): Promise<Result<null>> {
  if (admin.role !== "admin") return err(KioskErrors.notOfficer());
  const [row] = await db.update(kioskDevices).set({ revokedAt: sql`now()`, credentialHash: null, enrolCodeHash: null })
    .where(and(eq(kioskDevices.id, deviceId), isNull(kioskDevices.revokedAt))).returning({ id: kioskDevices.id });
  if (!row) return err(KioskErrors.noDevice());
  for (const s of await db.select().from(kioskSessions).where(eq(kioskSessions.deviceId, deviceId))) await closeSession(db, s, { keepDraft: false, reason: "revoked" });
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
export const sessionCookie = (token: string) => cookieFor("kiosk", token, SESSION_COOKIE_S);
/** Expires the citizen-scoped cookies (the assisted session); the device and officer cookies stay. */
export const clearCitizenCookies = () => [cookieFor("kiosk", "", 0), cookieFor("kiosk_approval", "", 0), cookieFor("citizen", "", 0)];

// ---------------------------------------------------------------- the guard

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
export async function requireKiosk(db: AppDb, request: Request, need: "officer" | "session" | "consented"): Promise<KioskContext> {
  const device = await deviceFromRequest(db, request);
  if (!device) throw redirect("/quay/thiet-bi", { headers: noStore });
  const staff = await staffFromRequest(db, request);
  if (!staff) throw redirect("/can-bo/dang-nhap", { headers: noStore });
  if (staff.user.role !== "police" || staff.user.agencyCode !== device.agencyCode) throw new Response("forbidden", { status: 403, headers: noStore });
  let session = await liveSessionFor(db, request, device, staff.user);
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

async function liveSessionFor(db: AppDb, request: Request, device: KioskDevice, officer: StaffUser): Promise<KioskSession | null> {
  const token = tokenFor("kiosk", request);
  if (!token) return null;
  const [row] = await db.select().from(kioskSessions).where(eq(kioskSessions.tokenHash, tokenHash(token)));
  if (!row) return null;
  // another device's or officer's session is not this one's (a copied cookie is worth nothing)
  if (row.deviceId !== device.id || row.officerId !== officer.id) return null;
  if (row.lastSeenAt.getTime() < Date.now() - idleMs()) {
    await closeSession(db, row, { keepDraft: false, reason: "idle" });
    return null;
  }
  await db.update(kioskSessions).set({ lastSeenAt: sql`now()` }).where(eq(kioskSessions.id, row.id));
  return row;
}

export const kioskCsrfOk = (ctx: KioskContext, token: unknown) => csrfMatches(ctx.csrf, token);

// ---------------------------------------------------------------- assisted sessions

/** Starts an assisted session on this device for this officer (one open session per device). */
export async function startSession(db: AppDb, ctx: KioskContext): Promise<{ token: string }> {
  await sweepIdleSessions(db);
  for (const s of await db.select().from(kioskSessions).where(eq(kioskSessions.deviceId, ctx.device.id))) await closeSession(db, s, { keepDraft: false, reason: "replaced" });
  const token = randomBytes(32).toString("base64url");
  await db.insert(kioskSessions).values({ tokenHash: tokenHash(token), officerId: ctx.officer.id, deviceId: ctx.device.id, csrfSecret: randomBytes(16).toString("base64url") });
  return { token };
}

/** Ends the session: the row (and its codes) go; the draft is deleted or left in the citizen's account. */
export async function endSession(db: AppDb, ctx: KioskContext, opts: { keepDraft: boolean }): Promise<void> {
  if (ctx.session) await closeSession(db, ctx.session, { ...opts, reason: "ended" });
}

async function closeSession(db: AppDb, s: KioskSession, opts: { keepDraft: boolean; reason: string }) {
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
  if (discarded?.length) await collectGarbage(db, discarded);
}

/** An officer signs out: every assisted session they had open ends with them (drafts deleted). */
export async function endOfficerSessions(db: AppDb, officerId: string): Promise<number> {
  const open = await db.select().from(kioskSessions).where(eq(kioskSessions.officerId, officerId));
  for (const s of open) await closeSession(db, s, { keepDraft: false, reason: "officer_signed_out" });
  return open.length;
}

/** Sessions idle past the limit on any device end (their drafts are deleted: nobody chose otherwise). */
export async function sweepIdleSessions(db: AppDb): Promise<number> {
  const idle = await db.select().from(kioskSessions).where(lt(kioskSessions.lastSeenAt, new Date(Date.now() - idleMs())));
  for (const s of idle) await closeSession(db, s, { keepDraft: false, reason: "idle" });
  return idle.length;
}

/** Ends idle assisted sessions even when their kiosk makes no further request (every 30 s, any instance). */
export async function runKioskIdleSweep(db: AppDb, signal: AbortSignal, everyMs = 30_000) {
  while (!signal.aborted) {
    await sweepIdleSessions(db).catch((error: unknown) => log.error("kiosk idle sweep", { error: String(error) }));
    await sleepUnlessAborted(everyMs, signal);
  }
}

async function limited(db: AppDb, ctx: KioskContext, what: keyof typeof LIMITS): Promise<number | null> {
  const l = LIMITS[what];
  const a = await hitRateLimit(db, `kiosk:${what}:officer:${ctx.officer.id}`, l.officer, l.windowMs);
  const b = await hitRateLimit(db, `kiosk:${what}:device:${ctx.device.id}`, l.device, l.windowMs);
  if (a.ok && b.ok) return null;
  await db.transaction((tx) => appendAudit(tx, {
    actorKind: "officer", actorId: ctx.officer.username, device: `kiosk:${ctx.device.id}`, action: "kiosk.anomaly", subjectKind: "kiosk", subjectId: ctx.device.id,
    details: { what, officer: !a.ok, device: !b.ok },
  }));
  return Math.max(a.ok ? 0 : a.retryAfterS, b.ok ? 0 : b.retryAfterS);
}

/**
 * Identifies the citizen (from the chip card's QR or typed) against the population database: the
 * identity number, name and birth date must match its record. Then a consent code goes to the
 * phone on record; a citizen without one can only approve from their own e-ID (maskedPhone null).
 * Nothing personal comes back but the masked phone.
 */
export async function identifyCitizen(
  db: AppDb, ctx: KioskContext, input: ManualIdentify & { via: "qr" | "manual" }, services: { population: PopulationRegistry; sms: SmsSender; lng: Lng },
): Promise<Result<{ maskedPhone: string | null }>> {
  if (!ctx.session) return err(KioskErrors.noSession());
  const wait = await limited(db, ctx, "identify");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const checked = await checkIdentity(db, input, {
    id: ctx.officer.id, username: ctx.officer.username, device: `kiosk:${ctx.device.id}`, requestId: `kiosk:${ctx.session.id}`, purpose: "kiosk.identify", via: input.via,
  }, services.population);
  if (checked.kind === "unavailable") return err(KioskErrors.registryUnavailable());
  if (checked.kind !== "found") return err(KioskErrors.notMatched());
  const found = checked.record;
  await db.delete(kioskApprovals).where(eq(kioskApprovals.sessionId, ctx.session.id));
  await db.update(kioskSessions).set({ state: "awaiting_consent", idNumber: found.identityNumber, fullName: found.fullName, phone: found.phone ?? null, citizenId: null, consentId: null })
    .where(eq(kioskSessions.id, ctx.session.id));
  // no phone on record: no code can be sent; the citizen approves from their own e-ID
  if (!found.phone) return ok({ maskedPhone: null });
  const sent = await sendConsentCode(db, { ...ctx, session: { ...ctx.session, phone: found.phone, state: "awaiting_consent" } }, services);
  if (!sent.ok) return sent;
  return ok({ maskedPhone: maskPhone(found.phone) });
}

/** A new six-digit code to the phone on record (earlier codes of the session die). */
export async function sendConsentCode(db: AppDb, ctx: KioskContext, services: { sms: SmsSender; lng: Lng; now?: Date }): Promise<Result<{ maskedPhone: string }>> {
  const s = ctx.session;
  if (!s || s.state !== "awaiting_consent") return err(KioskErrors.noSession());
  if (!s.phone) return err(KioskErrors.noPhone());
  const wait = await limited(db, ctx, "sendCode");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const now = services.now ?? new Date();
  const [row] = await db.transaction(async (tx) => {
    await tx.delete(kioskConsentCodes).where(eq(kioskConsentCodes.sessionId, s.id));
    return tx.insert(kioskConsentCodes).values({ sessionId: s.id, codeHash: codeHash(s.id, code), expiresAt: new Date(now.getTime() + config().KIOSK_CODE_TTL_SECONDS * 1000), createdAt: now })
      .returning({ id: kioskConsentCodes.id });
  });
  const i18n = await i18nFor(services.lng);
  const text = i18n.t("kiosk.sms.consent", { code, minutes: Math.round(config().KIOSK_CODE_TTL_SECONDS / 60), interpolation: { escapeValue: false } });
  // sent now, not through the outbox: the code is never written anywhere in clear
  const r = await services.sms.send({ to: s.phone, text, ref: `kiosk-consent-${row.id}` });
  if (!r.ok) {
    await db.delete(kioskConsentCodes).where(eq(kioskConsentCodes.id, row.id));
    return err(KioskErrors.smsFailed());
  }
  return ok({ maskedPhone: maskPhone(s.phone) });
}

/**
 * Checks a consent code: the session's latest code, unexpired, unused, with attempts left (each
 * try counts, right or wrong, before the comparison). The right code is used once; consent is
 * recorded (scope, channel, time, officer, device) and the citizen's account is found or opened.
 */
export async function verifyConsentCode(db: AppDb, ctx: KioskContext, code: string, now = new Date()): Promise<Result<{ citizenId: string }>> {
  const s = ctx.session;
  if (!s || !s.idNumber || !s.fullName) return err(KioskErrors.noSession());
  const wait = await limited(db, ctx, "verify");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const [latest] = await db.select().from(kioskConsentCodes).where(eq(kioskConsentCodes.sessionId, s.id)).orderBy(desc(kioskConsentCodes.createdAt)).limit(1);
  if (!latest) return err(KioskErrors.noCode());
  if (latest.usedAt) return err(KioskErrors.codeUsed());
  if (latest.expiresAt <= now) return err(KioskErrors.codeExpired());
  // the attempt is counted first, atomically: parallel guesses cannot exceed the limit
  const [counted] = await db.update(kioskConsentCodes).set({ attempts: sql`${kioskConsentCodes.attempts} + 1` })
    .where(and(eq(kioskConsentCodes.id, latest.id), isNull(kioskConsentCodes.usedAt), lt(kioskConsentCodes.attempts, MAX_CODE_ATTEMPTS)))
    .returning({ attempts: kioskConsentCodes.attempts });
  if (!counted) return err(KioskErrors.codeLocked());
  const given = Buffer.from(codeHash(s.id, code));
  if (given.length !== latest.codeHash.length || !timingSafeEqual(given, Buffer.from(latest.codeHash))) {
    const left = MAX_CODE_ATTEMPTS - counted.attempts;
    await db.transaction((tx) => appendAudit(tx, { actorKind: "officer", actorId: ctx.officer.username, device: `kiosk:${ctx.device.id}`, action: "kiosk.consent_refused", subjectKind: "kiosk_session", subjectId: s.id, details: { left } }));
    return left > 0 ? err(KioskErrors.codeWrong(left)) : err(KioskErrors.codeLocked());
  }
  const [used] = await db.update(kioskConsentCodes).set({ usedAt: now }).where(and(eq(kioskConsentCodes.id, latest.id), isNull(kioskConsentCodes.usedAt))).returning({ id: kioskConsentCodes.id });
  if (!used) return err(KioskErrors.codeUsed());
  const idNumber = s.idNumber;
  const fullName = s.fullName;
  return db.transaction(async (tx) => {
    const { citizen, consentId } = await grantAssistedConsent(tx, {
      idNumber, fullName, phone: s.phone, officer: { id: ctx.officer.id, username: ctx.officer.username, device: `kiosk:${ctx.device.id}` }, deviceId: ctx.device.id,
      scope: CONSENT_SCOPE, channel: "sms", at: now,
    });
    await tx.update(kioskSessions).set({ state: "consented", citizenId: citizen.id, consentId }).where(eq(kioskSessions.id, s.id));
    return ok({ citizenId: citizen.id });
  });
}

// ---------------------------------------------------------------- consent from the citizen's own e-ID

const approvalTtlMs = () => config().KIOSK_CODE_TTL_SECONDS * 1000;
export const approvalPath = (token: string) => `/dong-y/${token}`;
/** The kiosk keeps the pending request's token in a cookie of its own (httpOnly) to redraw the QR code; the database only its hash. */
export const approvalCookie = (token: string) => cookieFor("kiosk_approval", token, Math.ceil(approvalTtlMs() / 1000));
const APPROVAL_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The officer asks the identified citizen to approve from their own VNeID session: a random
 * single-use token bound to this assisted session (only its SHA-256 stored; earlier requests of
 * the session die), shown on the kiosk as a QR code of `/dong-y/<token>` — no personal data in it.
 */
export async function requestEidApproval(db: AppDb, ctx: KioskContext, now = new Date()): Promise<Result<{ token: string; path: string; expiresAt: Date }>> {
  const s = ctx.session;
  if (!s || s.state !== "awaiting_consent" || !s.idNumber) return err(KioskErrors.noSession());
  const wait = await limited(db, ctx, "approval");
  if (wait !== null) return err(KioskErrors.rateLimited(wait));
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + approvalTtlMs());
  await db.transaction(async (tx) => {
    await tx.delete(kioskApprovals).where(eq(kioskApprovals.sessionId, s.id));
    // answered or abandoned requests of ended sessions are kept a day at most
    await tx.delete(kioskApprovals).where(lt(kioskApprovals.expiresAt, new Date(now.getTime() - 86_400_000)));
    const [row] = await tx.insert(kioskApprovals).values({ sessionId: s.id, tokenHash: tokenHash(token), expiresAt, createdAt: now }).returning({ id: kioskApprovals.id });
    await appendAudit(tx, {
      actorKind: "officer", actorId: ctx.officer.username, device: `kiosk:${ctx.device.id}`, action: "kiosk.approval_requested", subjectKind: "kiosk_session", subjectId: s.id,
      details: { approval: row.id },
    });
  });
  return ok({ token, path: approvalPath(token), expiresAt });
}

export type ApprovalState = { kind: "pending"; token: string; expiresAt: Date } | { kind: "expired" } | { kind: "refused" } | null;

/** For the kiosk page: the state of the request whose token this kiosk holds, if it is this session's. */
export async function eidApprovalState(db: AppDb, ctx: KioskContext, request: Request, now = new Date()): Promise<ApprovalState> {
  const token = tokenFor("kiosk_approval", request);
  if (!token || !ctx.session) return null;
  const [row] = await db.select().from(kioskApprovals).where(and(eq(kioskApprovals.tokenHash, tokenHash(token)), eq(kioskApprovals.sessionId, ctx.session.id)));
  if (!row) return null;
  if (row.outcome === "refused") return { kind: "refused" };
  if (row.usedAt) return null;
  if (row.expiresAt <= now) return { kind: "expired" };
  return { kind: "pending", token, expiresAt: row.expiresAt };
}

export interface ApprovalRequest {
  approvalId: string;
  expiresAt: Date;
  officerName: string;
  agencyName: string;
  deviceLabel: string;
  session: KioskSession;
}

/**
 * What the citizen is asked to approve, checked for the signed-in citizen: a live request, a
 * live kiosk session still awaiting consent, and the identity number the kiosk identified.
 * Reads only (in the caller's transaction when answering).
 */
export async function eidApprovalFor(db: AppDb | AppTx, token: string, citizen: Pick<Citizen, "idNumber">, now = new Date()): Promise<Result<ApprovalRequest>> {
  if (!APPROVAL_TOKEN.test(token)) return err(KioskErrors.approvalInvalid());
  const [row] = await db.select().from(kioskApprovals).where(eq(kioskApprovals.tokenHash, tokenHash(token)));
  if (!row || row.usedAt || row.expiresAt <= now) return err(KioskErrors.approvalInvalid());
  if (!row.sessionId) return err(KioskErrors.approvalSessionEnded());
  const [found] = await db.select({ session: kioskSessions, officerName: staffUsers.fullName, agencyName: agencies.nameVi, deviceLabel: kioskDevices.label, revokedAt: kioskDevices.revokedAt })
    .from(kioskSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, kioskSessions.officerId))
    .innerJoin(kioskDevices, eq(kioskDevices.id, kioskSessions.deviceId))
    .innerJoin(agencies, eq(agencies.code, kioskDevices.agencyCode))
    .where(eq(kioskSessions.id, row.sessionId));
  // an idle session is over even before the sweep deletes it
  if (!found || found.revokedAt || found.session.lastSeenAt.getTime() < now.getTime() - idleMs()) return err(KioskErrors.approvalSessionEnded());
  if (found.session.state !== "awaiting_consent" || !found.session.idNumber) return err(KioskErrors.approvalInvalid());
  const mine = Buffer.from(citizen.idNumber ?? "");
  const theirs = Buffer.from(found.session.idNumber);
  if (mine.length !== theirs.length || !timingSafeEqual(mine, theirs)) return err(KioskErrors.approvalWrongCitizen());
  return ok({ approvalId: row.id, expiresAt: row.expiresAt, officerName: found.officerName, agencyName: found.agencyName, deviceLabel: found.deviceLabel, session: found.session });
}

class ApprovalConflict extends Error {}

/**
 * The citizen answers from their own e-ID session. Every check of `eidApprovalFor` first (a
 * refusal writes nothing); then, in one transaction, the request is consumed and — when approved —
 * the consent is recorded (channel `vneid`) and the kiosk session moves to `consented`, exactly as
 * after a right SMS code. A refusal consumes the request; the kiosk shows it.
 */
export async function answerEidApproval(
  db: AppDb, token: string, citizen: Pick<Citizen, "id" | "idNumber">, answer: "approve" | "refuse", now = new Date(),
): Promise<Result<{ outcome: "approved" | "refused" }>> {
  const checked = await eidApprovalFor(db, token, citizen, now);
  if (!checked.ok) {
    if (checked.error.code === "kiosk.approval_wrong_citizen") {
      // someone answering for another person's consent: a security event, kept in the audit log
      // (whose answer it was, for which kiosk session; not the token, which stays usable)
      log.warn("kiosk e-ID approval refused: the signed-in citizen is not the one identified");
      const [row] = await db.select({ id: kioskApprovals.id, sessionId: kioskApprovals.sessionId }).from(kioskApprovals).where(eq(kioskApprovals.tokenHash, tokenHash(token)));
      await db.transaction((tx) => appendAudit(tx, {
        actorKind: "citizen", actorId: citizen.id, action: "kiosk.approval_wrong_citizen", subjectKind: "kiosk_session", subjectId: row?.sessionId ?? "-",
        details: { approval: row?.id ?? null, answer },
      }));
    }
    return checked;
  }
  const outcome = answer === "approve" ? "approved" as const : "refused" as const;
  try {
    return await db.transaction(async (tx) => {
      const found = await eidApprovalFor(tx, token, citizen, now);
      if (!found.ok) throw new ApprovalConflict();
      const { session: s, approvalId } = found.value;
      const [used] = await tx.update(kioskApprovals).set({ usedAt: now, outcome })
        .where(and(eq(kioskApprovals.id, approvalId), isNull(kioskApprovals.usedAt))).returning({ id: kioskApprovals.id });
      if (!used) throw new ApprovalConflict();
      const device = `kiosk:${s.deviceId}`;
      if (outcome === "refused") {
        await appendAudit(tx, { actorKind: "citizen", actorId: citizen.id, device, action: "kiosk.approval_refused", subjectKind: "kiosk_session", subjectId: s.id, details: { approval: approvalId } });
        return ok({ outcome });
      }
      const [officer] = await tx.select({ username: staffUsers.username }).from(staffUsers).where(eq(staffUsers.id, s.officerId));
      const { citizen: account, consentId } = await grantAssistedConsent(tx, {
        idNumber: s.idNumber!, fullName: s.fullName ?? "", phone: s.phone, officer: { id: s.officerId, username: officer?.username ?? s.officerId, device }, deviceId: s.deviceId,
        scope: CONSENT_SCOPE, channel: "vneid", at: now,
      });
      const [moved] = await tx.update(kioskSessions).set({ state: "consented", citizenId: account.id, consentId })
        .where(and(eq(kioskSessions.id, s.id), eq(kioskSessions.state, "awaiting_consent"))).returning({ id: kioskSessions.id });
      if (!moved) throw new ApprovalConflict();
      return ok({ outcome });
    });
  } catch (error) {
    if (error instanceof ApprovalConflict) return err(KioskErrors.approvalInvalid());
    throw error;
  }
}

// ---------------------------------------------------------------- filing on behalf

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
export async function kioskOwnsDraft(db: AppDb, request: Request, payment: { citizenId: string | null; draftId: string | null }): Promise<boolean> {
  if (!tokenFor("kiosk", request)) return false;
  const ctx = await requireKiosk(db, request, "consented").catch(() => null);
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

// ---------------------------------------------------------------- reports

export type ReportScope = "mine" | "commune";

/**
 * Assisted dossiers of the officer's own commune (or only the officer's own), today and this month
 * (Vietnam time), by procedure, kiosk and officer: the figures Project 06 reports ask for.
 */
export async function assistedReport(db: AppDb, officer: StaffUser, scope: ReportScope, now = new Date()) {
  const vnDay = new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  const dayStart = new Date(`${vnDay}T00:00:00+07:00`);
  const monthStart = new Date(`${vnDay.slice(0, 7)}-01T00:00:00+07:00`);
  const mine = scope === "mine" ? sql`and d.helper_staff_id = ${officer.id}::uuid` : sql``;
  const rows = await selectRows<{ procedure_code: string; procedure_name: string; kiosk: string; officer: string; today: number; month: number }>(db, sql`
    select d.procedure_code, d.procedure_name, coalesce(k.label, '?') as kiosk, coalesce(u.full_name, '?') as officer,
      count(*) filter (where d.submitted_at >= ${dayStart.toISOString()}::timestamptz)::int as today, count(*)::int as month
    from ${dossiers} d
    left join ${kioskDevices} k on k.id = d.helper_kiosk_id
    left join ${staffUsers} u on u.id = d.helper_staff_id
    where d.helper_agency_code = ${officer.agencyCode} and d.helper_kiosk_id is not null and d.submitted_at >= ${monthStart.toISOString()}::timestamptz ${mine}
    group by 1, 2, 3, 4 order by 1, 3, 4`);
  const sum = (key: "procedure_code" | "kiosk" | "officer") => {
    const m = new Map<string, { label: string; today: number; month: number }>();
    for (const r of rows) {
      const label = key === "procedure_code" ? `${r.procedure_code} — ${r.procedure_name}` : r[key];
      const v = m.get(label) ?? { label, today: 0, month: 0 };
      v.today += r.today;
      v.month += r.month;
      m.set(label, v);
    }
    return [...m.values()];
  };
  return {
    day: vnDay, month: vnDay.slice(0, 7), rows,
    total: { today: rows.reduce((n, r) => n + r.today, 0), month: rows.reduce((n, r) => n + r.month, 0) },
    byProcedure: sum("procedure_code"), byKiosk: sum("kiosk"), byOfficer: sum("officer"),
  };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s; // no formulas in a spreadsheet
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function reportCsv(report: Awaited<ReturnType<typeof assistedReport>>): string {
  const head = ["ma_thu_tuc", "ten_thu_tuc", "ki_ot", "can_bo", "hom_nay", "thang_nay"];
  const lines = report.rows.map((r) => [r.procedure_code, r.procedure_name, r.kiosk, r.officer, r.today, r.month].map(csvCell).join(","));
  return `\uFEFF${[head.join(","), ...lines].join("\r\n")}\r\n`;
}

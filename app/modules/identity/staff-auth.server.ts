// Staff sign-in: password (scrypt), then a TOTP code; lockout after repeated failures; rate
// limits and sessions in the database; the session token is rotated when sign-in completes.
import { data, redirect } from "@remix-run/node";
import { and, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import { getFixedT } from "~/i18next.server";
import { appError, err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import type { AppDb } from "~db/client.server";
import { sessions, staffUsers } from "~db/schema";
import { dummyHash, verifyPassword } from "./password.server";
import {
  cookieFor, cookieNameFor, createSession, csrfMatches, csrfTokenOf, endSession, hitRateLimit, isIdle, liveSessionWhere, localPath, oncePerRequest, tokenFor, tokenHash,
  touchSession,
} from "./sessions.server";
import { verifyTotp } from "./totp";

export { hitRateLimit };

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
const PENDING_MS = 5 * 60_000;
const SESSION_MS = 8 * 3600_000;
const IDLE_MS = 30 * 60_000;

export type StaffUser = typeof staffUsers.$inferSelect;
export type Role = "desk" | "specialist" | "leader" | "admin" | "police";

export const AuthErrors = {
  invalid: () => appError("auth.invalid", 401, "staff.errors.invalid"),
  locked: (minutes: number) => appError("auth.locked", 423, "staff.errors.locked", { minutes }),
  rateLimited: (seconds: number) => appError("auth.rate_limited", 429, "staff.errors.rateLimited", { seconds }),
  badCode: () => appError("auth.bad_code", 401, "staff.errors.badCode"),
  expired: () => appError("auth.expired", 401, "staff.errors.expired"),
};

export const cookieName = () => cookieNameFor("staff");
export const sessionCookie = (token: string, maxAgeS: number) => cookieFor("staff", token, maxAgeS);
export const clearSessionCookie = () => sessionCookie("", 0);
export const tokenFromRequest = (request: Request) => tokenFor("staff", request);

const newSession = (db: AppDb, userId: string, stage: "password" | "full", ttlMs: number, device?: string) =>
  createSession(db, { kind: "staff", userId, stage, ttlMs, device });

/**
 * Counts a failed sign-in step in one UPDATE, so failures racing each other all count (a
 * read-modify-write from the row read before the slow password check lost them and never locked).
 * The failure that reaches MAX_FAILURES locks the account; failures that were admitted before the
 * lock and land after it change nothing more.
 */
async function recordFailure(db: AppDb, user: StaffUser, device: string | undefined, what: string) {
  const reachesLimit = sql`${staffUsers.failedAttempts} + 1 >= ${MAX_FAILURES}`;
  await db.transaction(async (tx) => {
    const [row] = await tx.update(staffUsers).set({
      failedAttempts: sql`case when ${reachesLimit} then 0 else ${staffUsers.failedAttempts} + 1 end`,
      lockedUntil: sql`case when ${reachesLimit} then now() + ${`${LOCK_MINUTES} minutes`}::interval else ${staffUsers.lockedUntil} end`,
    }).where(and(eq(staffUsers.id, user.id), or(isNull(staffUsers.lockedUntil), lte(staffUsers.lockedUntil, sql`now()`))))
      .returning({ failedAttempts: staffUsers.failedAttempts, lockedUntil: staffUsers.lockedUntil });
    const lock = row !== undefined && row.failedAttempts === 0 && row.lockedUntil !== null;
    await appendAudit(tx, { actorKind: "official", actorId: user.username, device, action: lock ? "staff.locked" : "staff.login_failed", subjectKind: "staff", subjectId: user.username, details: { step: what } });
  });
}

export async function startStaffLogin(db: AppDb, input: { username: string; password: string; ip: string; device?: string }): Promise<Result<{ token: string }>> {
  const byIp = await hitRateLimit(db, `login:ip:${input.ip}`, 30, 60_000);
  const byUser = await hitRateLimit(db, `login:user:${input.username.toLowerCase()}`, 10, 15 * 60_000);
  if (!byIp.ok || !byUser.ok) return err(AuthErrors.rateLimited(Math.max(byIp.ok ? 0 : byIp.retryAfterS, byUser.ok ? 0 : byUser.retryAfterS)));
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.username, input.username.toLowerCase()));
  if (!user || user.disabled) {
    await verifyPassword(input.password, await dummyHash());
    return err(AuthErrors.invalid());
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) return err(AuthErrors.locked(Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60_000)));
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await recordFailure(db, user, input.device, "password");
    return err(AuthErrors.invalid());
  }
  return ok({ token: await newSession(db, user.id, "password", PENDING_MS, input.device) });
}

export async function completeStaffLogin(db: AppDb, pendingToken: string, code: string, device?: string): Promise<Result<{ token: string; user: StaffUser }>> {
  const [s] = await db.select().from(sessions).where(and(eq(sessions.tokenHash, tokenHash(pendingToken)), eq(sessions.stage, "password"), gt(sessions.expiresAt, new Date())));
  if (!s) return err(AuthErrors.expired());
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, s.userId));
  if (!user || user.disabled) return err(AuthErrors.expired());
  if (user.lockedUntil && user.lockedUntil > new Date()) return err(AuthErrors.locked(Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60_000)));
  const step = verifyTotp(user.totpSecret, code.trim());
  // a code is good once: a replayed code (same or older step) is refused
  if (step === null || (user.lastTotpStep !== null && step <= user.lastTotpStep)) {
    await recordFailure(db, user, device, "totp");
    return err(AuthErrors.badCode());
  }
  const token = await newSession(db, user.id, "full", SESSION_MS, device);
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, s.tokenHash)); // rotate: the pre-auth token dies
    await tx.update(staffUsers).set({ failedAttempts: 0, lastTotpStep: step, lockedUntil: null }).where(eq(staffUsers.id, user.id));
    await appendAudit(tx, { actorKind: "official", actorId: user.username, device, action: "staff.login", subjectKind: "staff", subjectId: user.username, details: null });
  });
  return ok({ token, user });
}

export interface StaffSession { user: StaffUser; csrf: string; tokenHash: string }

/** The signed-in official: session and account in one query, once per request; touched at most once a minute. */
export function staffFromRequest(db: AppDb, request: Request): Promise<StaffSession | null> {
  const token = tokenFor("staff", request);
  if (!token) return Promise.resolve(null);
  return oncePerRequest("staff", db, request, async () => {
    const [row] = await db.select({ user: staffUsers, csrfSecret: sessions.csrfSecret, lastSeenAt: sessions.lastSeenAt, tokenHash: sessions.tokenHash })
      .from(sessions).innerJoin(staffUsers, eq(staffUsers.id, sessions.userId))
      .where(liveSessionWhere("staff", token));
    if (!row || isIdle(row, IDLE_MS) || row.user.disabled) return null;
    await touchSession(db, row);
    return { user: row.user, csrf: csrfTokenOf(row), tokenHash: row.tokenHash };
  });
}

export function csrfOk(session: StaffSession, token: unknown): boolean {
  return csrfMatches(session.csrf, token);
}

export async function endStaffSession(db: AppDb, request: Request) {
  await endSession(db, "staff", request);
}

/** Where an official lands after signing in when no page asked for them. */
export const STAFF_HOME = "/can-bo/ho-so";

/**
 * A back-office page to return to after signing in: a path of ours under /can-bo/, /van-hanh/ or
 * /quay (never another site, never the sign-in pages themselves); null for anything else.
 */
export function staffReturnTo(value: unknown): string | null {
  const path = localPath(value);
  if (!path || !/^\/(can-bo\/|van-hanh\/|van-hanh$|quay(\/|$|\?))/.test(path) || /^\/can-bo\/(dang-nhap|xac-thuc|dang-xuat)/.test(path)) return null;
  return path;
}

/** The sign-in page, asked to come back to `returnTo` (when it is one of ours and not the default). */
export function staffSignInUrl(returnTo: string | null): string {
  const back = staffReturnTo(returnTo);
  return back && back !== STAFF_HOME ? `/can-bo/dang-nhap?returnTo=${encodeURIComponent(back)}` : "/can-bo/dang-nhap";
}

/**
 * For routes: the signed-in official, or a redirect to the sign-in page — which, for a page read
 * (GET), comes back to it afterwards.
 */
export async function requireStaff(db: AppDb, request: Request): Promise<StaffSession> {
  const s = await staffFromRequest(db, request);
  if (!s) {
    const url = new URL(request.url);
    const back = request.method === "GET" || request.method === "HEAD" ? url.pathname + url.search : null;
    throw redirect(staffSignInUrl(back), { headers: { "Cache-Control": "no-store" } });
  }
  return s;
}

/**
 * For routes an official of some roles only may use (administration, reports, the counter): the
 * signed-in official of one of `roles`. Nobody signed in is sent to the sign-in page (as
 * requireStaff); an official of another role is refused with a translated 403 and the refusal is
 * audited (desk.refused_access, like every refused back-office attempt), naming the page and what
 * was `attempted` (e.g. "holidays.view").
 */
export async function requireRole(db: AppDb, request: Request, roles: readonly Role[], attempted: string): Promise<StaffSession> {
  const s = await requireStaff(db, request);
  if ((roles as readonly string[]).includes(s.user.role)) return s;
  await db.transaction((tx) => appendAudit(tx, {
    actorKind: "official", actorId: s.user.username, device: request.headers.get("user-agent") ?? undefined, action: "desk.refused_access",
    subjectKind: "page", subjectId: new URL(request.url).pathname, details: { attempted, role: s.user.role },
  }));
  const { t } = await getFixedT(request);
  throw data({ message: t("desk.errors.forbidden") }, { status: 403, headers: { "Cache-Control": "no-store" } });
}

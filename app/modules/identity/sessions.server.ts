// Server-side sessions for every kind of user (staff, citizens), stored in the database so any
// instance serves any request. The cookie carries a random token; the table keeps its SHA-256.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, sql } from "drizzle-orm";
import { config } from "~/config.server";
import { selectRows, type AppDb } from "~db/client.server";
import { rateLimits, sessions } from "~db/schema";

export type SessionKind = "staff" | "citizen";
/**
 * Cookies that carry a token: the two session kinds, a kiosk's assisted session, a kiosk device's
 * credential, the kiosk's pending e-ID approval request (its QR code is redrawn from it) and the
 * e-ID login this browser started (its OpenID Connect state).
 */
export type TokenCookie = SessionKind | "kiosk" | "kiosk_device" | "kiosk_approval" | "citizen_login";
export type SessionRow = typeof sessions.$inferSelect;

export const tokenHash = (t: string) => createHash("sha256").update(t).digest("hex");

/** `qn_staff` / `qn_citizen`; `__Host-` prefixed in production (Secure, host-only, Path=/). */
export const cookieNameFor = (kind: TokenCookie) => (config().NODE_ENV === "production" ? `__Host-qn_${kind}` : `qn_${kind}`);

export function cookieFor(kind: TokenCookie, token: string, maxAgeS: number): string {
  const secure = config().NODE_ENV === "production" ? "; Secure" : "";
  return `${cookieNameFor(kind)}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}${secure}`;
}

export function tokenFor(kind: TokenCookie, request: Request): string | null {
  const name = cookieNameFor(kind).replace(/[$]/g, "\\$&");
  const m = new RegExp(`(?:^|;\\s*)${name}=([A-Za-z0-9_-]{20,100})(?:;|$)`).exec(request.headers.get("cookie") ?? "");
  return m?.[1] ?? null;
}

export async function createSession(
  db: AppDb,
  s: { kind: SessionKind; userId: string; stage: "password" | "full"; ttlMs: number; device?: string; idTokenHint?: string },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    tokenHash: tokenHash(token), kind: s.kind, userId: s.userId, stage: s.stage, csrfSecret: randomBytes(16).toString("base64url"),
    expiresAt: new Date(Date.now() + s.ttlMs), device: s.device?.slice(0, 200) ?? null, idTokenHint: s.idTokenHint ?? null,
  });
  return token;
}

/** The conditions of a live, fully signed-in session of this kind carrying this token (expiry included; idle time is `isIdle`'s). */
export const liveSessionWhere = (kind: SessionKind, token: string) =>
  and(eq(sessions.tokenHash, tokenHash(token)), eq(sessions.kind, kind), eq(sessions.stage, "full"), gt(sessions.expiresAt, new Date()));

export const isIdle = (row: Pick<SessionRow, "lastSeenAt">, idleMs: number) => row.lastSeenAt.getTime() < Date.now() - idleMs;

/** Records activity on a session, at most once a minute (a write per page would cost every request). */
export async function touchSession(db: AppDb, row: Pick<SessionRow, "lastSeenAt" | "tokenHash">): Promise<void> {
  if (row.lastSeenAt.getTime() < Date.now() - 60_000) await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.tokenHash, row.tokenHash));
}

const perRequest = new WeakMap<Request, Map<string, { db: AppDb; answer: Promise<unknown> }>>();
/**
 * The session a request carries is looked up once per request: the root loader and the page's
 * loader (which Remix runs side by side with the same Request) share one query and one touch.
 * Keyed by the Request object, so every new request — including the loaders Remix runs after an
 * action, which get a Request of their own — looks again.
 */
export function oncePerRequest<T>(kind: TokenCookie, db: AppDb, request: Request, look: () => Promise<T>): Promise<T> {
  let byKind = perRequest.get(request);
  if (!byKind) perRequest.set(request, (byKind = new Map()));
  const known = byKind.get(kind);
  if (known && known.db === db) return known.answer as Promise<T>;
  const answer = look();
  byKind.set(kind, { db, answer });
  return answer;
}

/**
 * A path of this site to send someone back to after signing in, or null: never another site
 * (no scheme, no //host or /\\host), only plain URL characters, under 300 characters.
 */
export function localPath(value: unknown): string | null {
  return typeof value === "string" && value.length < 300 && /^\/(?![/\\])[\w\-./?=&%~]*$/.test(value) ? value : null;
}

export const csrfTokenOf = (row: Pick<SessionRow, "csrfSecret">) => createHmac("sha256", row.csrfSecret).update("csrf").digest("base64url");

export function csrfMatches(expected: string, token: unknown): boolean {
  return typeof token === "string" && token.length === expected.length && timingSafeEqual(Buffer.from(token), Buffer.from(expected));
}

/** Ends the session the request carries; returns its row (e.g. for the id token hint). */
export async function endSession(db: AppDb, kind: SessionKind, request: Request): Promise<SessionRow | null> {
  const token = tokenFor(kind, request);
  if (!token) return null;
  const [row] = await db.delete(sessions).where(and(eq(sessions.tokenHash, tokenHash(token)), eq(sessions.kind, kind))).returning();
  return row ?? null;
}

/** Fixed-window counter in the database: shared by every instance. */
export async function hitRateLimit(db: AppDb, key: string, limit: number, windowMs: number): Promise<{ ok: boolean; retryAfterS: number }> {
  const [row] = await selectRows<{ count: number; reset_in: number }>(
    db,
    sql`insert into ${rateLimits} (key, window_start, count) values (${key}, now(), 1)
        on conflict (key) do update set
          count = case when ${rateLimits.windowStart} < now() - ${`${windowMs} milliseconds`}::interval then 1 else ${rateLimits.count} + 1 end,
          window_start = case when ${rateLimits.windowStart} < now() - ${`${windowMs} milliseconds`}::interval then now() else ${rateLimits.windowStart} end
        returning count, extract(epoch from (window_start + ${`${windowMs} milliseconds`}::interval - now()))::float8 as reset_in`,
  );
  return { ok: row.count <= limit, retryAfterS: Math.max(1, Math.ceil(row.reset_in)) };
}

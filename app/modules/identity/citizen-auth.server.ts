// Citizen sign-in with the national e-ID: a standard OpenID Connect relying party (authorization
// code + PKCE, state and nonce checked). Pointing at another provider is configuration only
// (VNEID_ISSUER, VNEID_CLIENT_ID, VNEID_CLIENT_SECRET). Login handshakes and sessions live in the
// database, so the callback may land on any instance. A handshake belongs to the browser that
// started it: its state is in that browser's login cookie, and the database keeps only its hash —
// a callback address opened in any other browser signs nobody in (login CSRF).
import { redirect } from "@remix-run/node";
import { and, eq, like, lt, sql } from "drizzle-orm";
import * as oidc from "openid-client";
import { z } from "zod";
import { config, publicUrl } from "~/config.server";
import { appError, err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { log } from "~/modules/observability/logger.server";
import type { AppDb } from "~db/client.server";
import { citizens, oidcLogins, sessions } from "~db/schema";
import {
  cookieFor, createSession, csrfMatches, csrfTokenOf, endSession, isIdle, liveSessionWhere, localPath, oncePerRequest, tokenFor, tokenHash, touchSession,
} from "./sessions.server";

const LOGIN_TTL_MS = 10 * 60_000;
export const CITIZEN_SESSION_MS = 8 * 3600_000;
const IDLE_MS = 60 * 60_000;

export type Citizen = typeof citizens.$inferSelect;
/** The subject of a citizen account opened before its first e-ID login (at a kiosk): `unclaimed:<identity number>`. */
export const UNCLAIMED_SUB_PREFIX = "unclaimed:";

export const CitizenAuthErrors = {
  expired: () => appError("citizen.login_expired", 400, "citizen.errors.loginExpired"),
  refused: () => appError("citizen.login_refused", 401, "citizen.errors.loginRefused"),
  /** The callback came to a browser that did not start this login (no login cookie, or another one's). */
  otherBrowser: () => appError("citizen.login_other_browser", 400, "citizen.errors.loginOtherBrowser"),
  unavailable: () => appError("citizen.idp_unavailable", 503, "citizen.errors.idpUnavailable"),
  claims: () => appError("citizen.bad_claims", 502, "citizen.errors.badClaims"),
};

let discovered: Promise<oidc.Configuration> | undefined;
/** The provider's metadata, fetched once per process (a failure is not cached). */
function provider(): Promise<oidc.Configuration> {
  const c = config();
  discovered ??= oidc
    .discovery(new URL(c.VNEID_ISSUER), c.VNEID_CLIENT_ID, c.VNEID_CLIENT_SECRET, undefined, {
      // the mock runs over plain http on the loopback; production issuers are https
      execute: new URL(c.VNEID_ISSUER).protocol === "http:" ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
    })
    .catch((error) => {
      discovered = undefined;
      throw error;
    });
  return discovered;
}

export const redirectUri = () => `${publicUrl()}/dang-nhap/callback`;

/** Only same-site paths are allowed as the place to return to after login. */
export function safeReturnTo(value: unknown): string {
  return localPath(value) ?? "/ho-so";
}

/**
 * Starts an e-ID login: the provider's address to send the browser to, and the state to put in
 * that browser's login cookie (citizenLoginCookie) — the callback needs both.
 */
export async function startCitizenLogin(db: AppDb, returnTo: string): Promise<Result<{ url: string; state: string }>> {
  let cfg: oidc.Configuration;
  try {
    cfg = await provider();
  } catch (error) {
    log.warn("e-ID discovery failed", { error: String(error) });
    return err(CitizenAuthErrors.unavailable());
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  await db.delete(oidcLogins).where(lt(oidcLogins.expiresAt, new Date()));
  await db.insert(oidcLogins).values({ state: tokenHash(state), nonce, codeVerifier, returnTo: safeReturnTo(returnTo), expiresAt: new Date(Date.now() + LOGIN_TTL_MS) });
  const url = oidc.buildAuthorizationUrl(cfg, {
    redirect_uri: redirectUri(), scope: "openid profile", state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256",
  });
  return ok({ url: url.href, state });
}

/** The login cookie: this browser started the login with this state (as long as a login may take). */
export const citizenLoginCookie = (state: string) => cookieFor("citizen_login", state, LOGIN_TTL_MS / 1000);
export const clearCitizenLoginCookie = () => cookieFor("citizen_login", "", 0);
/** The state of the login this browser started, from its login cookie. */
export const citizenLoginStateOf = (request: Request) => tokenFor("citizen_login", request);

const VnDate = z.string().regex(/^\d{2}\/\d{2}\/\d{4}$/);
const Claims = z.object({
  sub: z.string().min(1).max(200),
  SoDinhDanh: z.string().regex(/^\d{12}$/),
  HoVaTen: z.string().min(1).max(150),
  NgayThangNamSinh: VnDate.optional(),
  GioiTinh: z.string().max(10).optional(),
  SoDienThoai: z.string().regex(/^0\d{9}$/).optional(),
  email: z.string().email().max(254).optional(),
});

const isoFromVn = (d?: string) => (d ? `${d.slice(6, 10)}-${d.slice(3, 5)}-${d.slice(0, 2)}` : null);

/**
 * Finishes an e-ID login on the provider's callback. `browserState` is the state in the login
 * cookie of the browser that brought the callback (citizenLoginStateOf): it must be the callback's.
 */
export async function completeCitizenLogin(
  db: AppDb, callbackUrl: URL, browserState: string | null, device?: string,
): Promise<Result<{ token: string; citizen: Citizen; returnTo: string }>> {
  const state = callbackUrl.searchParams.get("state") ?? "";
  if (!/^[\w-]{8,200}$/.test(state)) return err(CitizenAuthErrors.expired());
  // single use: the handshake row is consumed whatever happens next (a refused browser included)
  const [login] = await db.delete(oidcLogins).where(eq(oidcLogins.state, tokenHash(state))).returning();
  if (!login || login.expiresAt < new Date()) return err(CitizenAuthErrors.expired());
  if (!browserState || !csrfMatches(state, browserState)) {
    log.warn("e-ID callback refused: not the browser that started the login", { cookie: browserState ? "other" : "none" });
    return err(CitizenAuthErrors.otherBrowser());
  }
  if (callbackUrl.searchParams.has("error")) return err(CitizenAuthErrors.refused());
  let claims: z.infer<typeof Claims>;
  let idToken: string | undefined;
  try {
    const cfg = await provider();
    // the callback is checked against the registered redirect URI, whatever host the request used
    const current = new URL(redirectUri());
    current.search = callbackUrl.search;
    const tokens = await oidc.authorizationCodeGrant(cfg, current, { pkceCodeVerifier: login.codeVerifier, expectedState: state, expectedNonce: login.nonce, idTokenExpected: true });
    idToken = tokens.id_token;
    const sub = tokens.claims()?.sub;
    if (!sub) return err(CitizenAuthErrors.claims());
    const info = await oidc.fetchUserInfo(cfg, tokens.access_token, sub);
    const parsed = Claims.safeParse(info);
    if (!parsed.success) {
      log.warn("e-ID claims refused", { issues: parsed.error.issues.map((i) => i.path.join(".")).join(",") });
      return err(CitizenAuthErrors.claims());
    }
    claims = parsed.data;
  } catch (error) {
    log.warn("e-ID code exchange failed", { error: String(error) });
    return err(CitizenAuthErrors.refused());
  }
  const values = {
    sub: claims.sub, idNumber: claims.SoDinhDanh, fullName: claims.HoVaTen, birthDate: isoFromVn(claims.NgayThangNamSinh),
    sex: claims.GioiTinh ?? null, phone: claims.SoDienThoai ?? null, email: claims.email ?? null,
  };
  const citizen = await db.transaction(async (tx) => {
    // an account opened for this identity number at a kiosk (consent by SMS) is theirs: the first
    // e-ID login claims it, so the dossiers filed there with an officer's help appear in /ho-so
    await tx.update(citizens).set({ sub: values.sub }).where(and(eq(citizens.idNumber, values.idNumber), like(citizens.sub, `${UNCLAIMED_SUB_PREFIX}%`)));
    const [row] = await tx.insert(citizens).values(values)
      .onConflictDoUpdate({ target: citizens.sub, set: { ...values, lastLoginAt: sql`now()` } })
      .returning();
    await appendAudit(tx, { actorKind: "citizen", actorId: row.id, device, action: "citizen.login", subjectKind: "citizen", subjectId: row.id, details: null });
    return row;
  });
  const token = await createSession(db, { kind: "citizen", userId: citizen.id, stage: "full", ttlMs: CITIZEN_SESSION_MS, device, idTokenHint: idToken });
  return ok({ token, citizen, returnTo: login.returnTo });
}

export interface CitizenSession { citizen: Citizen; csrf: string }

/** Whether the request carries a citizen session cookie at all (no database needed to tell). */
export const carriesCitizenSession = (request: Request) => tokenFor("citizen", request) !== null;

/**
 * The signed-in citizen: session and account in one query, once per request (the root loader and
 * the page share it); the session is touched at most once a minute.
 */
export function citizenFromRequest(db: AppDb, request: Request): Promise<CitizenSession | null> {
  const token = tokenFor("citizen", request);
  if (!token) return Promise.resolve(null);
  return oncePerRequest("citizen", db, request, async () => {
    const [row] = await db.select({ citizen: citizens, csrfSecret: sessions.csrfSecret, lastSeenAt: sessions.lastSeenAt, tokenHash: sessions.tokenHash })
      .from(sessions).innerJoin(citizens, eq(citizens.id, sessions.userId))
      .where(liveSessionWhere("citizen", token));
    if (!row || isIdle(row, IDLE_MS)) return null;
    await touchSession(db, row);
    return { citizen: row.citizen, csrf: csrfTokenOf(row) };
  });
}

export function citizenCsrfOk(session: CitizenSession, token: unknown): boolean {
  return csrfMatches(session.csrf, token);
}

/** For routes: the signed-in citizen, or a redirect to e-ID login that comes back here. */
export async function requireCitizen(db: AppDb, request: Request): Promise<CitizenSession> {
  const s = await citizenFromRequest(db, request);
  if (!s) {
    const u = new URL(request.url);
    throw redirect(`/dang-nhap?returnTo=${encodeURIComponent(u.pathname + u.search)}`, { headers: { "Cache-Control": "no-store" } });
  }
  return s;
}

export const citizenCookie = (token: string) => cookieFor("citizen", token, CITIZEN_SESSION_MS / 1000);
export const clearCitizenCookie = () => cookieFor("citizen", "", 0);

/** Ends our session and returns where to send the browser to end the provider's session too. */
export async function endCitizenSession(db: AppDb, request: Request): Promise<string> {
  const row = await endSession(db, "citizen", request);
  if (row) await db.transaction((tx) => appendAudit(tx, { actorKind: "citizen", actorId: row.userId, action: "citizen.logout", subjectKind: "citizen", subjectId: row.userId, details: null }));
  try {
    const cfg = await provider();
    if (!cfg.serverMetadata().end_session_endpoint) return "/";
    const params: Record<string, string> = { post_logout_redirect_uri: `${publicUrl()}/`, client_id: config().VNEID_CLIENT_ID };
    if (row?.idTokenHint) params.id_token_hint = row.idTokenHint;
    return oidc.buildEndSessionUrl(cfg, params).href;
  } catch {
    return "/";
  }
}

// The mock national single sign-on (VNeID through the National Public Service Portal): a real
// OpenID Connect provider (oidc-provider v9) on its own HTTP server, with the national portal's
// routes (/oauth2/authorize, /oauth2/token, /oauth2/userinfo, /oauth2/logout, /oauth2/jwks),
// one confidential client (the province portal), authorization code + PKCE S256 only, and the §6
// claims of the seeded test citizens (../../population/fixtures) in both id_token and userinfo.
// Its own login page (/interaction/:uid) replaces oidc-provider's dev interactions; consent is
// granted automatically, as the national portal does for its member portals.
import crypto from "node:crypto";
import http from "node:http";
import Provider, { type Account, type ClientInstance, type Interaction, type KoaContextWithOIDC } from "oidc-provider";
import { listen, readForm, sendHtml } from "../../mock-http";
import { TEST_PASSWORD, type TestCitizen, testCitizens } from "../../population/fixtures";
import { PROFILE_CLAIMS, vneidClaims } from "./claims";
import { memoryAdapter } from "./memory-adapter";
import { CONTENT_SECURITY_POLICY, errorPage, loginPage, logoutPage, signedOutPage, startPage } from "./pages";

export const DEFAULT_VNEID_PORT = 4020;
export const DEFAULT_CLIENT_ID = "qn-portal";
export const DEFAULT_CLIENT_SECRET = "dev-vneid-secret";
export const DEFAULT_REDIRECT_URIS = ["http://127.0.0.1:3000/dang-nhap/callback"];
export const DEFAULT_POST_LOGOUT_REDIRECT_URIS = ["http://127.0.0.1:3000/"];
const MAX_FORM = 16 * 1024;

export interface VneidMockOptions {
  /** 0 picks a free port. Default 4020. */
  port?: number;
  host?: string;
  /** The public issuer URL when it differs from http://host:port (behind a proxy; then set trustProxy). */
  issuer?: string;
  trustProxy?: boolean;
  clientId?: string;
  clientSecret?: string;
  clientName?: string;
  /** How the client authenticates at the token endpoint. Default client_secret_basic. */
  tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post";
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  /**
   * Also accept, on a loopback host (127.0.0.1 or localhost) and any port, a redirect or post-logout
   * URI whose path is one of the registered ones — for test servers on random ports.
   */
  allowAnyLocalRedirect?: boolean;
  /** Keys signing the mock's cookies. Default: random per start (sessions die with the process anyway). */
  cookieKeys?: string[];
  /** A private signing JWK (RSA or EC). Default: a fresh RSA key per start; the portal refetches /oauth2/jwks. */
  signingKey?: crypto.JsonWebKey;
  citizens?: readonly TestCitizen[];
  /** The one password every test citizen logs in with. Default 123456. */
  password?: string;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningVneidMock {
  url: string;
  issuer: string;
  clientId: string;
  close(): Promise<void>;
}

function setSecurityHeaders(res: http.ServerResponse) {
  res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("cross-origin-opener-policy", "same-origin");
}

function signingJwk(given?: crypto.JsonWebKey): crypto.JsonWebKey {
  const jwk = given ?? crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const kid = jwk.kid ?? crypto.createHash("sha256").update(JSON.stringify([jwk.kty, jwk.n ?? jwk.x, jwk.e ?? jwk.y])).digest("base64url").slice(0, 16);
  return { ...jwk, kid, use: "sig" };
}

const sameSecret = (a: string, b: string) => {
  const h = (s: string) => crypto.createHash("sha256").update(s).digest();
  return crypto.timingSafeEqual(h(a), h(b));
};

/** A loopback http URI whose path is that of one of the registered URIs. */
function isLocalVariant(uri: string, registered: string[]): boolean {
  const u = URL.parse(uri);
  if (!u || u.protocol !== "http:" || !["127.0.0.1", "localhost"].includes(u.hostname) || u.hash) return false;
  return registered.some((r) => URL.parse(r)?.pathname === u.pathname);
}

export async function startVneidMock(opts: VneidMockOptions = {}): Promise<RunningVneidMock> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? "127.0.0.1";
  const citizens = opts.citizens ?? testCitizens;
  const bySub = new Map(citizens.map((c) => [c.vneid.sub, c]));
  const byIdentityNumber = new Map(citizens.map((c) => [c.identityNumber, c]));
  const password = opts.password ?? TEST_PASSWORD;
  const clientId = opts.clientId ?? DEFAULT_CLIENT_ID;
  const clientName = opts.clientName ?? "Cổng Dịch vụ công tỉnh Quảng Ninh";
  const redirectUris = opts.redirectUris?.length ? opts.redirectUris : DEFAULT_REDIRECT_URIS;
  const postLogoutRedirectUris = opts.postLogoutRedirectUris?.length ? opts.postLogoutRedirectUris : DEFAULT_POST_LOGOUT_REDIRECT_URIS;

  // Listen first: the issuer must carry the real port when the caller asked for port 0.
  let dispatch: http.RequestListener = (_req, res) => sendHtml(res, 503, errorPage("Chưa sẵn sàng", "Máy chủ đang khởi động, vui lòng thử lại sau giây lát."));
  const server = http.createServer((req, res) => {
    setSecurityHeaders(res);
    dispatch(req, res);
  });
  server.keepAliveTimeout = 5000;
  const port = await listen(server, opts.port ?? DEFAULT_VNEID_PORT, host);
  const publicHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const issuer = (opts.issuer ?? `http://${publicHost}:${port}`).replace(/\/$/, "");

  async function findAccount(_ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> {
    const citizen = bySub.get(sub);
    if (!citizen) return undefined;
    return { accountId: sub, claims: async () => ({ ...vneidClaims(citizen) }) };
  }

  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [{
      client_id: clientId,
      client_secret: opts.clientSecret ?? DEFAULT_CLIENT_SECRET,
      client_name: clientName,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: opts.tokenEndpointAuthMethod ?? "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    }],
    jwks: { keys: [signingJwk(opts.signingKey)] },
    cookies: {
      keys: opts.cookieKeys?.length ? opts.cookieKeys : [crypto.randomBytes(32).toString("base64url")],
      // Over plain http the cookies are not Secure (oidc-provider follows ctx.secure); SameSite=Lax
      // still keeps a cross-site POST to the login form from carrying the interaction cookie.
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
    },
    routes: {
      authorization: "/oauth2/authorize",
      token: "/oauth2/token",
      userinfo: "/oauth2/userinfo",
      end_session: "/oauth2/logout",
      jwks: "/oauth2/jwks",
      revocation: "/oauth2/revoke",
      introspection: "/oauth2/introspect",
      pushed_authorization_request: "/oauth2/par",
    },
    responseTypes: ["code"],
    clientAuthMethods: ["client_secret_basic", "client_secret_post"],
    scopes: ["openid", "profile"],
    claims: { openid: ["sub"], profile: [...PROFILE_CLAIMS] },
    // Put the profile claims in the id_token too (by default they are only in userinfo when an access token is issued).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: () => false,
    findAccount,
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContextWithOIDC, form: string) {
          const who = ctx.oidc.session?.accountId ? bySub.get(ctx.oidc.session.accountId)?.fullName : undefined;
          ctx.type = "html";
          ctx.body = logoutPage(form, who, ctx.oidc.client?.clientName);
        },
        async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.type = "html";
          ctx.body = signedOutPage(ctx.oidc.client?.clientName);
        },
      },
    },
    interactions: { url: async (_ctx: KoaContextWithOIDC, interaction: Interaction) => `/interaction/${interaction.uid}` },
    async renderError(ctx: KoaContextWithOIDC, out: Record<string, string>) {
      ctx.type = "html";
      ctx.body = errorPage("Không thể đăng nhập", "Yêu cầu đăng nhập không hợp lệ. Hãy quay lại trang của cơ quan và thử lại.", out);
    },
    ttl: {
      AccessToken: 60 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 30 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
  });
  provider.proxy = opts.trustProxy ?? false;

  if (opts.allowAnyLocalRedirect) {
    const client = provider.Client.prototype;
    const { redirectUriAllowed, postLogoutRedirectUriAllowed } = client;
    client.redirectUriAllowed = function (this: ClientInstance, uri: string) {
      return redirectUriAllowed.call(this, uri) || isLocalVariant(uri, redirectUris);
    };
    client.postLogoutRedirectUriAllowed = function (this: ClientInstance, uri: string) {
      return postLogoutRedirectUriAllowed.call(this, uri) || isLocalVariant(uri, postLogoutRedirectUris);
    };
  }

  // oidc-provider's one page we do not render ourselves (the auto-submitting sign-out form used when
  // there is no session left) has no lang attribute; give it one.
  provider.use(async (ctx, next) => {
    await next();
    if (typeof ctx.body === "string" && ctx.body.startsWith("<!DOCTYPE html>\n<html>")) ctx.body = ctx.body.replace("<html>", '<html lang="vi">');
  });

  for (const event of ["server_error", "authorization.error", "grant.error", "userinfo.error", "end_session.error"]) {
    provider.on(event, (_ctx: unknown, err: unknown) => log({ msg: event, error: String((err as Error)?.message ?? err), detail: (err as { error_description?: string })?.error_description }));
  }
  provider.on("grant.success", () => log({ msg: "token issued" }));
  provider.on("end_session.success", () => log({ msg: "signed out" }));

  async function grantFor(details: Interaction, accountId: string): Promise<string> {
    const clientIdParam = String(details.params.client_id);
    let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    if (!grant || grant.accountId !== accountId) grant = new provider.Grant({ accountId, clientId: clientIdParam });
    if (typeof details.params.scope === "string") grant.addOIDCScope(details.params.scope);
    const { missingOIDCClaims, missingResourceScopes } = details.prompt.details as {
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
    return grant.save();
  }

  const renderLogin = (details: Interaction, extra: { identityNumber?: string; error?: string } = {}) =>
    loginPage({ action: `/interaction/${details.uid}/login`, clientName: details.params.client_id === clientId ? clientName : String(details.params.client_id), citizens, password, ...extra });

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, step: "show" | "login") {
    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (e) {
      if ((e as Error).name !== "SessionNotFound") throw e;
      return sendHtml(res, 400, errorPage("Phiên đăng nhập đã hết hạn", "Không tìm thấy phiên đăng nhập này (đã hết hạn hoặc đã hoàn tất). Hãy quay lại trang của cơ quan và bắt đầu đăng nhập lại."));
    }
    if (details.uid !== uid) return sendHtml(res, 400, errorPage("Phiên đăng nhập không khớp", "Đường dẫn đăng nhập không khớp với phiên hiện tại. Hãy quay lại trang của cơ quan và bắt đầu đăng nhập lại."));

    if (details.prompt.name === "consent") {
      // Already logged in: the national portal does not ask its member portals' users for consent.
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error("consent prompt without a session");
      return provider.interactionFinished(req, res, { consent: { grantId: await grantFor(details, accountId) } }, { mergeWithLastSubmission: true });
    }
    if (details.prompt.name !== "login") {
      return sendHtml(res, 400, errorPage("Không thể đăng nhập", `Bước đăng nhập không được hỗ trợ: ${details.prompt.name}`));
    }
    if (step === "show") return sendHtml(res, 200, renderLogin(details));

    let form: URLSearchParams;
    try {
      form = await readForm(req, MAX_FORM);
    } catch {
      return sendHtml(res, 413, renderLogin(details, { error: "Dữ liệu gửi lên quá lớn." }));
    }
    const identityNumber = (form.get("soDinhDanh") ?? "").replace(/\s+/g, "");
    const given = form.get("matKhau") ?? "";
    if (!/^\d{12}$/.test(identityNumber)) {
      return sendHtml(res, 400, renderLogin(details, { identityNumber, error: "Số định danh cá nhân phải gồm đúng 12 chữ số." }));
    }
    const citizen = byIdentityNumber.get(identityNumber);
    if (!citizen || !sameSecret(given, password)) {
      log({ msg: "login refused", reason: citizen ? "wrong password" : "unknown identity number" });
      return sendHtml(res, 401, renderLogin(details, { identityNumber, error: "Số định danh cá nhân hoặc mật khẩu không đúng." }));
    }
    const accountId = citizen.vneid.sub;
    log({ msg: "login", sub: accountId });
    return provider.interactionFinished(req, res, { login: { accountId, amr: ["pwd"] }, consent: { grantId: await grantFor(details, accountId) } }, { mergeWithLastSubmission: false });
  }

  const oidc = provider.callback();
  dispatch = (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(url.pathname);
    const handled = (async () => {
      if (m && !m[2] && req.method === "GET") return interaction(req, res, m[1], "show");
      if (m && m[2] && req.method === "POST") return interaction(req, res, m[1], "login");
      if (m) {
        res.setHeader("allow", m[2] ? "POST" : "GET");
        return sendHtml(res, 405, errorPage("Phương thức không được hỗ trợ", "Trang này không hỗ trợ phương thức yêu cầu đã dùng."));
      }
      if (url.pathname === "/" && req.method === "GET") return sendHtml(res, 200, startPage(issuer, citizens, password));
      if (url.pathname === "/health") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"ok":true}');
      }
      oidc(req, res);
    })();
    handled.catch((e: unknown) => {
      log({ msg: "mock error", error: String(e) });
      sendHtml(res, 500, errorPage("Lỗi hệ thống", "Đã có lỗi xảy ra. Hãy thử lại sau."));
    });
  };

  return {
    url: issuer,
    issuer,
    clientId,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

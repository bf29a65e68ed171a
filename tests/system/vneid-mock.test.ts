// The mock national single sign-on (VNeID) driven as the portal and a browser drive it, with plain
// fetch: authorization code + PKCE, the mock's own login page, the token and userinfo endpoints
// carrying the §6 claims of a seeded citizen, single sign-on, and RP-initiated logout back to the portal.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCitizens } from "~integrations/population/fixtures";
import { type RunningVneidMock, startVneidMock } from "~integrations/vneid/mock/server";
import { Browser } from "../support/browser";
import { freePort } from "../support/server";

const SECRET = "test-vneid-secret";
// Nothing listens here: the browser's last redirect is only inspected, never followed.
const RP = "http://127.0.0.1:45123";
const REDIRECT_URI = `${RP}/dang-nhap/callback`;
let op: RunningVneidMock;
beforeAll(async () => {
  op = await startVneidMock({
    port: 0,
    clientSecret: SECRET,
    redirectUris: ["http://127.0.0.1:3000/dang-nhap/callback"],
    postLogoutRedirectUris: ["http://127.0.0.1:3000/"],
    allowAnyLocalRedirect: true,
  });
});
afterAll(() => op?.close());

const binh = testCitizens.find((c) => c.identityNumber === "022190318264")!;

const location = (r: Response) => {
  expect([302, 303], `expected a redirect, got ${r.status}`).toContain(r.status);
  return new URL(r.headers.get("location")!, op.url).href;
};

function pkce() {
  const verifier = crypto.randomBytes(32).toString("base64url");
  return { verifier, challenge: crypto.createHash("sha256").update(verifier).digest("base64url") };
}

function authorizeUrl(p: Record<string, string | undefined>) {
  const u = new URL("/oauth2/authorize", op.url);
  for (const [k, v] of Object.entries({ client_id: "qn-portal", response_type: "code", scope: "openid profile", redirect_uri: REDIRECT_URI, ...p })) {
    if (v !== undefined) u.searchParams.set(k, v);
  }
  return u.href;
}

const formAction = (html: string) => new URL(/<form\b[^>]*\baction="([^"]+)"/.exec(html)![1].replace(/&amp;/g, "&"), op.url).href;

/** Authorize → login page → submit credentials → resume → back at the portal with a code. */
async function logIn(browser: Browser, identityNumber: string, opts: { nonce?: string; state?: string } = {}) {
  const { verifier, challenge } = pkce();
  const state = opts.state ?? crypto.randomUUID();
  const toLogin = await browser.fetch(authorizeUrl({ state, nonce: opts.nonce, code_challenge: challenge, code_challenge_method: "S256" }));
  const page = await browser.fetch(location(toLogin));
  expect(page.status).toBe(200);
  const html = await page.text();
  const resume = await browser.postForm(formAction(html), { soDinhDanh: identityNumber, matKhau: "123456" });
  const back = await browser.fetch(location(resume));
  const callback = new URL(location(back));
  return { callback, verifier, state, loginPage: html };
}

async function exchange(code: string, verifier: string, secret = SECRET) {
  return fetch(`${op.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${Buffer.from(`qn-portal:${secret}`).toString("base64")}` },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
  });
}

async function verifyIdToken(jwt: string): Promise<Record<string, unknown>> {
  const [h, p, s] = jwt.split(".");
  const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg: string; kid: string };
  expect(header.alg).toBe("RS256");
  const { keys } = (await (await fetch(`${op.url}/oauth2/jwks`)).json()) as { keys: (crypto.JsonWebKey & { kid: string })[] };
  const jwk = keys.find((k) => k.kid === header.kid);
  expect(jwk, "signing key published at /oauth2/jwks").toBeTruthy();
  expect(jwk).not.toHaveProperty("d");
  const ok = crypto.verify("sha256", Buffer.from(`${h}.${p}`), crypto.createPublicKey({ key: jwk!, format: "jwk" }), Buffer.from(s, "base64url"));
  expect(ok).toBe(true);
  return JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
}

const expectedClaims = {
  sub: binh.vneid.sub,
  LoaiTaiKhoan: 1,
  SoDinhDanh: "022190318264",
  HoVaTen: "Trần Thị Bình",
  NgayThangNamSinh: "22/07/1990",
  GioiTinh: "Nữ",
  ThuongTru: { MaXa: "06793", TenXa: "Phường Cẩm Phả", ChiTiet: "Tổ 5, khu 3" },
  NoiOHienNay: { MaXa: "06673", TenXa: "Phường Bãi Cháy", ChiTiet: "Số 8, đường Hạ Long" },
  TechID: binh.vneid.techId,
  loAs: "2",
  SoDienThoai: "0912457380",
  email: "tranthibinh@example.com",
};

describe("discovery", () => {
  it("publishes the national portal's routes, code flow only, PKCE S256 and the §6 claims", async () => {
    const d = (await (await fetch(`${op.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: op.url,
      authorization_endpoint: `${op.url}/oauth2/authorize`,
      token_endpoint: `${op.url}/oauth2/token`,
      userinfo_endpoint: `${op.url}/oauth2/userinfo`,
      end_session_endpoint: `${op.url}/oauth2/logout`,
      jwks_uri: `${op.url}/oauth2/jwks`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
    });
    expect(d.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile"]));
    expect(d.claims_supported).toEqual(expect.arrayContaining(Object.keys(expectedClaims)));
  });
});

describe("authorization code flow with PKCE", () => {
  it("logs a test citizen in on the mock's page and hands the portal her claims in the id_token and userinfo", async () => {
    const browser = new Browser();
    const nonce = crypto.randomUUID();
    const { callback, verifier, state, loginPage } = await logIn(browser, binh.identityNumber, { nonce });
    // the login page: Vietnamese, labelled inputs, the test citizens in a captioned table, no script
    expect(loginPage).toMatch(/<html lang="vi">/);
    expect(loginPage).toMatch(/<title>[^<]+<\/title>/);
    expect(loginPage).toMatch(/<main>[\s\S]*<h1>/);
    expect(loginPage).toContain('<label for="soDinhDanh">');
    expect(loginPage).toContain('<label for="matKhau">');
    expect(loginPage).toMatch(/<caption>Công dân thử nghiệm/);
    expect(loginPage).toContain("<code>022190318264</code>");
    expect(loginPage).not.toContain("<script");

    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("iss")).toBe(op.url);
    const code = callback.searchParams.get("code")!;
    expect(code).toBeTruthy();

    const token = await exchange(code, verifier);
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as { access_token: string; id_token: string; token_type: string; refresh_token?: string };
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.refresh_token).toBeUndefined();

    const idToken = await verifyIdToken(tokens.id_token);
    expect(idToken).toMatchObject({ ...expectedClaims, iss: op.url, aud: "qn-portal", nonce });

    const userinfo = await fetch(`${op.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toEqual(expectedClaims);

    // a code is good once
    expect((await exchange(code, verifier)).status).toBe(400);
  });

  it("omits the claims a citizen has no value for (a child has no phone or e-mail)", async () => {
    const child = testCitizens.find((c) => c.phone === null)!;
    const { callback, verifier } = await logIn(new Browser(), child.identityNumber);
    const tokens = (await (await exchange(callback.searchParams.get("code")!, verifier)).json()) as { access_token: string };
    const claims = (await (await fetch(`${op.url}/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, unknown>;
    expect(claims).toMatchObject({ SoDinhDanh: child.identityNumber, HoVaTen: child.fullName });
    expect(claims).not.toHaveProperty("SoDienThoai");
    expect(claims).not.toHaveProperty("email");
  });

  it("shows the login page again with an alert on a wrong password or an unknown number", async () => {
    const browser = new Browser();
    const { challenge } = pkce();
    const toLogin = await browser.fetch(authorizeUrl({ state: "s1", code_challenge: challenge, code_challenge_method: "S256" }));
    const html = await (await browser.fetch(location(toLogin))).text();
    for (const [soDinhDanh, matKhau] of [[binh.identityNumber, "654321"], ["022099999999", "123456"]]) {
      const r = await browser.postForm(formAction(html), { soDinhDanh, matKhau });
      expect(r.status).toBe(401);
      const again = await r.text();
      expect(again).toMatch(/<p id="loi-dang-nhap" class="error" role="alert">Số định danh cá nhân hoặc mật khẩu không đúng\.<\/p>/);
      expect(again).toContain(`value="${soDinhDanh}"`);
      expect(again).toContain('aria-describedby="loi-dang-nhap"');
      expect(again).toMatch(/<title>Lỗi: /);
    }
    // and the right one still works on the same interaction
    const ok = await browser.postForm(formAction(html), { soDinhDanh: binh.identityNumber, matKhau: "123456" });
    expect(ok.status).toBe(303);
  });

  it("refuses an authorization request without a code_challenge, and a token request with the wrong verifier", async () => {
    const browser = new Browser();
    const r = await browser.fetch(authorizeUrl({ state: "no-pkce" }));
    const back = new URL(location(r));
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("error_description")).toMatch(/PKCE/);
    expect(back.searchParams.get("code")).toBeNull();
    expect(back.searchParams.get("state")).toBe("no-pkce");

    const { callback } = await logIn(new Browser(), binh.identityNumber);
    const wrong = await exchange(callback.searchParams.get("code")!, pkce().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a wrong client secret and a redirect_uri that is not the portal's", async () => {
    const { callback, verifier } = await logIn(new Browser(), binh.identityNumber);
    expect((await exchange(callback.searchParams.get("code")!, verifier, "not-the-secret")).status).toBe(401);
    const evil = await new Browser().fetch(authorizeUrl({ redirect_uri: "http://evil.example/dang-nhap/callback", code_challenge: pkce().challenge, code_challenge_method: "S256" }));
    expect(evil.status).toBe(400);
    expect(evil.headers.get("location")).toBeNull();
    const html = await evil.text();
    expect(html).toMatch(/<html lang="vi">/);
    expect(html).toContain("redirect_uri");
  });
});

describe("sessions", () => {
  it("signs a returning citizen in without the login page, until the portal logs her out", async () => {
    const browser = new Browser();
    const first = await logIn(browser, binh.identityNumber);
    const { id_token } = (await (await exchange(first.callback.searchParams.get("code")!, first.verifier)).json()) as { id_token: string };

    // single sign-on: straight back with a code
    const again = await browser.fetch(authorizeUrl({ state: "sso", code_challenge: pkce().challenge, code_challenge_method: "S256" }));
    const sso = new URL(location(again));
    expect(sso.searchParams.get("code")).toBeTruthy();
    expect(sso.searchParams.get("state")).toBe("sso");

    // RP-initiated logout: an accessible confirmation page with one button, then back to the portal
    const postLogout = `${RP}/`;
    const logout = await browser.fetch(`${op.url}/oauth2/logout?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: postLogout, state: "bye" })}`);
    expect(logout.status).toBe(200);
    const page = await logout.text();
    expect(page).toMatch(/<html lang="vi">/);
    expect(page).toContain("Trần Thị Bình");
    expect(page).toContain('<button type="submit" form="op.logoutForm" name="logout" value="yes">Đăng xuất</button>');
    expect(page).not.toContain("<script");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1];
    const done = await browser.postForm(formAction(page), { xsrf, logout: "yes" });
    const landed = new URL(location(done));
    expect(`${landed.origin}${landed.pathname}`).toBe(postLogout);
    expect(landed.searchParams.get("state")).toBe("bye");

    // the session is over: the next authorization asks for a login again
    const fresh = await browser.fetch(authorizeUrl({ state: "after", code_challenge: pkce().challenge, code_challenge_method: "S256" }));
    expect(new URL(location(fresh)).pathname).toMatch(/^\/interaction\//);

    // logging out again without a session (say, after the mock restarted) still lands back at the portal,
    // through oidc-provider's self-submitting form, which the mock gives a language
    const stale = await browser.fetch(`${op.url}/oauth2/logout?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: postLogout, state: "again" })}`);
    expect(stale.status).toBe(200);
    const auto = await stale.text();
    expect(auto).toMatch(/<html lang="vi">/);
    expect(auto).toContain('name="logout" value="yes"');
    const back = await browser.postForm(formAction(auto), { xsrf: /name="xsrf" value="([^"]+)"/.exec(auto)![1], logout: "yes" });
    expect(location(back)).toBe(`${postLogout}?state=again`);
  });

  it("refuses a post_logout_redirect_uri that is not registered", async () => {
    const browser = new Browser();
    const first = await logIn(browser, binh.identityNumber);
    const { id_token } = (await (await exchange(first.callback.searchParams.get("code")!, first.verifier)).json()) as { id_token: string };
    const r = await browser.fetch(`${op.url}/oauth2/logout?${new URLSearchParams({ id_token_hint: id_token, post_logout_redirect_uri: "http://evil.example/" })}`);
    expect(r.status).toBe(400);
  });
});

describe("npm run mock:vneid", () => {
  it("starts with the redirect URIs and secret from the command line and logs JSON", async () => {
    const port = await freePort();
    const proc = spawn(process.execPath, ["--import", "tsx", "integrations/vneid/mock/cli.ts", "--port", String(port), "--redirect-uri", "http://127.0.0.1:9999/dang-nhap/callback", "--client-secret", "cli-secret"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout.on("data", (c: Buffer) => { out += c.toString(); });
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    for (let i = 0; i < 300 && !out.includes('"listening"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse(out.split("\n")[0])).toMatchObject({ service: "mock-vneid", msg: "listening", issuer: `http://127.0.0.1:${port}` });
    const url = `http://127.0.0.1:${port}`;
    const toLogin = await fetch(`${url}/oauth2/authorize?${new URLSearchParams({ client_id: "qn-portal", response_type: "code", scope: "openid profile", redirect_uri: "http://127.0.0.1:9999/dang-nhap/callback", code_challenge: pkce().challenge, code_challenge_method: "S256" })}`, { redirect: "manual" });
    expect(toLogin.status).toBe(303);
    expect(toLogin.headers.get("location")).toMatch(/^\/interaction\//);
    const token = await fetch(`${url}/oauth2/token`, { method: "POST", headers: { authorization: `Basic ${Buffer.from("qn-portal:cli-secret").toString("base64")}`, "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=authorization_code&code=nope&redirect_uri=http%3A%2F%2F127.0.0.1%3A9999%2Fdang-nhap%2Fcallback&code_verifier=" + "a".repeat(43) });
    expect(await token.json()).toMatchObject({ error: "invalid_grant" }); // authenticated: the secret was taken
    // without --allow-any-local-redirect, another port is another redirect URI: refused
    const otherPort = await fetch(`${url}/oauth2/authorize?${new URLSearchParams({ client_id: "qn-portal", response_type: "code", scope: "openid profile", redirect_uri: "http://127.0.0.1:9998/dang-nhap/callback", code_challenge: pkce().challenge, code_challenge_method: "S256" })}`, { redirect: "manual" });
    expect(otherPort.status).toBe(400);
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

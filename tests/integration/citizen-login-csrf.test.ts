// Login CSRF: an e-ID callback address signs in only the browser that started that login. An
// attacker starts a login, signs in at the e-ID provider as themself and stops before the portal's
// callback; a victim's browser that opens that callback address (without the attacker's login
// cookie, or with a login cookie of its own) is refused with a translated page, nobody is signed
// in, and the handshake is used up. The browser that started a login, holding its cookie, is signed
// in. Through the real routes (/dang-nhap, /dang-nhap/callback) and the real VNeID mock
// (OpenID Connect: authorization code + PKCE) on this test's database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citizens, oidcLogins, sessions } from "~db/schema";
import { TEST_PASSWORD, testCitizens } from "~integrations/population/fixtures";
import { startVneidMock, type RunningVneidMock } from "~integrations/vneid/mock/server";
import { Browser } from "../support/browser";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";

import * as callback from "~/routes/dang-nhap.callback";
import * as signIn from "~/routes/dang-nhap._index";
import { testContext } from "../support/services";

const SECRET = "login-csrf-vneid-secret";
const ATTACKER = testCitizens.find((c) => c.identityNumber === "022068205913")!; // Vũ Đức Thắng
const LOGIN_COOKIE = /qn_citizen_login=([A-Za-z0-9_-]{20,100});/;

let t: TestDb;
let op: RunningVneidMock;
beforeAll(async () => {
  op = await startVneidMock({ port: 0, clientSecret: SECRET, allowAnyLocalRedirect: true });
  // read by the portal's configuration on first use (nothing in this process read it before)
  process.env.VNEID_ISSUER = op.url;
  process.env.VNEID_CLIENT_SECRET = SECRET;
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
}, 60_000);
afterAll(async () => {
  await op?.close();
  await t?.cleanup();
});

const context = testContext("login-csrf-test");

const next = (r: Response, from: string) => new URL(r.headers.get("location")!, from).href;

/**
 * Presses "sign in with VNeID" on /dang-nhap and signs in at the provider as `who`: the portal's
 * callback address the provider sent the browser to (not opened yet) and the login cookie the
 * portal gave this browser.
 */
async function startAndSignInAtProvider(who = ATTACKER): Promise<{ callbackUrl: string; loginCookie: string }> {
  const start = await routeAnswer(() => signIn.action({
    request: new Request("http://127.0.0.1:3000/dang-nhap?index", { method: "POST", body: new URLSearchParams({ returnTo: "/ho-so" }), headers: { "content-type": "application/x-www-form-urlencoded" } }),
    params: {}, context,
  }));
  expect(start.status).toBe(302);
  const loginCookie = LOGIN_COOKIE.exec(start.setCookie ?? "")?.[1];
  expect(loginCookie, "the browser that starts a login gets a login cookie").toBeTruthy();
  expect(start.setCookie).toMatch(/HttpOnly/);
  expect(start.setCookie).toMatch(/SameSite=Lax/);
  const b = new Browser(); // at the e-ID provider
  let at = start.location!;
  const page = await b.fetch(next(await b.fetch(at), at));
  const html = await page.text();
  const action = new URL(/<form\b[^>]*\baction="([^"]+)"/.exec(html)![1].replace(/&amp;/g, "&"), op.url).href;
  const resumed = await b.postForm(action, { soDinhDanh: who.identityNumber, matKhau: TEST_PASSWORD });
  at = next(resumed, action);
  const back = await b.fetch(at);
  const callbackUrl = next(back, at);
  expect(new URL(callbackUrl).pathname).toBe("/dang-nhap/callback");
  expect(new URL(callbackUrl).searchParams.get("code")).toBeTruthy();
  return { callbackUrl, loginCookie: loginCookie! };
}

const openCallback = (url: string, cookie?: string) =>
  routeAnswer(() => callback.loader({ request: new Request(url, { headers: cookie ? { cookie } : {} }), params: {}, context }));
const count = async (table: typeof citizens | typeof sessions | typeof oidcLogins) => (await t.db.select().from(table)).length;

describe("e-ID login bound to the browser that started it", () => {
  it("refuses the attacker's callback in a victim's browser, with no login cookie or with its own", async () => {
    for (const victim of ["none", "own"] as const) {
      const attack = await startAndSignInAtProvider();
      // the victim started a login of their own in this browser (and has its cookie), or none at all
      const victimCookie = victim === "own" ? `qn_citizen_login=${(await startAndSignInAtProvider(testCitizens[0])).loginCookie}` : undefined;
      const before = await count(oidcLogins);
      const opened = await openCallback(attack.callbackUrl, victimCookie);
      expect(opened.status, victim).toBe(400);
      expect(opened.body).toContain("Lượt đăng nhập này không được bắt đầu từ trình duyệt này");
      expect(opened.setCookie ?? "").not.toMatch(/qn_citizen=/);
      expect(opened.setCookie).toMatch(/qn_citizen_login=;.*Max-Age=0/);
      expect(await count(citizens)).toBe(0);
      expect(await count(sessions)).toBe(0);
      // the attacker's handshake is used up: not even the attacker's own cookie can finish it now
      expect(await count(oidcLogins)).toBe(before - 1);
      expect((await openCallback(attack.callbackUrl, `qn_citizen_login=${attack.loginCookie}`)).status).toBe(400);
      expect(await count(sessions)).toBe(0);
    }
  });

  it("signs in the browser that holds the login cookie, and clears that cookie", async () => {
    const own = await startAndSignInAtProvider();
    const done = await openCallback(own.callbackUrl, `lng=vi; qn_citizen_login=${own.loginCookie}`);
    expect(done).toMatchObject({ status: 302, location: "/ho-so" });
    expect(done.setCookie).toMatch(/qn_citizen=[A-Za-z0-9_-]{20,}/);
    expect(done.setCookie).toMatch(/qn_citizen_login=;.*Max-Age=0/);
    const [row] = await t.db.select().from(citizens);
    expect(row.idNumber).toBe(ATTACKER.identityNumber);
    expect(await count(sessions)).toBe(1);
    // the handshake is stored without its state: the database alone cannot finish a login
    expect((await t.db.select().from(oidcLogins)).map((l) => l.state)).not.toContain(own.loginCookie);
  });
});

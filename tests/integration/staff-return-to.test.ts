// An official sent to sign in from a back-office page comes back to it afterwards (through the
// password and the TOTP step); a return address that is not one of our back-office pages is
// ignored, so the sign-in can never send anyone to another site.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffReturnTo, staffSignInUrl } from "~/modules/identity/staff-auth.server";
import { totpAt } from "~/modules/identity/totp";
import * as signIn from "~/routes/can-bo.dang-nhap";
import * as code from "~/routes/can-bo.xac-thuc";
import * as ops from "~/routes/van-hanh.dong-bo._index";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";
import { testContext } from "../support/services";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

const context = testContext("staff-return-to", { clientIp: "10.0.0.9" });
const form = (path: string, fields: Record<string, string>, cookie = "") => new Request(`http://127.0.0.1${path}`, {
  method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded", cookie },
});
const cookieOf = (setCookie: string | null) => (setCookie ?? "").split(";")[0];

/** Password, then TOTP code, each form carrying `returnTo` as the pages do; where the official lands. */
async function signInWith(username: string, secret: string, returnTo: string | null) {
  const extra: Record<string, string> = returnTo === null ? {} : { returnTo };
  const first = await routeAnswer(() => signIn.action({ request: form("/can-bo/dang-nhap", { username, password: "Demo@2026-QuangNinh", ...extra }), params: {}, context }));
  expect(first.status).toBe(302);
  const second = await routeAnswer(() => code.action({ request: form(first.location!, { code: totpAt(secret, Date.now()), ...extra }, cookieOf(first.setCookie)), params: {}, context }));
  expect(second.status).toBe(302);
  return { codePage: first.location, landed: second.location };
}

describe("staff sign-in return address", () => {
  it("accepts our back-office pages only", () => {
    for (const ok of ["/van-hanh/dong-bo", "/van-hanh/dong-bo/000.01.31.H49-261128-0001", "/can-bo/ho-so?trang-thai=2", "/quay", "/can-bo/bao-cao?from=2026-01-01"]) expect(staffReturnTo(ok), ok).toBe(ok);
    for (const bad of ["//evil.example/can-bo/", "/\\evil.example", "https://evil.example/can-bo/ho-so", "/ho-so", "/can-bo/dang-nhap", "/can-bo/xac-thuc?x=1", "/can-bo/dang-xuat", "/can-bo/<script>", "", null, 7, `/can-bo/${"a".repeat(300)}`]) {
      expect(staffReturnTo(bad), String(bad)).toBeNull();
    }
    expect(staffSignInUrl("/van-hanh/dong-bo")).toBe("/can-bo/dang-nhap?returnTo=%2Fvan-hanh%2Fdong-bo");
    expect(staffSignInUrl("/can-bo/ho-so")).toBe("/can-bo/dang-nhap");
    expect(staffSignInUrl("//evil.example")).toBe("/can-bo/dang-nhap");
  });

  it("brings an official back to the page that sent them to sign in", async () => {
    const asked = await routeAnswer(() => ops.loader({ request: new Request("http://127.0.0.1/van-hanh/dong-bo"), params: {}, context }));
    expect(asked).toMatchObject({ status: 302, location: "/can-bo/dang-nhap?returnTo=%2Fvan-hanh%2Fdong-bo", cache: "no-store" });
    const page = await signIn.loader({ request: new Request(`http://127.0.0.1${asked.location}`), params: {}, context });
    expect((page as { returnTo: string | null }).returnTo).toBe("/van-hanh/dong-bo");
    const { codePage, landed } = await signInWith("quantri", "ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU", "/van-hanh/dong-bo");
    expect(codePage).toBe("/can-bo/xac-thuc?returnTo=%2Fvan-hanh%2Fdong-bo");
    expect(landed).toBe("/van-hanh/dong-bo");
  });

  it("ignores a return address that is not ours: the official lands at home", async () => {
    const page = await signIn.loader({ request: new Request("http://127.0.0.1/can-bo/dang-nhap?returnTo=%2F%2Fevil.example"), params: {}, context });
    expect((page as { returnTo: string | null }).returnTo).toBeNull();
    const { codePage, landed } = await signInWith("lanhdao01", "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK", "//evil.example");
    expect(codePage).toBe("/can-bo/xac-thuc");
    expect(landed).toBe("/can-bo/ho-so");
  });

  it("sends a police officer with no return address to the kiosk, as before", async () => {
    expect((await signInWith("congan01", "KNSWC3TFOQYTEMZUKNSWC3TFOQYTEMZU", null)).landed).toBe("/quay");
  });
});

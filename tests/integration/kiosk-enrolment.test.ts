// Enrolling a kiosk (/quay/thiet-bi) is limited per source address and per code, never globally:
// someone typing bogus codes from one address does not lock the province's kiosks out — another
// address still enrols with its valid code — while that address itself is stopped. Through the
// real route action on this test's database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENROL_LIMITS } from "~/modules/kiosk/devices.server";
import { seedCatalog } from "~db/seed";
import { DEMO_KIOSKS, seedDemoKiosks } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";

import * as enrolPage from "~/routes/quay_.thiet-bi";
import { testContext } from "../support/services";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
  await seedDemoKiosks(t.db);
}, 60_000);
afterAll(() => t?.cleanup());

const enrol = (code: string, clientIp: string) => routeAnswer(() => enrolPage.action({
  request: new Request("http://127.0.0.1/quay/thiet-bi", { method: "POST", body: new URLSearchParams({ code }), headers: { "content-type": "application/x-www-form-urlencoded" } }),
  params: {}, context: testContext("kiosk-enrolment-test", { clientIp }),
}));

describe("kiosk enrolment rate limit", () => {
  it("stops the address that sends bogus codes, not another address with a valid code", async () => {
    const attacker = "203.0.113.7";
    for (let i = 0; i < ENROL_LIMITS.address; i++) {
      expect((await enrol(`ZZZZZ-${String(i).padStart(5, "Z")}`, attacker)).status).toBe(400);
    }
    // the attacker's address is limited now, whatever it sends (a valid code included)
    const limited = await enrol(DEMO_KIOSKS[1].enrolCode, attacker);
    expect(limited.status).toBe(429);
    expect(limited.body).toContain("kiosk.errors.rateLimited");
    expect(limited.setCookie).toBeNull();
    // a commune police's kiosk elsewhere enrols with its code
    const kiosk = await enrol(DEMO_KIOSKS[0].enrolCode, "198.51.100.20");
    expect(kiosk.status).toBe(200);
    expect(kiosk.setCookie).toMatch(/qn_kiosk_device=[A-Za-z0-9_-]{20,}/);
    expect(kiosk.body).toContain(DEMO_KIOSKS[0].label);
  });

  it("stops one code tried over and over from many addresses", async () => {
    const code = "QQQQQ-QQQQQ";
    for (let i = 0; i < ENROL_LIMITS.code; i++) expect((await enrol(code, `192.0.2.${i + 1}`)).status).toBe(400);
    expect((await enrol(code, "192.0.2.200")).status).toBe(429);
    // another code from a fresh address is not affected
    expect((await enrol(DEMO_KIOSKS[2].enrolCode, "192.0.2.201")).status).toBe(200);
  });
});

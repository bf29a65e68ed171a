// The staff sign-in with a NUL in the username (PostgreSQL refuses NUL in text: it was a 500)
// answers 400, and a username with another control character is simply a wrong one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as signIn from "~/routes/can-bo.dang-nhap";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";

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

const context = { requestId: "staff-sign-in-input", cspNonce: "test", clientIp: "10.0.0.9" };
const post = (fields: Record<string, string>) => new Request("http://127.0.0.1/can-bo/dang-nhap", {
  method: "POST", body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" },
});

describe("staff sign-in input", () => {
  it("answers 400 to a username with NUL and 'wrong credentials' to one with another control character", async () => {
    for (const username of ["motcua01\u0000", "\u0000", "a\u0000b"]) {
      const r = await routeAnswer(() => signIn.action({ request: post({ username, password: "Demo@2026-QuangNinh" }), params: {}, context }));
      expect(r.status, JSON.stringify(username)).toBe(400);
      expect(r.body).toContain("staff.errors.required");
    }
    const other = await routeAnswer(() => signIn.action({ request: post({ username: "motcua01\u0001", password: "Demo@2026-QuangNinh" }), params: {}, context }));
    expect(other.status).toBeGreaterThanOrEqual(400);
    expect(other.status).toBeLessThan(500);
    expect(other.body).toContain("staff.errors.invalid");
  });
});

// The two downloads of the Decision 766 report: a leader gets the CSV and the XLSX of their
// agency; a desk officer is refused; a bad period is a 400 with the translated message, and
// nothing is computed.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/modules/identity/sessions.server";
import { staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";

import * as csv from "~/routes/can-bo.bao-cao-csv";
import * as xlsx from "~/routes/can-bo.bao-cao-xlsx";
import { testContext } from "../support/services";

let t: TestDb;
const cookieOf: Record<string, string> = {};

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  for (const username of ["lanhdao01", "motcua01"]) {
    const [u] = await t.db.select().from(staffUsers).where(sql`username = ${username}`);
    cookieOf[username] = `qn_staff=${await createSession(t.db, { kind: "staff", userId: u.id, stage: "full", ttlMs: 3600_000 })}`;
  }
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

const call = (route: typeof csv | typeof xlsx, path: string, who: string, lang = "vi") =>
  route.loader({ request: new Request(`http://127.0.0.1${path}`, { headers: { cookie: `${cookieOf[who]}; lng=${lang}` } }), params: {}, context: testContext("report-export-test") });

/** What the loader refused with: it must refuse (answer 4xx), not serve. */
async function thrown(run: () => unknown) {
  const answer = await routeAnswer(run);
  if (answer.status < 400) throw new Error("the loader answered instead of refusing");
  return answer;
}

describe("report downloads", () => {
  it("gives a leader the CSV and the XLSX named after the period", async () => {
    const c = await call(csv, "/can-bo/bao-cao-csv?from=2026-01-01&to=2026-06-30", "lanhdao01");
    expect(c.status).toBe(200);
    expect(c.headers.get("content-type")).toContain("text/csv");
    expect(c.headers.get("content-disposition")).toContain("chi-so-766-2026-01-01-2026-06-30.csv");
    expect((await c.text()).split("\n")[0]).toMatch(/agency|cơ quan|ma_co_quan|,/i);
    const x = await call(xlsx, "/can-bo/bao-cao-xlsx?from=2026-01-01&to=2026-06-30", "lanhdao01");
    expect(x.status).toBe(200);
    expect(x.headers.get("content-disposition")).toContain("chi-so-766-2026-01-01-2026-06-30.xlsx");
    const bytes = new Uint8Array(await x.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // a zip container
  });

  it("refuses a desk officer", async () => {
    expect((await thrown(() => call(csv, "/can-bo/bao-cao-csv?from=2026-01-01&to=2026-06-30", "motcua01"))).status).toBe(403);
    expect((await thrown(() => call(xlsx, "/can-bo/bao-cao-xlsx?from=2026-01-01&to=2026-06-30", "motcua01"))).status).toBe(403);
  });

  it("answers a bad period with a translated 400", async () => {
    const vi = await thrown(() => call(csv, "/can-bo/bao-cao-csv?from=2026-06-30&to=2025-01-01", "lanhdao01"));
    expect(vi.status).toBe(400);
    expect(vi.body).toBe("Khoảng ngày không hợp lệ (tối đa 1 năm).");
    const en = await thrown(() => call(xlsx, "/can-bo/bao-cao-xlsx?from=not-a-date", "lanhdao01", "en"));
    expect(en.status).toBe(400);
    expect(en.body).toBe("Invalid period (one year at most).");
  });
});

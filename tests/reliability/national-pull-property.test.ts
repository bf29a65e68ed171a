// The pull parser and receiver under arbitrary answers (tests/support/pull-property.ts), thousands
// of cases on PostgreSQL. Size: PULL_PROPERTY_RUNS (default 3000).
import { afterAll, beforeAll, describe, it } from "vitest";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";
import { checkPullProperty } from "../support/pull-property";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
});
afterAll(async () => t?.cleanup());

describe("pull of national filings, arbitrary answers (thousands of cases)", () => {
  it("never throws, never leaves a partial dossier, never moves the cursor past a dossier it did not store or refuse", async () => {
    await checkPullProperty(t, Number(process.env.PULL_PROPERTY_RUNS ?? 3000));
  });
});

// The fee of an online filing: the procedure's online fee line, else a line for any channel, else
// the procedure's own fee (the copy-certification procedure is priced by its answers). feeFor reads
// it in one query; here it is checked against the rule applied to the tables directly, for every
// procedure of the seeded catalogue, with each branch of the rule represented.
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feeFor } from "~/modules/filing/filing.server";
import { procedureFees, procedures } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  // one procedure of each kind the seed may lack: an "any channel" line, and the procedure's own fee only
  const [a, b] = await t.db.select({ code: procedures.code }).from(procedures).orderBy(asc(procedures.code)).limit(2);
  await t.db.delete(procedureFees).where(eq(procedureFees.procedureCode, a.code));
  await t.db.insert(procedureFees).values([
    { procedureCode: a.code, position: 1, channel: "direct", label: "tại quầy", amountVnd: 50_000 },
    { procedureCode: a.code, position: 2, channel: null, label: "mọi hình thức", amountVnd: 30_000 },
  ]);
  await t.db.delete(procedureFees).where(eq(procedureFees.procedureCode, b.code));
  await t.db.update(procedures).set({ feeAmountVnd: 12_000 }).where(eq(procedures.code, b.code));
}, 60_000);
afterAll(() => t?.cleanup());

describe("feeFor", () => {
  it("follows the rule for every procedure, each branch taken at least once", async () => {
    const all = await t.db.select({ code: procedures.code, fee: procedures.feeAmountVnd }).from(procedures);
    const branches = new Set<string>();
    for (const p of all.filter((x) => x.code !== "2.000815")) {
      const lines = await t.db.select().from(procedureFees).where(eq(procedureFees.procedureCode, p.code)).orderBy(asc(procedureFees.position));
      const online = lines.find((l) => l.channel === "online" && l.amountVnd !== null);
      const any = lines.find((l) => l.channel === null && l.amountVnd !== null);
      const [branch, expected] = online ? ["online", online.amountVnd] : any ? ["any", any.amountVnd] : ["procedure", p.fee ?? 0];
      branches.add(branch);
      expect(await feeFor(t.db, p.code, {}), p.code).toBe(expected);
    }
    expect([...branches].sort()).toEqual(["any", "online", "procedure"]);
  });

  it("prices copy certification by pages and copies, and an unknown procedure at nothing", async () => {
    expect(await feeFor(t.db, "2.000815", { pages: "5", copies: "2" })).toBe(2 * (2 * 2000 + 3 * 1000));
    expect(await feeFor(t.db, "9.999999", {})).toBe(0);
  });
});

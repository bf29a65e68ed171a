import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeStatus, createDossier } from "~/modules/dossiers/dossiers.server";
import { indicatorsByAgencyMonth, toCsv, totalsByMonth, type IndicatorRow } from "~/modules/reports/indicators.server";
import { eq } from "drizzle-orm";
import { seedCatalog } from "~db/seed";
import { attachments, dossiers } from "~db/schema";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  const vn = (s: string) => new Date(`${s}+07:00`);
  // agency 01 police, November 2026: 3 dossiers, 2 online; one finished on time, one late
  const make = async (channel: 1 | 2, at: string) => {
    const r = await createDossier(t.db, { procedureCode: "1.004194", agencyCode: "000.01.31.H49", channel, applicantName: "=cmd|' /C calc'!A0", actor: { name: "x" }, at: vn(at), initialStatus: 2 });
    if (!r.ok) throw new Error(r.error.code);
    return r.value.id;
  };
  const a = await make(2, "2026-11-02T08:00");
  const b = await make(2, "2026-11-02T09:00");
  await make(1, "2026-11-30T23:30");
  for (const [id, doneAt] of [[a, "2026-11-03T10:00"], [b, "2026-11-20T10:00"]] as const) {
    await changeStatus(t.db, { dossierId: id, to: 4, actor: { name: "cv" }, at: vn("2026-11-02T10:00") });
    await changeStatus(t.db, { dossierId: id, to: 9, actor: { name: "cv" }, at: vn(doneAt) });
  }
  // one rated 5, one rated 2; one dossier holds an electronic document
  await t.db.update(dossiers).set({ rating: 5, ratedAt: new Date() }).where(eq(dossiers.id, a));
  await t.db.update(dossiers).set({ rating: 2, ratedAt: new Date() }).where(eq(dossiers.id, b));
  await t.db.insert(attachments).values({ dossierId: a, slot: "x", fileName: "x.pdf", mime: "application/pdf", size: 1, sha256: "0".repeat(64), scan: "clean" });
});
afterAll(() => t?.cleanup());

describe("Decision 766 indicators", () => {
  it("computes on-time and online rates per agency and month (Vietnam time)", async () => {
    const rows = await indicatorsByAgencyMonth(t.db, { from: "2026-11-01", to: "2026-11-30" });
    expect(rows).toEqual([expect.objectContaining({ agencyCode: "000.01.31.H49", month: "2026-11", received: 3, finished: 2, finishedOnTime: 1, online: 2, onTimeRate: 50, onlineRate: 66.7, digitisationRate: 33.3, satisfaction: 50 })]);
  });
  it("totals every agency per month for the chart, weighting by counts, not by averaging rates", () => {
    const row = (agencyCode: string, month: string, n: Partial<IndicatorRow>): IndicatorRow => ({ agencyCode, agencyName: agencyCode, month, received: 0, finished: 0, finishedOnTime: 0, online: 0, digitised: 0, rated: 0, satisfied: 0, onTimeRate: null, onlineRate: null, digitisationRate: null, satisfaction: null, ...n });
    const totals = totalsByMonth([
      row("A", "2026-11", { received: 10, finished: 4, finishedOnTime: 4, online: 10, digitised: 5, rated: 1, satisfied: 1 }),
      row("B", "2026-11", { received: 30, finished: 4, finishedOnTime: 0, online: 0, digitised: 0 }),
      row("A", "2026-10", { received: 2, finished: 0, online: 1 }),
    ]);
    expect(totals).toEqual([
      { month: "2026-10", received: 2, onTimeRate: null, onlineRate: 50, digitisationRate: 0, satisfaction: null },
      { month: "2026-11", received: 40, onTimeRate: 50, onlineRate: 25, digitisationRate: 12.5, satisfaction: 100 },
    ]);
  });
  it("exports CSV that spreadsheets read as UTF-8 and cannot turn into formulas", () => {
    const csv = toCsv([{ agencyCode: "000.01.31.H49", agencyName: "=HYPERLINK(\"x\")", month: "2026-11", received: 1, finished: 0, finishedOnTime: 0, online: 1, digitised: 0, rated: 0, satisfied: 0, onTimeRate: null, onlineRate: 100, digitisationRate: null, satisfaction: null }]);
    expect(csv.startsWith("\uFEFFagency_code,")).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.endsWith("\r\n")).toBe(true);
  });
});

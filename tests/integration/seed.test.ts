import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
beforeAll(async () => { t = await openTestDb(); });
afterAll(() => t?.cleanup());

const count = async (table: string) => Number((await t.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0].n);

describe("seeding the catalogue", () => {
  it("loads communes, agencies, procedures with documents and fees, and holidays", async () => {
    const report = await seedCatalog(t.db);
    expect(report).toMatchObject({ communes: 54, procedures: 37 });
    expect(await count("communes")).toBe(54);
    expect(await count("procedures")).toBe(37);
    // province committee + 8 provincial bodies + a committee and a police station per commune
    expect(await count("agencies")).toBe(9 + 54 * 2);
    expect(await count("procedure_documents")).toBeGreaterThan(37);
    expect(await count("procedure_fees")).toBeGreaterThanOrEqual(2);
    const tet = await t.query<{ is_working_day: boolean }>("select is_working_day from holidays where date = '2026-02-17'");
    expect(tet[0]?.is_working_day).toBe(false);
    const makeUp = await t.query<{ is_working_day: boolean }>("select is_working_day from holidays where date = '2026-08-22'");
    expect(makeUp[0]?.is_working_day).toBe(true);
    const province = await t.query("select * from agencies where code = '000.00.00.H49'");
    expect(province).toHaveLength(1);
  });

  it("changes nothing when run again", async () => {
    const snapshot = async () =>
      t.query<{ s: string }>(`select
        (select string_agg(code || ':' || xmin::text || ':' || updated_at::text, ',' order by code) from procedures) ||
        (select string_agg(code || ':' || xmin::text, ',' order by code) from agencies) ||
        (select string_agg(procedure_code || position || ':' || xmin::text, ',' order by procedure_code, position) from procedure_documents) ||
        (select string_agg(date || ':' || xmin::text, ',' order by date) from holidays) as s`);
    const before = await snapshot();
    const report = await seedCatalog(t.db);
    expect(report.written).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it("repairs a row that drifted from the seed data", async () => {
    await t.query("update procedures set name_vi = 'sai' where code = '1.004222'");
    await t.query("update procedures set content_hash = 'stale' where code = '1.004222'");
    const report = await seedCatalog(t.db);
    expect(report.written).toBe(1);
    const [row] = await t.query<{ name_vi: string }>("select name_vi from procedures where code = '1.004222'");
    expect(row.name_vi).toBe("Đăng ký thường trú");
  });
});

// The catalogue search, on whichever engine this run uses (PGlite, or PostgreSQL when
// DATABASE_URL is set): CI runs this file on both, and the answers must agree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CatalogQuery } from "~/modules/catalog/catalog.schema";
import { getProcedure, listCommunes, listFields, searchProcedures } from "~/modules/catalog/catalog.server";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
});
afterAll(() => t?.cleanup());

const search = (params: Record<string, string>) => searchProcedures(t.db, CatalogQuery.parse(params));
const codes = async (q: string) => (await search({ q })).items.map((p) => p.code);

describe("catalogue search", () => {
  it.each(["dang ky thuong tru", "Đăng ký thường trú", "thuong tru", "dang ki thuong tru", "ĐĂNG KÝ THƯỜNG TRÚ", "dang  ky   thuong-tru"])(
    "%s ranks permanent residence registration (1.004222) first",
    async (q) => {
      expect((await codes(q))[0]).toBe("1.004222");
    },
  );

  it("full-width letters (Ｄăng ｋý, NFKC) find what Đăng ký finds", async () => {
    const plain = await codes("Đăng ký");
    expect(plain.length).toBeGreaterThan(0);
    expect(await codes("Ｄăng ｋý")).toEqual(plain);
    expect((await codes("Ｄăng ｋý ｔhường trú"))[0]).toBe("1.004222");
    expect((await codes("１.００４２２２"))[0]).toBe("1.004222");
  });

  it("tam tru finds temporary residence registration (1.004194) among the first results", async () => {
    const found = await codes("tam tru");
    expect(found.slice(0, 3)).toContain("1.004194");
    expect(found).not.toContain("1.004222"); // permanent residence is not a match for "tam tru"
  });

  it("finds a procedure by its national code, exactly and by prefix", async () => {
    expect((await codes("1.004222"))[0]).toBe("1.004222");
    expect((await codes("3.000333"))[0]).toBe("3.000333");
    expect(await codes("1.0042")).toContain("1.004222");
  });

  it("searches the English names too", async () => {
    expect((await codes("permanent residence"))[0]).toBe("1.004222");
    expect((await codes("birth registration"))[0]).toBe("1.001193");
  });

  it("answers nonsense with nothing, not with everything", async () => {
    const r = await search({ q: "xyzzy qwrtp" });
    expect(r.items).toEqual([]);
    expect(r.total).toBe(0);
  });

  it("treats LIKE wildcards in the query as text", async () => {
    expect((await search({ q: "%" })).total).toBe(0);
    expect((await search({ q: "_" })).total).toBe(0);
  });

  it("lists everything, paged, when there is no query", async () => {
    const first = await search({});
    expect(first.total).toBe(37);
    expect(first.items).toHaveLength(20);
    expect(first.pageCount).toBe(2);
    const second = await search({ page: "2" });
    expect(second.items).toHaveLength(17);
    const all = new Set([...first.items, ...second.items].map((p) => p.code));
    expect(all.size).toBe(37);
    const beyond = await search({ page: "3" });
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(37);
  });

  it("filters by fee, level, agency, field and online availability", async () => {
    const free = await search({ fee: "free" });
    expect(free.total).toBeGreaterThan(0);
    expect(free.items.every((p) => p.feeAmountVnd === 0)).toBe(true);
    const paid = await search({ fee: "paid" });
    expect(paid.items.every((p) => (p.feeAmountVnd ?? 0) > 0)).toBe(true);
    expect(paid.items.map((p) => p.code)).toContain("1.004222");

    const province = await search({ level: "province" });
    expect(province.items.every((p) => p.level === "province")).toBe(true);
    expect(province.items.map((p) => p.code)).toContain("3.000333");

    const police = await search({ agency: "police", q: "thuong tru" });
    expect(police.items[0].code).toBe("1.004222");
    expect(police.items.every((p) => p.agencyKind === "police")).toBe(true);

    const hoTich = await search({ field: "Hộ tịch" });
    expect(hoTich.items.map((p) => p.code)).toEqual(expect.arrayContaining(["1.001193", "1.000894"]));
    expect(hoTich.items.every((p) => p.field === "Hộ tịch")).toBe(true);

    const full = await search({ online: "full" });
    expect(full.items.map((p) => p.code)).toContain("1.001193");
    expect(full.items.every((p) => p.onlineMode === "full")).toBe(true);
  });

  it("lists the fields of the catalogue", async () => {
    const fields = await listFields(t.db);
    expect(fields).toContain("Đăng ký, quản lý cư trú");
    expect(new Set(fields).size).toBe(fields.length);
  });
});

describe("procedure detail", () => {
  it("returns fees per channel, documents and legal bases", async () => {
    const r = await getProcedure(t.db, "1.004222");
    if (!r.ok) throw new Error("expected the procedure");
    const p = r.value;
    expect(p.nameVi).toBe("Đăng ký thường trú");
    expect(p.fees.map((f) => [f.channel, f.amountVnd])).toEqual([["direct", 20000], ["online", 10000]]);
    expect(p.documents.length).toBe(4);
    expect(p.legalBases).toContain("Luật Cư trú số 68/2020/QH14");
    expect(p.processingValue).toBe(7);
    expect(p.processingUnit).toBe("working_days");
  });
  it("answers an unknown or malformed code with a not-found error", async () => {
    for (const code of ["9.999999", "../etc", "", "1.004222'--"]) {
      const r = await getProcedure(t.db, code);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: "catalog.procedure_not_found", status: 404 });
    }
  });
});

describe("commune directory", () => {
  it("lists the 54 communes, each with its People's Committee and police", async () => {
    const all = await listCommunes(t.db);
    expect(all).toHaveLength(54);
    for (const c of all) expect(c.agencies.map((a) => a.kind).sort()).toEqual(["commune_committee", "commune_police"]);
    expect(all.filter((c) => c.type === "dac_khu").map((c) => c.name).sort()).toEqual(["Đặc khu Cô Tô", "Đặc khu Vân Đồn"]);
  });
  it("filters by name without diacritics", async () => {
    const found = await listCommunes(t.db, "van don");
    expect(found.map((c) => c.name)).toEqual(["Đặc khu Vân Đồn"]);
  });
});

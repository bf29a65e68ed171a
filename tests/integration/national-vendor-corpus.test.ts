// The mock national portal against what vendor systems really send (the corpus of
// tests/fixtures/national-vendor/, ADR 023): the production profile accepts every payload, the
// strict one refuses exactly those using a lenient form and names each such field, and every
// payload made wrong in meaning — its own defect and generated ones — is refused in both
// profiles with the wrong field named. Over HTTP, against the real mock server.
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERR, isSuccessCode } from "~integrations/national-portal/contract";
import type { Profile } from "~integrations/national-portal/mock/lenient";
import { startMock } from "~integrations/national-portal/mock/server";
import { answers, corpus, namedFields, type VendorPayload, withValue } from "../support/vendor-corpus";

type Answer = { error_code: number | string; message: string; result?: unknown; session?: string };

async function open(profile: Profile) {
  const mock = await startMock({ port: 0, profile });
  const post = async (path: string, body: unknown) =>
    (await (await fetch(`${mock.url}${path}`, { method: "POST", body: JSON.stringify(body) })).json()) as Answer;
  const { session } = await post("/mapi/login", { username: "h49", password: "h49-secret" });
  return {
    mock,
    send: (payload: Record<string, unknown>) => post("/mapi/service", { session, ...payload }),
    profile: (p: Profile) => post("/__admin/profile", { profile: p }),
  };
}
type Client = Awaited<ReturnType<typeof open>>;

const show = (p: VendorPayload, a: Answer) => `${p.id}: error_code=${JSON.stringify(a.error_code)} message=${JSON.stringify(a.message)}`;
const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify([...new Set(a)].sort()) === JSON.stringify([...new Set(b)].sort());

describe("production profile (the default)", () => {
  let c: Client;
  beforeAll(async () => { c = await open("production"); });
  afterAll(() => c?.mock.close());

  it("accepts every vendor payload of the corpus, in order, as the real portal does", async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    const wrong: string[] = [];
    for (const p of corpus) {
      const a = await c.send(p.payload);
      if (!answers(p.expect, a.error_code)) wrong.push(show(p, a));
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it("stores the canonical form: an agency named is stored by its code, 'False' is an insert, '' is absent", async () => {
    // 40–41: VSD's insert ("False") and update ("True"), agency by name, procedure code with the agency appended
    const look = await c.send({ madonvi: "000.00.00.H49", service: "TraCuuHoSo", mahoso: "000.06.30.H49-261202-0007" });
    const r = look.result as Record<string, unknown>;
    expect(r).toMatchObject({ DonViXuLy: "000.06.30.H49", MaTTHC: "1.001193", TrangThaiHoSo: 2, NgayNopHoSo: r.NgayTiepNhan, TenLinhVuc: "Hộ tịch" });
    expect(r).not.toHaveProperty("NgayHenTra");
    expect(r).not.toHaveProperty("KenhThucHien");
  });

  it("shows each lenient call's warnings, by field, in the integrators' view and its JSON API", async () => {
    const p = corpus.find((x) => x.id === "02-opencps-insert-received")!;
    const api = (await (await fetch(`${c.mock.url}/__admin/warnings`)).json()) as { profile: string; warnings: { service: string; ma_ho_so: string; error_code: number; findings: { path: string; message: string }[]; request: unknown }[] };
    expect(api.profile).toBe("production");
    const w = api.warnings.find((x) => isDeepStrictEqual(x.request, p.payload));
    expect(w).toMatchObject({ service: p.service, ma_ho_so: "000.01.31.H49-261130-0001", error_code: 0 });
    expect(w?.findings.map((f) => f.path).sort()).toEqual([...p.lenient].sort());
    expect(w?.findings.every((f) => /[À-ỹ]/.test(f.message))).toBe(true);
    // one warning row per call that used a lenient form, none for the others
    expect(api.warnings.length).toBe(corpus.filter((x) => x.lenient.length).length);
    const page = await (await fetch(`${c.mock.url}/`)).text();
    expect(page).toContain("Cảnh báo");
    for (const field of p.lenient) expect(page).toContain(`<code>${field}</code>`);
  });

  it("takes a field named like a property of every object (constructor, __proto__) as an unknown field", async () => {
    const p = corpus.find((x) => x.id === "31-td-insert-postal")!;
    const item = (p.payload.data as Record<string, unknown>[])[0];
    // JSON text: "__proto__" arrives as an own key, as from any client
    const body = JSON.stringify({ ...p.payload, constructor: "x", data: [{ ...item, MaHoSo: "000.01.31.H49-261204-0777", toString: 1 }] })
      .replace('"toString":1', '"toString":1,"__proto__":{"TrangThaiHoSo":9},"constructor":{"prototype":{}}');
    const { session } = await (await fetch(`${c.mock.url}/mapi/login`, { method: "POST", body: JSON.stringify({ username: "h49", password: "h49-secret" }) })).json();
    const r = await fetch(`${c.mock.url}/mapi/service`, { method: "POST", body: body.replace("{", `{"session":${JSON.stringify(session)},`) });
    expect(r.status).toBe(200);
    const a = (await r.json()) as Answer;
    expect(a.error_code).toBe(0);
    const api = (await (await fetch(`${c.mock.url}/__admin/warnings`)).json()) as { warnings: { findings: { path: string }[] }[] };
    expect(api.warnings[0].findings.map((f) => f.path)).toEqual(expect.arrayContaining(["constructor", "data.0.toString", "data.0.__proto__", "data.0.constructor"]));
    const look = await c.send({ madonvi: "000.00.00.H49", service: "TraCuuHoSo", mahoso: "000.01.31.H49-261204-0777" });
    expect(look.result).toMatchObject({ TrangThaiHoSo: 2 });
  });

  it("answers success with 'thành công' and a re-sent insert with 'đã tồn tại' (TD reads the words)", async () => {
    const insert = corpus.find((x) => x.id === "20-td-insert-counter")!;
    const again = await c.send(insert.payload);
    expect(again.error_code).toBe(ERR.EXISTS);
    expect(again.message.toLowerCase()).toContain("đã tồn tại");
    const ok = await c.send({ madonvi: "000.00.00.H49", service: "LayDanhMucCoQuan" });
    expect(ok.message.toLowerCase()).toContain("thành công");
    // OpenCPS reads the catalogue by its upper-case keys
    expect((ok.result as Record<string, unknown>[])[0]).toMatchObject({ MADONVI: expect.any(String), TENDONVI: expect.any(String), CAPDONVI: expect.any(Number) });
  });
});

describe("strict profile", () => {
  let c: Client;
  beforeAll(async () => { c = await open("strict"); });
  afterAll(() => c?.mock.close());

  it("refuses exactly the payloads with a lenient form, naming each such field and no other", async () => {
    const wrong: string[] = [];
    for (const p of corpus) {
      const a = await c.send(p.payload);
      if (p.lenient.length === 0) {
        if (!answers(p.expect, a.error_code)) wrong.push(show(p, a));
        continue;
      }
      if (a.error_code !== ERR.INVALID) wrong.push(`${show(p, a)}: expected a refusal (${ERR.INVALID})`);
      else if (!sameSet(namedFields(a.message), p.lenient)) wrong.push(`${show(p, a)}: expected the fields ${p.lenient.join(", ")}`);
      // nothing stored: the payloads after it find the state production would leave, so send it there
      await c.profile("production");
      const again = await c.send(p.payload);
      if (!answers(p.expect, again.error_code)) wrong.push(`${show(p, again)} (production, after the strict refusal)`);
      await c.profile("strict");
    }
    expect(wrong).toEqual([]);
    // a strict refusal is a refusal, not a warning
    const api = (await (await fetch(`${c.mock.url}/__admin/warnings`)).json()) as { profile: string };
    expect(api.profile).toBe("strict");
  }, 60_000);

  it("is switched at run time and says which profile runs", async () => {
    expect(await (await fetch(`${c.mock.url}/__admin/profile`)).json()).toEqual({ profile: "strict" });
    const bad = await fetch(`${c.mock.url}/__admin/profile`, { method: "POST", body: JSON.stringify({ profile: "lax" }) });
    expect(bad.status).toBe(400);
  });
});

/** Date fields of the corpus's items, each made impossible; a status and a code of another unit. */
function generatedDefects(p: VendorPayload): VendorPayload["defect"][] {
  const data = p.payload.data;
  if (!Array.isArray(data)) return [];
  const out: VendorPayload["defect"][] = [];
  data.forEach((item: Record<string, unknown>, i) => {
    for (const [key, v] of Object.entries(item)) {
      if (/^(Ngay|ThoiDiem)/.test(key) && typeof v === "string" && v.length === 14) {
        out.push({ field: `data.${i}.${key}`, value: `${v.slice(0, 4)}0230${v.slice(8)}`, why: "30 February" });
        out.push({ field: `data.${i}.${key}`, value: `${v.slice(0, 8)}24${v.slice(10)}`, why: "hour 24" });
      }
    }
    const status = p.service === "DongBoHoSoMC" ? "TrangThaiHoSo" : "TrangThai";
    out.push({ field: `data.${i}.${status}`, value: "13", why: "unknown status code" });
    if (typeof item.MaHoSo === "string") out.push({ field: `data.${i}.MaHoSo`, value: item.MaHoSo.replace(".H49-", ".H22-"), why: "another province's unit" });
    if (p.service === "DongBoHoSoMC") {
      out.push({ field: `data.${i}.ChuHoSo`, value: null, why: "owner missing" });
      out.push({ field: `data.${i}.TrichYeuHoSo`, value: "Đ".repeat(1001), why: "summary over 1000 characters" });
    } else out.push({ field: `data.${i}.NguoiXuLy`, value: "Đ".repeat(51), why: "officer over 50 characters" });
  });
  return out;
}

describe.each(["production", "strict"] as const)("meaning-level defects, %s profile", (profile) => {
  let c: Client;
  beforeAll(async () => { c = await open(profile); });
  afterAll(() => c?.mock.close());

  it("refuses every payload made wrong — its own defect and generated ones — naming the wrong field", async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const p of corpus) {
      // the payload itself first, in production, for the state its defect speaks of ("a received
      // dossier sent back to 1" is wrong once it is received) and the next payloads need
      if (profile === "strict") await c.profile("production");
      const ok = await c.send(p.payload);
      if (!answers(p.expect, ok.error_code)) wrong.push(`${show(p, ok)} (the payload itself)`);
      if (profile === "strict") await c.profile("strict");
      for (const d of [p.defect, ...generatedDefects(p)]) {
        tried++;
        const a = await c.send(withValue(p.payload, d.field, d.value));
        if (isSuccessCode(a.error_code) || answers(p.expect, a.error_code)) wrong.push(`${show(p, a)}: ${d.field} (${d.why}) accepted`);
        else if (!namedFields(a.message).includes(d.field)) wrong.push(`${show(p, a)}: ${d.field} (${d.why}) not named`);
      }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(corpus.length * 5);
  }, 120_000);
});

// Contract tests of the mock national portal: valid calls accepted, invalid ones refused with
// the right code and a Vietnamese message, every illegal status transition refused.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ERR, isLegalTransition } from "~integrations/national-portal/contract";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";

let mock: RunningMock;
let session: string;
const UNIT = "000.00.00.H49";
beforeAll(async () => { mock = await startMock({ port: 0, sessionTtlMs: 60_000 }); });
afterAll(() => mock?.close());

const post = async (path: string, body: unknown) => (await fetch(`${mock.url}${path}`, { method: "POST", body: JSON.stringify(body) })).json() as Promise<{ error_code: number | string; message: string; result?: unknown; session?: string }>;
const service = (name: string, extra: Record<string, unknown> = {}) => post("/mapi/service", { session, madonvi: UNIT, service: name, ...extra });
let seq = 0;
const code = () => `000.01.31.H49-261128-${String(++seq).padStart(4, "0")}`;
const dossier = (over: Record<string, unknown> = {}) => ({
  MaHoSo: code(), MaTTHC: "1.004222", TenTTHC: "Đăng ký thường trú", KenhThucHien: 2, ChuHoSo: "Nguyễn Văn A", LoaiDoiTuong: 1,
  SoGiayToChuHoSo: "022090000001", SoDienThoai: "0912345678", NgayNopHoSo: "20261128080000", TrangThaiHoSo: 1, DonViXuLy: "000.01.31.H49", ...over,
});
const progress = (maHoSo: string, TrangThai: number, t = "20261128080000") => ({ MaHoSo: maHoSo, NguoiXuLy: "Cán bộ", ThoiDiemXuLy: t, TrangThai });

beforeEach(async () => {
  const r = await post("/mapi/login", { username: "h49", password: "h49-secret" });
  session = r.session!;
});

describe("login and sessions", () => {
  it("opens a session for good credentials and refuses bad ones", async () => {
    expect(session).toMatch(/^[\w-]{20,}$/);
    const bad = await post("/mapi/login", { username: "h49", password: "nope" });
    expect(bad.error_code).toBe(ERR.LOGIN);
    expect(bad.message).toMatch(/không đúng/);
  });
  it("answers an unknown session with HTTP 200 and a non-zero code", async () => {
    const r = await fetch(`${mock.url}/mapi/service`, { method: "POST", body: JSON.stringify({ session: "nope", madonvi: UNIT, service: "LayDanhMucCoQuan" }) });
    expect(r.status).toBe(200);
    expect((await r.json()).error_code).toBe(ERR.SESSION);
  });
  it("refuses a unit other than the session's", async () => {
    expect((await post("/mapi/service", { session, madonvi: "000.00.00.H01", service: "LayDanhMucCoQuan" })).error_code).toBe(ERR.UNIT);
  });
});

describe("valid calls are accepted", () => {
  it("inserts, looks up, updates and records progress", async () => {
    const d = dossier();
    expect((await service("DongBoHoSoMC", { isUpdating: false, data: [d] })).error_code).toBe(0);
    expect((await service("CapNhatTienDoHoSoMC", { data: [progress(d.MaHoSo, 1)] })).error_code).toBe(0);
    expect((await service("DongBoHoSoMC", { isUpdating: true, data: [{ ...d, TrangThaiHoSo: 2, NgayTiepNhan: "20261128090000" }] })).error_code).toBe(0);
    expect((await service("CapNhatTienDoHoSoMC", { data: [progress(d.MaHoSo, 2, "20261128090000")] })).error_code).toBe(0);
    const look = await service("TraCuuHoSo", { mahoso: d.MaHoSo });
    expect(look.error_code).toBe(0);
    expect(look.result).toMatchObject({ MaHoSo: d.MaHoSo, TrangThaiHoSo: 2, TienDoXuLy: [{ TrangThai: 1 }, { TrangThai: 2 }] });
  });
  it("serves the catalogue, agencies and tech ids", async () => {
    const list = await service("LayDanhSachTTHC");
    expect((list.result as { MaTTHC: string }[]).map((p) => p.MaTTHC)).toContain("1.004222");
    expect((await service("LayThuTuc", { maTTHC: "1.004194" })).result).toMatchObject({ TenTTHC: "Đăng ký tạm trú" });
    const agencies = (await service("LayDanhMucCoQuan")).result as { MaCoQuan: string }[];
    expect(agencies.length).toBe(117);
    expect((await service("TraCuuTechID", { soDinhDanh: "022090000001" })).result).toMatchObject({ TechID: expect.stringMatching(/^[0-9a-f]{24}$/) });
  });
  it("publishes an OpenAPI 3.1 document built from the request schemas", async () => {
    const doc = await (await fetch(`${mock.url}/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["NationalDossier", "ProgressRecord", "ServiceRequest"]));
    expect(doc.components.schemas.NationalDossier.required).toContain("MaHoSo");
  });
});

describe("invalid calls are refused with the right code", () => {
  const cases: [string, Record<string, unknown>, number][] = [
    ["bad dossier code", { MaHoSo: "HS-1" }, ERR.INVALID],
    ["prefix of another province", { MaHoSo: "000.01.31.H01-261128-0001" }, ERR.UNIT],
    ["unknown agency prefix", { MaHoSo: "000.99.31.H49-261128-0001" }, ERR.UNIT],
    ["unknown procedure", { MaTTHC: "9.999999" }, ERR.PROCEDURE],
    ["unknown processing agency", { DonViXuLy: "000.99.99.H49" }, ERR.AGENCY],
    ["status out of range", { TrangThaiHoSo: 11 }, ERR.INVALID],
    ["bad date", { NgayNopHoSo: "2026-11-28" }, ERR.INVALID],
    ["impossible date", { NgayNopHoSo: "20261332080000" }, ERR.INVALID],
    ["identity number of 10 digits", { SoGiayToChuHoSo: "0220900000" }, ERR.INVALID],
    ["phone of 9 digits", { SoDienThoai: "091234567" }, ERR.INVALID],
    ["channel 4", { KenhThucHien: 4 }, ERR.INVALID],
    ["subject type 5", { LoaiDoiTuong: 5 }, ERR.INVALID],
    ["summary over 1000 characters", { TrichYeuHoSo: "a".repeat(1001) }, ERR.INVALID],
    ["new dossier at status 9", { TrangThaiHoSo: 9 }, ERR.TRANSITION],
  ];
  it.each(cases)("%s", async (_name, over, expected) => {
    const r = await service("DongBoHoSoMC", { isUpdating: false, data: [dossier(over)] });
    expect(r.error_code).toBe(expected);
    expect(r.message).toMatch(/[À-ỹ]/); // a Vietnamese message
  });
  it("answers an existing dossier with 'đã tồn tại' (code 3)", async () => {
    const d = dossier();
    await service("DongBoHoSoMC", { isUpdating: false, data: [d] });
    const again = await service("DongBoHoSoMC", { isUpdating: false, data: [d] });
    expect(again.error_code).toBe(ERR.EXISTS);
    expect(again.message).toMatch(/đã tồn tại/);
  });
  it("refuses updates and progress for an unknown dossier, and batches over 10", async () => {
    expect((await service("DongBoHoSoMC", { isUpdating: true, data: [dossier()] })).error_code).toBe(ERR.NOT_FOUND);
    expect((await service("CapNhatTienDoHoSoMC", { data: [progress(code(), 1)] })).error_code).toBe(ERR.NOT_FOUND);
    const d = dossier();
    await service("DongBoHoSoMC", { isUpdating: false, data: [d] });
    expect((await service("CapNhatTienDoHoSoMC", { data: Array.from({ length: 11 }, (_, i) => progress(d.MaHoSo, 1, `202611280800${String(i).padStart(2, "0")}`)) })).error_code).toBe(ERR.BATCH);
  });
  it("refuses an unknown service and a malformed body", async () => {
    expect((await service("XoaHoSo")).error_code).toBe(ERR.SERVICE);
    const r = await fetch(`${mock.url}/mapi/service`, { method: "POST", body: "{not json" });
    expect(r.status).toBe(400);
  });
  it("records every refusal with its reason for integrators", async () => {
    const r = await (await fetch(`${mock.url}/__admin/refusals`)).json();
    expect(r.refusals.length).toBeGreaterThan(10);
    expect(r.refusals.some((x: { error_code: number }) => x.error_code === ERR.PROCEDURE)).toBe(true);
  });
});

describe("status transitions", () => {
  const all = Array.from({ length: 10 }, (_, i) => i + 1);
  // reach each status through a legal path, then try every target
  const pathTo: Record<number, number[]> = { 1: [1], 2: [1, 2], 3: [1, 3], 4: [1, 2, 4], 5: [1, 2, 4, 5], 6: [1, 2, 4, 6], 7: [1, 7], 8: [1, 2, 4, 8], 9: [1, 2, 4, 9], 10: [1, 2, 4, 9, 10] };
  it("accepts exactly the legal transitions on dossier updates", async () => {
    const wrong: string[] = [];
    for (const from of all) {
      for (const to of all) {
        if (to === from) continue;
        const d = dossier();
        await service("DongBoHoSoMC", { isUpdating: false, data: [d] });
        for (const s of pathTo[from].slice(1)) await service("DongBoHoSoMC", { isUpdating: true, data: [{ ...d, TrangThaiHoSo: s }] });
        const r = await service("DongBoHoSoMC", { isUpdating: true, data: [{ ...d, TrangThaiHoSo: to }] });
        const accepted = r.error_code === 0;
        if (accepted !== isLegalTransition(from, to)) wrong.push(`${from}→${to}: ${r.error_code}`);
        if (!accepted && r.error_code !== ERR.TRANSITION) wrong.push(`${from}→${to}: code ${r.error_code}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);
  it("enforces the same order on progress records", async () => {
    const d = dossier();
    await service("DongBoHoSoMC", { isUpdating: false, data: [d] });
    expect((await service("CapNhatTienDoHoSoMC", { data: [progress(d.MaHoSo, 1)] })).error_code).toBe(0);
    const skip = await service("CapNhatTienDoHoSoMC", { data: [progress(d.MaHoSo, 9, "20261128090000")] });
    expect(skip.error_code).toBe(ERR.TRANSITION);
    expect(skip.message).toBe("data.0.TrangThai: Không được chuyển trạng thái từ 1 sang 9");
  });
});

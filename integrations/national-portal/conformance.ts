// npm run conformance -- --base-url URL [--username U --password P --unit 000.00.00.H49 --agency 000.01.31.H49]
// A contract suite any implementation of the national sync API can be run against: one line per
// check, then "N passed, N failed"; exit code 1 when any check fails.
import { parseArgs } from "node:util";
import { isSuccessCode, toDate14 } from "./contract";

const { values } = parseArgs({
  options: {
    "base-url": { type: "string" },
    username: { type: "string", default: "h49" },
    password: { type: "string", default: "h49-secret" },
    unit: { type: "string", default: "000.00.00.H49" },
    agency: { type: "string", default: "000.01.31.H49" },
    procedure: { type: "string", default: "1.004222" },
    "timeout-ms": { type: "string", default: "10000" },
  },
});
const base = values["base-url"];
if (!base || !/^https?:\/\//.test(base)) {
  console.error("usage: conformance --base-url http://host:port [--username --password --unit --agency --procedure]");
  process.exit(2);
}
type A = { error_code?: unknown; message?: unknown; session?: unknown; result?: unknown };
async function post(path: string, body: unknown): Promise<{ status: number; answer: A }> {
  const r = await fetch(new URL(path, base), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(Number(values["timeout-ms"])) });
  const text = await r.text();
  let answer: A = {};
  try { answer = JSON.parse(text); } catch { /* reported by the check */ }
  return { status: r.status, answer };
}

let passed = 0;
let failed = 0;
async function check(name: string, fn: () => Promise<string | true>) {
  try {
    const r = await fn();
    if (r === true) { passed++; console.log(`PASS ${name}`); }
    else { failed++; console.log(`FAIL ${name}: ${r}`); }
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${(e as Error).message}`);
  }
}
const ok = (a: A) => isSuccessCode(a.error_code);
const show = (a: A) => `error_code=${JSON.stringify(a.error_code)} message=${JSON.stringify(a.message)}`;

let session = "";
const call = (service: string, extra: Record<string, unknown> = {}) => post("/mapi/service", { session, madonvi: values.unit, service, ...extra });
const now = new Date();
const day = toDate14(now).slice(2, 8);
let code = "";
const dossier = (over: Record<string, unknown> = {}) => ({
  MaHoSo: code, MaTTHC: values.procedure, TenTTHC: "Kiểm thử tuân thủ", KenhThucHien: 2, ChuHoSo: "Người kiểm thử", LoaiDoiTuong: 1,
  SoGiayToChuHoSo: "022090000001", SoDienThoai: "0912345678", NgayNopHoSo: toDate14(now), TrangThaiHoSo: 1, DonViXuLy: values.agency, ...over,
});
const progress = (TrangThai: number, at: Date) => ({ MaHoSo: code, NguoiXuLy: "Người kiểm thử", ThoiDiemXuLy: toDate14(at), TrangThai });

await check("login with valid credentials opens a session", async () => {
  const { answer } = await post("/mapi/login", { username: values.username, password: values.password });
  if (!ok(answer) || typeof answer.session !== "string") return show(answer);
  session = answer.session;
  return true;
});
await check("login with a wrong password is refused", async () => {
  const { answer } = await post("/mapi/login", { username: values.username, password: `${values.password}-wrong` });
  return !ok(answer) && typeof answer.session !== "string" ? true : show(answer);
});
await check("an unknown session is answered with HTTP 200 and a non-zero error_code", async () => {
  const { status, answer } = await post("/mapi/service", { session: "not-a-session", madonvi: values.unit, service: "LayDanhMucCoQuan" });
  return status === 200 && !ok(answer) ? true : `HTTP ${status} ${show(answer)}`;
});
await check("LayDanhSachTTHC lists procedures", async () => {
  const { answer } = await call("LayDanhSachTTHC");
  return ok(answer) && Array.isArray(answer.result) && answer.result.length > 0 ? true : show(answer);
});
await check("LayDanhMucCoQuan lists agencies", async () => {
  const { answer } = await call("LayDanhMucCoQuan");
  return ok(answer) && Array.isArray(answer.result) ? true : show(answer);
});
await check("TraCuuHoSo answers an unknown dossier with a refusal", async () => {
  for (let i = 0; i < 20; i++) {
    code = `${values.agency}-${day}-${String(9000 + Math.floor(Math.random() * 1000)).padStart(4, "0")}`;
    const { answer } = await call("TraCuuHoSo", { mahoso: code });
    if (!ok(answer)) return true;
  }
  return "could not find a free dossier code to test with";
});
await check("DongBoHoSoMC inserts a valid dossier", async () => {
  const { answer } = await call("DongBoHoSoMC", { isUpdating: false, data: [dossier()] });
  return ok(answer) ? true : show(answer);
});
await check("DongBoHoSoMC answers a second insert with 'đã tồn tại' (3 or -3)", async () => {
  const { answer } = await call("DongBoHoSoMC", { isUpdating: false, data: [dossier()] });
  return [3, -3, "3", "-3"].includes(answer.error_code as number) ? true : show(answer);
});
await check("TraCuuHoSo finds the dossier at status 1", async () => {
  const { answer } = await call("TraCuuHoSo", { mahoso: code });
  const r = answer.result as { MaHoSo?: string; TrangThaiHoSo?: unknown } | undefined;
  return ok(answer) && r?.MaHoSo === code && Number(r.TrangThaiHoSo) === 1 ? true : show(answer);
});
await check("CapNhatTienDoHoSoMC accepts the first progress record", async () => {
  const { answer } = await call("CapNhatTienDoHoSoMC", { data: [progress(1, now)] });
  return ok(answer) ? true : show(answer);
});
await check("a legal transition (1→2) is accepted", async () => {
  const { answer } = await call("DongBoHoSoMC", { isUpdating: true, data: [dossier({ TrangThaiHoSo: 2, NgayTiepNhan: toDate14(now) })] });
  return ok(answer) ? true : show(answer);
});
await check("an illegal transition (2→9) is refused", async () => {
  const { answer } = await call("DongBoHoSoMC", { isUpdating: true, data: [dossier({ TrangThaiHoSo: 9 })] });
  return !ok(answer) ? true : show(answer);
});
await check("updating an unknown dossier is refused", async () => {
  const { answer } = await call("DongBoHoSoMC", { isUpdating: true, data: [dossier({ MaHoSo: `${values.agency}-${day}-0000` })] });
  return !ok(answer) ? true : show(answer);
});
await check("a date not in yyyyMMddHHmmss is refused", async () => {
  const { answer } = await call("DongBoHoSoMC", { isUpdating: true, data: [dossier({ TrangThaiHoSo: 2, NgayNopHoSo: "2026-11-28" })] });
  return !ok(answer) ? true : show(answer);
});
await check("progress for an unknown dossier is refused", async () => {
  const { answer } = await call("CapNhatTienDoHoSoMC", { data: [{ ...progress(1, now), MaHoSo: `${values.agency}-${day}-0000` }] });
  return !ok(answer) ? true : show(answer);
});
await check("a progress batch of more than 10 records is refused", async () => {
  const data = Array.from({ length: 11 }, (_, i) => progress(2, new Date(now.getTime() + i * 1000)));
  const { answer } = await call("CapNhatTienDoHoSoMC", { data });
  return !ok(answer) ? true : show(answer);
});
await check("an unknown service is refused", async () => {
  const { answer } = await call("KhongCoDichVuNay");
  return !ok(answer) ? true : show(answer);
});
await check("refusals carry a message", async () => {
  const { answer } = await call("KhongCoDichVuNay");
  return typeof answer.message === "string" && answer.message.length > 0 ? true : show(answer);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

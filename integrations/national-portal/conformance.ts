// npm run conformance -- --base-url URL [--username U --password P --unit 000.00.00.H49 --agency 000.01.31.H49]
//   [--profile production|strict] [--vendor-corpus DIR | --vendor-corpus ""]
// A contract suite any implementation of the national sync API can be run against: one line per
// check, then "N passed, N failed"; exit code 1 when any check fails. After the canonical checks
// it sends the vendor-shaped payloads (tests/fixtures/national-vendor/, ADR 023), each with
// fresh dossier codes so a run can be repeated: --profile production (the real portal's
// behaviour) expects each answered as its `expect`, strict expects those with a lenient form
// refused naming each such field; both expect every payload's meaning-level defect refused.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ERR, isSuccessCode, toDate14 } from "./contract";

const { values } = parseArgs({
  options: {
    "base-url": { type: "string" },
    username: { type: "string", default: "h49" },
    password: { type: "string", default: "h49-secret" },
    unit: { type: "string", default: "000.00.00.H49" },
    agency: { type: "string", default: "000.01.31.H49" },
    procedure: { type: "string", default: "1.004222" },
    "timeout-ms": { type: "string", default: "10000" },
    profile: { type: "string", default: "production" },
    "vendor-corpus": { type: "string", default: "tests/fixtures/national-vendor" },
  },
});
const base = values["base-url"];
if (!base || !/^https?:\/\//.test(base)) {
  console.error("usage: conformance --base-url http://host:port [--username --password --unit --agency --procedure --profile production|strict --vendor-corpus DIR]");
  process.exit(2);
}
if (values.profile !== "production" && values.profile !== "strict") {
  console.error(`--profile: expected production or strict, got "${values.profile}"`);
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

interface VendorPayload {
  id: string; source: { repo: string }; requires?: string; payload: Record<string, unknown>;
  expect: "ok" | "not_found" | "exists"; lenient: string[]; defect: { field: string; value: unknown; why: string };
}
const corpusDir = values["vendor-corpus"];
const corpus: VendorPayload[] = corpusDir && fs.existsSync(corpusDir)
  ? fs.readdirSync(corpusDir).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(fs.readFileSync(path.join(corpusDir, f), "utf8")))
  : [];

// Fresh codes for this run: each dossier code of the corpus keeps its agency, day and length,
// with a new sequence, the same one wherever it appears (look-ups, progress, fee names).
const CODE = /\b([0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}-\d{6}-)(\d{4,5})\b/g;
const seqBase = Math.floor(Math.random() * 90_000);
const fresh = new Map<string, string>();
const renamed = <T>(v: T): T => JSON.parse(JSON.stringify(v).replace(CODE, (code: string, head: string, seq: string) => {
  if (!fresh.has(code)) fresh.set(code, `${head}${String((seqBase + fresh.size) % 10 ** seq.length).padStart(seq.length, "0")}`);
  return fresh.get(code)!;
}));
const expected = (e: VendorPayload["expect"], code: unknown) =>
  e === "ok" ? isSuccessCode(code) : Number(code) === (e === "not_found" ? ERR.NOT_FOUND : ERR.EXISTS);
const withValue = (payload: Record<string, unknown>, field: string, value: unknown) => {
  const copy = structuredClone(payload);
  const keys = field.split(".");
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  return copy;
};
const send = async (payload: Record<string, unknown>) => (await post("/mapi/service", { session, ...renamed(payload) })).answer;
// strict: a payload refused for its lenient forms leaves no state, so what depends on it is not checked
const refusedHere = new Set<string>();
for (const p of corpus) {
  const blocked = p.requires !== undefined && refusedHere.has(p.requires);
  if (blocked) refusedHere.add(p.id);
  const strictRefusal = values.profile === "strict" && p.lenient.length > 0;
  if (blocked && !strictRefusal) {
    console.log(`SKIP vendor ${p.id}: needs ${p.requires}, refused by the strict profile`);
    continue;
  }
  await check(`vendor ${p.id} (${p.source.repo}) ${strictRefusal ? `is refused naming ${p.lenient.join(", ")}` : `is answered ${p.expect}`}`, async () => {
    const a = await send(p.payload);
    if (!strictRefusal) return expected(p.expect, a.error_code) ? true : show(a);
    refusedHere.add(p.id);
    const message = String(a.message ?? "");
    const missing = p.lenient.filter((f) => !message.includes(f.split(".").pop()!));
    return Number(a.error_code) === ERR.INVALID && missing.length === 0 ? true : `${show(a)}${missing.length ? ` (not named: ${missing.join(", ")})` : ""}`;
  });
  if (blocked) continue;
  await check(`vendor ${p.id} with ${p.defect.field} = ${JSON.stringify(p.defect.value)} (${p.defect.why}) is refused naming it`, async () => {
    const a = await send(withValue(p.payload, p.defect.field, p.defect.value));
    const named = String(a.message ?? "").includes(p.defect.field.split(".").pop()!);
    return !isSuccessCode(a.error_code) && !expected(p.expect, a.error_code) && named ? true : show(a);
  });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

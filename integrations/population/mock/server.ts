// The mock national population database: a real HTTP server answering identity lookups about the
// seeded test citizens (../fixtures/citizens.json), refusing what the real one refuses, and keeping
// the last 1000 lookups — who asked, for what, about whom, with what outcome — for tests to read.
//
//   POST /api/cong-dan/tra-cuu   Authorization: Bearer <token>   { SoDinhDanh, HoVaTen?, NgayThangNamSinh?, MaCanBo, MaYeuCau }
//   GET  /__admin/lookups        (same token) the recorded lookups, oldest first
//   DELETE /__admin/lookups      (same token) forget them
import crypto from "node:crypto";
import http from "node:http";
import { BodyError, listen, readBody, sendJson } from "../../mock-http";
import { type CitizenRecord, describeInvalidRequest, ERR, LOOKUP_PATH, LookupRequest } from "../contract";
import { type TestAddress, type TestCitizen, testCitizens, toNationalDate } from "../fixtures";

export const DEFAULT_POPULATION_TOKEN = "dev-population-token";
const MAX_BODY = 64 * 1024;
const RING_SIZE = 1000;

export interface PopulationMockOptions {
  port: number;
  host?: string;
  /** The bearer token callers must present. */
  token?: string;
  /** Added before every lookup is answered (fault injection: a slow national system). */
  latencyMs?: number;
  citizens?: readonly TestCitizen[];
  log?: (line: Record<string, unknown>) => void;
}

export type LookupOutcome = "found" | "not_found" | "mismatch" | "invalid" | "unauthorized";

export interface LookupLogEntry {
  at: string;
  MaCanBo: string | null;
  MaYeuCau: string | null;
  SoDinhDanh: string | null;
  outcome: LookupOutcome;
  status: number;
}

export interface RunningPopulationMock {
  url: string;
  /** The recorded lookups, oldest first (the same list GET /__admin/lookups returns). */
  lookups(): LookupLogEntry[];
  close(): Promise<void>;
}

const digest = (s: string) => crypto.createHash("sha256").update(s).digest();

function bearerMatches(req: http.IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return m !== null && crypto.timingSafeEqual(digest(m[1]), digest(token));
}

const sameText = (given: string, recorded: string) => given.trim().normalize("NFC") === recorded.trim().normalize("NFC");

const wireAddress = (a: TestAddress) => ({ MaXa: a.communeCode, TenXa: a.communeName, ChiTiet: a.detail });

export function toCitizenRecord(c: TestCitizen): CitizenRecord {
  return {
    SoDinhDanh: c.identityNumber,
    HoVaTen: c.fullName,
    NgayThangNamSinh: toNationalDate(c.birthDate),
    GioiTinh: c.sex,
    SoDienThoai: c.phone,
    Email: c.email,
    ThuongTru: wireAddress(c.permanentAddress),
    NoiOHienNay: wireAddress(c.currentAddress),
  };
}

/** A string field of a payload that failed validation, for the log: what was readable of it. */
function field(body: unknown, key: string): string | null {
  if (typeof body !== "object" || body === null) return null;
  const v = (body as Record<string, unknown>)[key];
  return typeof v === "string" ? v.slice(0, 100) : null;
}

export async function startPopulationMock(opts: PopulationMockOptions): Promise<RunningPopulationMock> {
  const token = opts.token ?? DEFAULT_POPULATION_TOKEN;
  const citizens = new Map((opts.citizens ?? testCitizens).map((c) => [c.identityNumber, c]));
  const log = opts.log ?? (() => {});
  const ring: LookupLogEntry[] = [];

  function record(body: unknown, outcome: LookupOutcome, status: number) {
    ring.push({ at: new Date().toISOString(), MaCanBo: field(body, "MaCanBo"), MaYeuCau: field(body, "MaYeuCau"), SoDinhDanh: field(body, "SoDinhDanh"), outcome, status });
    if (ring.length > RING_SIZE) ring.splice(0, ring.length - RING_SIZE);
    log({ msg: "lookup", outcome, status, MaCanBo: field(body, "MaCanBo"), MaYeuCau: field(body, "MaYeuCau") });
  }

  async function lookup(req: http.IncomingMessage, res: http.ServerResponse) {
    let text: string;
    try {
      text = await readBody(req, MAX_BODY);
    } catch (e) {
      record(undefined, "invalid", 413);
      return sendJson(res, 413, { error_code: ERR.INVALID_REQUEST, message: e instanceof BodyError ? e.message : "Không đọc được yêu cầu" });
    }
    let body: unknown;
    let unreadable = false;
    try {
      body = JSON.parse(text);
    } catch {
      unreadable = true;
    }
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    if (!bearerMatches(req, token)) {
      record(body, "unauthorized", 401);
      return sendJson(res, 401, { error_code: ERR.UNAUTHORIZED, message: "Mã truy cập không hợp lệ hoặc đã hết hạn" }, { "www-authenticate": 'Bearer realm="csdl-dan-cu"' });
    }
    if (unreadable) {
      record(undefined, "invalid", 400);
      return sendJson(res, 400, { error_code: ERR.INVALID_REQUEST, message: "Yêu cầu tra cứu không hợp lệ: nội dung không phải JSON" });
    }
    const parsed = LookupRequest.safeParse(body);
    if (!parsed.success) {
      record(body, "invalid", 400);
      return sendJson(res, 400, { error_code: ERR.INVALID_REQUEST, message: describeInvalidRequest(parsed.error) });
    }
    const q = parsed.data;
    const citizen = citizens.get(q.SoDinhDanh);
    if (!citizen) {
      record(q, "not_found", 404);
      return sendJson(res, 404, { error_code: ERR.NOT_FOUND, message: "Không tìm thấy công dân có số định danh cá nhân này trong Cơ sở dữ liệu quốc gia về dân cư" });
    }
    const wrong: string[] = [];
    if (q.HoVaTen !== undefined && !sameText(q.HoVaTen, citizen.fullName)) wrong.push("họ và tên");
    if (q.NgayThangNamSinh !== undefined && q.NgayThangNamSinh !== toNationalDate(citizen.birthDate)) wrong.push("ngày tháng năm sinh");
    if (wrong.length > 0) {
      record(q, "mismatch", 409);
      return sendJson(res, 409, { error_code: ERR.MISMATCH, message: `Thông tin ${wrong.join(" và ")} không khớp với Cơ sở dữ liệu quốc gia về dân cư` });
    }
    record(q, "found", 200);
    return sendJson(res, 200, { error_code: ERR.OK, data: toCitizenRecord(citizen) });
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    try {
      if (url.pathname === LOOKUP_PATH) {
        if (req.method !== "POST") return sendJson(res, 405, { error_code: ERR.INVALID_REQUEST, message: "Chỉ chấp nhận phương thức POST" }, { allow: "POST" });
        return await lookup(req, res);
      }
      if (url.pathname === "/__admin/lookups") {
        if (!bearerMatches(req, token)) return sendJson(res, 401, { error_code: ERR.UNAUTHORIZED, message: "Mã truy cập không hợp lệ hoặc đã hết hạn" });
        if (req.method === "GET") return sendJson(res, 200, { lookups: ring });
        if (req.method === "DELETE") {
          ring.length = 0;
          return sendJson(res, 200, { ok: true });
        }
        return sendJson(res, 405, { error_code: ERR.INVALID_REQUEST, message: "Phương thức không được hỗ trợ" }, { allow: "GET, DELETE" });
      }
      if (url.pathname === "/health") return sendJson(res, 200, { ok: true });
      return sendJson(res, 404, { error_code: ERR.NOT_FOUND, message: "Không tìm thấy" });
    } catch (e) {
      log({ msg: "mock error", error: String(e) });
      return sendJson(res, 500, { error_code: ERR.INTERNAL, message: "Lỗi hệ thống" });
    }
  });
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? "127.0.0.1";
  const port = await listen(server, opts.port, host);
  return {
    url: `http://${host}:${port}`,
    lookups: () => ring.map((e) => ({ ...e })),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

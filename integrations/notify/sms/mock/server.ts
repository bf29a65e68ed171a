// A mock SMS gateway: POST /api/sms (bearer token, { to, text, ref }) records the message in
// memory — once per ref, however often it is posted — and GET /api/sms lists what was "sent".
// Fault injection: failProbability answers 503 (nothing recorded), drawn from a seeded generator.
import { randomUUID } from "node:crypto";
import http from "node:http";
import { rng } from "../../../national-portal/mock/faults";
import { BodyError, listen, readJson, sendJson } from "../../../mock-http";
import { type SmsAccepted, type SmsError, SmsRequest } from "../contract";

export interface SmsMockOptions {
  port: number;
  host?: string;
  /** Bearer token clients must send (default "dev-sms-token"). */
  token?: string;
  /** Probability (0..1) that a send is answered 503 and not recorded. */
  failProbability?: number;
  seed?: number;
  /** Messages kept in memory, oldest dropped first (default 1000). */
  keep?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface SmsRecord {
  id: string;
  to: string;
  text: string;
  ref: string;
  receivedAt: string;
}

export interface RunningSmsMock {
  url: string;
  port: number;
  /** What was recorded, oldest first. */
  messages(): SmsRecord[];
  close(): Promise<void>;
}

export const DEFAULT_SMS_TOKEN = "dev-sms-token";

const fail = (res: http.ServerResponse, status: number, body: SmsError, headers?: Record<string, string>) => sendJson(res, status, body, headers);

export async function startSmsMock(opts: SmsMockOptions): Promise<RunningSmsMock> {
  const token = opts.token ?? DEFAULT_SMS_TOKEN;
  const keep = opts.keep ?? 1000;
  const failProbability = opts.failProbability ?? 0;
  const random = rng(opts.seed ?? 1);
  const log = opts.log ?? (() => {});
  const records: SmsRecord[] = [];
  const byRef = new Map<string, SmsRecord>();

  function record(m: SmsRequest): SmsRecord {
    const r: SmsRecord = { id: randomUUID(), to: m.to, text: m.text, ref: m.ref, receivedAt: new Date().toISOString() };
    records.push(r);
    byRef.set(r.ref, r);
    while (records.length > keep) byRef.delete(records.shift()!.ref);
    return r;
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    try {
      if (url.pathname === "/health") return sendJson(res, 200, { ok: true });
      if (url.pathname !== "/api/sms") return fail(res, 404, { error: "not_found", message: "Không tìm thấy" });
      if (req.headers.authorization !== `Bearer ${token}`) {
        return fail(res, 401, { error: "unauthorized", message: "Mã xác thực không hợp lệ" }, { "www-authenticate": "Bearer" });
      }

      if (req.method === "GET") {
        const to = url.searchParams.get("to");
        const list = (to ? records.filter((r) => r.to === to) : records).slice().reverse();
        return sendJson(res, 200, { total: list.length, messages: list });
      }
      if (req.method === "DELETE") {
        const deleted = records.length;
        records.length = 0;
        byRef.clear();
        return sendJson(res, 200, { deleted });
      }
      if (req.method !== "POST") return fail(res, 404, { error: "not_found", message: "Không tìm thấy" });

      let body: unknown;
      try {
        body = await readJson(req);
      } catch (e) {
        if (!(e instanceof BodyError)) throw e;
        return fail(res, 400, { error: "invalid_json", message: "Nội dung gửi lên không phải JSON hợp lệ" });
      }
      const parsed = SmsRequest.safeParse(body ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
        return fail(res, 400, {
          error: "invalid_request",
          message: `Dữ liệu không hợp lệ: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
          issues,
        });
      }
      if (failProbability > 0 && random() < failProbability) {
        log({ msg: "fault", fault: "unavailable", ref: parsed.data.ref });
        return fail(res, 503, { error: "unavailable", message: "Cổng SMS tạm thời gián đoạn, vui lòng thử lại sau" }, { "retry-after": "1" });
      }

      const m = parsed.data;
      const seen = byRef.get(m.ref);
      if (seen && (seen.to !== m.to || seen.text !== m.text)) {
        return fail(res, 409, { error: "ref_conflict", message: "Mã tham chiếu (ref) đã được dùng cho một tin nhắn khác" });
      }
      const r = seen ?? record(m);
      log({ msg: seen ? "duplicate" : "sms", id: r.id, to: r.to, ref: r.ref });
      const answer: SmsAccepted = { id: r.id, status: "accepted", to: r.to, ref: r.ref, duplicate: !!seen };
      return sendJson(res, 200, answer);
    } catch (e) {
      log({ msg: "mock error", error: String(e) });
      return fail(res, 500, { error: "internal", message: "Lỗi hệ thống" });
    }
  });
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? "127.0.0.1";
  const port = await listen(server, opts.port, host);
  return {
    url: `http://${host}:${port}`,
    port,
    messages: () => records.slice(),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

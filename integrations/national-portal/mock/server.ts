// The mock National Public Service Portal: a real HTTP server speaking the national sync API
// (POST /mapi/login, POST /mapi/service), with transport-level faults (latency, hangs, 502/504,
// resets, maintenance, rate limits), an admin API and a small page for integrators, the OpenAPI
// document, and citizen filing on the "national" side pushed to the province.
import http from "node:http";
import { z } from "zod";
import type { Answer } from "../contract";
import { FaultConfig, FaultInjector } from "./faults";
import { adminPage, indicators, warnings } from "./admin";
import { CitizenDesk } from "./citizen";
import { openApiDocument } from "./openapi";
import { type Profile, ProfileConfig } from "./lenient";
import { NationalService, type MockUser } from "./service";
import { openStore, resetStore, type Store } from "./store";

export interface MockOptions {
  port: number;
  host?: string;
  databaseUrl?: string;
  dir?: string;
  users?: MockUser[];
  sessionTtlMs?: number;
  faults?: unknown;
  /** "production" (default): vendor forms accepted with warnings; "strict": refused (ADR 023). */
  profile?: Profile;
  /** Where dossiers filed on the national side are pushed (the province's inbound endpoint). */
  provinceInboundUrl?: string;
  provinceInboundToken?: string;
  /** The province portal's public URL, for the hand-off deep link. */
  provincePortalUrl?: string;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningMock {
  url: string;
  store: Store;
  faults: FaultInjector;
  close(): Promise<void>;
}

export const DEFAULT_USERS: MockUser[] = [{ username: "h49", password: "h49-secret", madonvi: "000.00.00.H49" }];
const MAX_BODY = 5 * 1024 * 1024;

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (!text) return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error("invalid json"));
      }
    });
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function startMock(opts: MockOptions): Promise<RunningMock> {
  const store = await openStore({ databaseUrl: opts.databaseUrl, dir: opts.dir });
  const faults = new FaultInjector();
  if (opts.faults) faults.set(opts.faults);
  const service = new NationalService(store, faults, { users: opts.users ?? DEFAULT_USERS, sessionTtlMs: opts.sessionTtlMs ?? 30 * 60_000, profile: opts.profile });
  const citizen = new CitizenDesk(store, service, {
    inboundUrl: opts.provinceInboundUrl, inboundToken: opts.provinceInboundToken, log: opts.log,
  });
  const log = opts.log ?? (() => {});
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Transport faults on the API endpoints: true when the call was answered (or dropped) here. */
  async function transportFault(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    const cfg = faults.get();
    if (faults.hits("latency")) await sleep(cfg.latencyMs);
    if (faults.hits("maintenance")) {
      send(res, 503, { error_code: 503, message: "Hệ thống đang bảo trì" }, { "retry-after": String(cfg.retryAfterS) });
      return true;
    }
    if (faults.hits("rateLimit")) {
      send(res, 429, { error_code: 429, message: "Vượt quá số lượng yêu cầu cho phép" }, { "retry-after": String(cfg.retryAfterS) });
      return true;
    }
    if (faults.hits("http502")) { send(res, 502, "<html><body>502 Bad Gateway</body></html>"); return true; }
    if (faults.hits("http504")) { send(res, 504, "<html><body>504 Gateway Time-out</body></html>"); return true; }
    if (faults.hits("reset")) { req.socket.destroy(); return true; }
    if (faults.hits("hang")) {
      const timer = setTimeout(() => req.socket.destroy(), cfg.hangMs);
      req.socket.once("close", () => clearTimeout(timer));
      return true;
    }
    return false;
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    try {
      if (req.method === "POST" && (url.pathname === "/mapi/login" || url.pathname === "/mapi/service")) {
        let body: unknown;
        try {
          body = await readJson(req);
        } catch (e) {
          return send(res, 400, { error_code: 2, message: `Dữ liệu gửi lên không hợp lệ (${(e as Error).message})` });
        }
        if (await transportFault(req, res)) return;
        let answer: Answer;
        if (url.pathname === "/mapi/login") answer = await service.login(body);
        else answer = await service.service(body);
        // stored, but the answer never arrives
        if (url.pathname === "/mapi/service" && faults.hits("lostAck")) return send(res, 504, "<html><body>504 Gateway Time-out</body></html>");
        return send(res, 200, answer);
      }
      if (url.pathname === "/openapi.json") return send(res, 200, openApiDocument());
      if (url.pathname === "/__admin/faults") {
        if (req.method === "GET") return send(res, 200, faults.get());
        if (req.method === "POST") {
          const parsed = FaultConfig.safeParse(await readJson(req));
          if (!parsed.success) return send(res, 400, { error: z.prettifyError(parsed.error) });
          log({ msg: "faults set", faults: parsed.data });
          return send(res, 200, faults.set(parsed.data));
        }
      }
      if (url.pathname === "/__admin/profile") {
        if (req.method === "GET") return send(res, 200, { profile: service.profile });
        if (req.method === "POST") {
          const parsed = ProfileConfig.safeParse(await readJson(req));
          if (!parsed.success) return send(res, 400, { error: z.prettifyError(parsed.error) });
          service.profile = parsed.data.profile;
          log({ msg: "profile set", profile: service.profile });
          return send(res, 200, { profile: service.profile });
        }
      }
      if (url.pathname === "/__admin/reset" && req.method === "POST") {
        await service.flushCalls();
        await resetStore(store);
        service.forget();
        return send(res, 200, { ok: true });
      }
      if (url.pathname === "/__admin/dossiers") {
        const limit = Math.min(Number(url.searchParams.get("limit") ?? 100) || 100, 10_000);
        const offset = Math.max(Number(url.searchParams.get("offset") ?? 0) || 0, 0);
        const rows = await store.query<{ ma_ho_so: string; status: number; writes: number; progress: unknown }>(
          `select d.ma_ho_so, d.status, d.writes,
             coalesce((select json_agg(json_build_object('TrangThai', p.status, 'ThoiDiemXuLy', p.at, 'duplicate', p.duplicate) order by p.id)
                       from mock_national.progress p where p.ma_ho_so = d.ma_ho_so), '[]'::json) as progress
           from mock_national.dossiers d order by d.ma_ho_so limit $1 offset $2`, [limit, offset],
        );
        const [{ n }] = await store.query<{ n: number }>("select count(*)::int as n from mock_national.dossiers");
        return send(res, 200, { total: n, dossiers: rows.map((r) => ({ MaHoSo: r.ma_ho_so, TrangThaiHoSo: r.status, writes: r.writes, progress: r.progress })) });
      }
      if (url.pathname === "/__admin/refusals") {
        const rows = await store.query("select id, at, service, error_code, message, ma_ho_so, request from mock_national.refusals order by id desc limit 500");
        return send(res, 200, { refusals: rows });
      }
      if (url.pathname === "/__admin/warnings") return send(res, 200, { profile: service.profile, warnings: await warnings(store, 500) });
      if (url.pathname === "/__admin/stats") {
        await service.flushCalls();
        const [s] = await store.query(`select
          (select count(*)::int from mock_national.dossiers) as dossiers,
          (select count(*)::int from mock_national.progress) as progress,
          (select count(*)::int from mock_national.progress where duplicate) as duplicate_progress,
          (select count(*)::int from mock_national.refusals) as refusals,
          (select count(*)::int from mock_national.warnings) as warnings,
          (select count(*)::int from mock_national.calls) as calls`);
        return send(res, 200, s);
      }
      if (url.pathname === "/__admin/indicators") return send(res, 200, await indicators(store));
      if (url.pathname === "/" && req.method === "GET") return send(res, 200, await adminPage(store, faults, service.profile));
      if (await citizen.handle(req, res, url, { readJson, send, provincePortalUrl: opts.provincePortalUrl })) return;
      return send(res, 404, { error_code: 404, message: "Không tìm thấy" });
    } catch (e) {
      log({ msg: "mock error", error: String(e) });
      return send(res, 500, { error_code: 500, message: "Lỗi hệ thống" });
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(opts.port, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  citizen.start();
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    store,
    faults,
    async close() {
      citizen.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await service.flushCalls().catch(() => {});
      await store.close();
    },
  };
}

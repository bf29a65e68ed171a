// The mock national payment platform (PayGov): a real HTTP server for integrators and tests.
//
//   POST /api/v1/init              signed INIT → { MaLoi, MoTaLoi, MaGiaoDich, UrlThanhToan } (HTTP 200, MaLoi ≠ "00" on refusal)
//   GET  /thanh-toan/:id           the citizen's payment page (no script; vi or en per NgonNgu)
//   POST /thanh-toan/:id           action=pay|cancel: records the outcome, fires the signed callback
//                                  to UrlCallback (retried), answers 303 to UrlReturn with the same
//                                  signed fields in the query string
//   GET  /__admin/transactions     every transaction with its status and each callback attempt (?MaThamChieu=)
//   GET  /__admin/transactions/:id
//   GET|POST /__admin/faults       callback faults (see ./faults.ts); POST replaces them
//   POST /__admin/replay/:id       re-sends the last callback body once, answers with the attempt
//   POST /__admin/reset            forget every transaction
//   GET  /health
//
// State lives in memory only (bounded to the newest 5000 transactions) and is lost on restart.
// The admin endpoints are open: bind the mock to a loopback or test-only address.
import crypto from "node:crypto";
import http from "node:http";
import { z } from "zod";
import { BodyError, listen, readBody, readForm, sendHtml, sendJson } from "../../mock-http";
import { callbackChecksum, checksumFields, INIT_CHECKSUM_FIELDS, verifyChecksum } from "../checksum";
import { type CallbackMessage, describeIssues, ERR, type ErrorCode, ERROR_MESSAGES, INIT_PATH, InitRequest, PAY_PAGE_PREFIX, STATUS, toPaygovTime } from "../contract";
import { CallbackSender, DEFAULT_RETRY_DELAYS_MS } from "./callbacks";
import { CallbackFaults, FaultDice } from "./faults";
import { CONTENT_SECURITY_POLICY, handledPage, langOf, messagePage, PAYMENT_METHODS, paymentPage } from "./page";
import { fingerprintOf, type Transaction, TransactionStore } from "./store";

export const DEFAULT_PAYGOV_PORT = 4040;
export const DEFAULT_PAYGOV_PARTNERS: Readonly<Record<string, string>> = { QNI: "dev-paygov-secret" };
const MAX_BODY = 64 * 1024;

export interface PaygovMockOptions {
  /** 4040 when absent; 0 picks a free port (see `url`). */
  port?: number;
  host?: string;
  /** MaDoiTac → secret key. */
  partners?: Record<string, string>;
  /** The base of UrlThanhToan when the mock is reached through another address than it listens on. */
  publicUrl?: string;
  /** Initial callback faults (same shape as POST /__admin/faults). */
  faults?: Partial<CallbackFaults>;
  /** Waits between callback attempts; default 0.5 s, 1 s, 2 s, 4 s, 8 s (6 attempts). */
  callbackRetryDelaysMs?: readonly number[];
  callbackTimeoutMs?: number;
  maxTransactions?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningPaygovMock {
  /** http://host:port actually listened on. */
  url: string;
  store: TransactionStore;
  faults: FaultDice;
  close(): Promise<void>;
}

/** The payment pages: only the mock's own resources, no referrer to the portal. */
const sendPage = (res: http.ServerResponse, status: number, html: string) =>
  sendHtml(res, status, html, { "content-security-policy": CONTENT_SECURITY_POLICY, "referrer-policy": "no-referrer" });

const answer = (res: http.ServerResponse, code: ErrorCode, extra: Record<string, unknown> = {}, status = 200) =>
  sendJson(res, status, { MaLoi: code, MoTaLoi: ERROR_MESSAGES[code], ...extra });

const decodeSegment = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return "";
  }
};

const newTransactionId = (now: Date) => `PG${toPaygovTime(now).slice(0, 8)}${crypto.randomBytes(6).toString("hex").toUpperCase()}`;

/** UrlReturn with the signed result as query parameters (what the browser is redirected to). */
export function returnHref(tx: Transaction): string {
  const url = new URL(tx.request.UrlReturn);
  for (const [k, v] of Object.entries(tx.result ?? {})) url.searchParams.set(k, String(v));
  return url.href;
}

/** The admin view of a transaction. */
function view(tx: Transaction) {
  const { request, fingerprint: _fingerprint, lastSent: _lastSent, ...rest } = tx;
  const original = tx.deliveries.find((d) => d.kind === "original");
  return { ...request, ...rest, TrangThai: tx.result?.TrangThai ?? null, callbackStatus: original?.status ?? null };
}

export async function startPaygovMock(opts: PaygovMockOptions = {}): Promise<RunningPaygovMock> {
  const partners = new Map(Object.entries(opts.partners ?? DEFAULT_PAYGOV_PARTNERS));
  const log = opts.log ?? (() => {});
  const store = new TransactionStore(opts.maxTransactions ?? 5000);
  const faults = new FaultDice();
  faults.set(opts.faults ?? {});
  const sender = new CallbackSender({
    retryDelaysMs: opts.callbackRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    timeoutMs: opts.callbackTimeoutMs ?? 10_000,
    faults,
    log,
  });
  let baseUrl = "";

  async function init(req: http.IncomingMessage, res: http.ServerResponse) {
    let text: string;
    try {
      text = await readBody(req, MAX_BODY);
    } catch (e) {
      return answer(res, ERR.INVALID, { ChiTietLoi: [e instanceof BodyError ? e.message : "Không đọc được yêu cầu"] }, 413);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(res, ERR.INVALID, { ChiTietLoi: ["Nội dung không phải JSON"] });
    }
    const parsed = InitRequest.safeParse(body);
    if (!parsed.success) {
      log({ msg: "init refused", MaLoi: ERR.INVALID });
      return answer(res, ERR.INVALID, { ChiTietLoi: describeIssues(parsed.error) });
    }
    const { MaXacThuc, ...request } = parsed.data;
    const secret = partners.get(request.MaDoiTac);
    if (secret === undefined) {
      log({ msg: "init refused", MaLoi: ERR.UNKNOWN_PARTNER, MaDoiTac: request.MaDoiTac });
      return answer(res, ERR.UNKNOWN_PARTNER);
    }
    if (!verifyChecksum(checksumFields(request, INIT_CHECKSUM_FIELDS), secret, MaXacThuc)) {
      log({ msg: "init refused", MaLoi: ERR.CHECKSUM, MaDoiTac: request.MaDoiTac, MaThamChieu: request.MaThamChieu });
      return answer(res, ERR.CHECKSUM);
    }
    const fingerprint = fingerprintOf(parsed.data);
    const existing = store.findByReference(request.MaDoiTac, request.MaThamChieu);
    if (existing && existing.fingerprint !== fingerprint) {
      log({ msg: "init refused", MaLoi: ERR.DUPLICATE_REFERENCE, MaThamChieu: request.MaThamChieu, MaGiaoDich: existing.MaGiaoDich });
      return answer(res, ERR.DUPLICATE_REFERENCE);
    }
    let tx = existing;
    if (tx) tx.initCount++;
    else {
      const now = new Date();
      tx = { MaGiaoDich: newTransactionId(now), request, fingerprint, createdAt: now.toISOString(), initCount: 1, status: "pending", deliveries: [] };
      store.add(tx);
    }
    log({ msg: "init", MaGiaoDich: tx.MaGiaoDich, MaThamChieu: request.MaThamChieu, SoTien: request.SoTien, repeat: tx.initCount > 1 });
    return answer(res, ERR.OK, { MaGiaoDich: tx.MaGiaoDich, UrlThanhToan: `${baseUrl}${PAY_PAGE_PREFIX}${tx.MaGiaoDich}` });
  }

  async function payPage(req: http.IncomingMessage, res: http.ServerResponse, id: string) {
    const tx = store.get(id);
    if (!tx) {
      if (req.method === "POST") await readBody(req, MAX_BODY).catch(() => "");
      return sendPage(res, 404, messagePage("vi", "Không tìm thấy giao dịch", "Mã giao dịch không tồn tại hoặc đã hết hạn."));
    }
    if (req.method === "GET") {
      if (tx.status !== "pending") return sendPage(res, 200, handledPage(tx, returnHref(tx)));
      return sendPage(res, 200, paymentPage(tx).html);
    }
    let form: URLSearchParams;
    try {
      form = await readForm(req, MAX_BODY);
    } catch {
      return sendPage(res, 413, messagePage(langOf(tx), "Yêu cầu không hợp lệ", "Nội dung yêu cầu quá lớn."));
    }
    // Paid or cancelled already (a double submit, the back button): the same answer, no new callback.
    if (tx.status !== "pending") {
      res.writeHead(303, { location: returnHref(tx), "cache-control": "no-store" }).end();
      return;
    }
    const action = form.get("action");
    const method = form.get("PhuongThuc");
    if ((action !== "pay" && action !== "cancel") || (action === "pay" && !PAYMENT_METHODS.some((m) => m.value === method))) {
      return sendPage(res, 400, messagePage(langOf(tx), "Yêu cầu không hợp lệ", "Chọn một phương thức thanh toán rồi bấm Thanh toán, hoặc bấm Hủy."));
    }
    const now = new Date();
    const r = tx.request;
    const unsigned = {
      MaDoiTac: r.MaDoiTac,
      MaThamChieu: r.MaThamChieu,
      MaGiaoDich: tx.MaGiaoDich,
      SoTien: r.SoTien,
      TrangThai: action === "pay" ? STATUS.PAID : STATUS.CANCELLED,
      ThoiGianThanhToan: toPaygovTime(now),
    };
    const result: CallbackMessage = { ...unsigned, MaXacThuc: callbackChecksum(unsigned, partners.get(r.MaDoiTac) ?? "") };
    tx.status = action === "pay" ? "paid" : "cancelled";
    tx.completedAt = now.toISOString();
    if (action === "pay" && method) tx.PhuongThuc = method;
    tx.result = result;
    log({ msg: "payment", MaGiaoDich: tx.MaGiaoDich, MaThamChieu: r.MaThamChieu, TrangThai: result.TrangThai });
    // Fired, not awaited: the browser is not kept waiting on the partner's server.
    sender.dispatch(tx);
    res.writeHead(303, { location: returnHref(tx), "cache-control": "no-store" }).end();
  }

  async function admin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    if (path === "/__admin/transactions" && req.method === "GET") {
      const ref = url.searchParams.get("MaThamChieu");
      const list = store.list().filter((tx) => ref === null || tx.request.MaThamChieu === ref);
      sendJson(res, 200, { total: list.length, transactions: list.map(view) });
      return true;
    }
    const one = /^\/__admin\/transactions\/([^/]+)$/.exec(path);
    if (one && req.method === "GET") {
      const tx = store.get(decodeSegment(one[1]));
      if (tx) sendJson(res, 200, view(tx));
      else answer(res, ERR.NOT_FOUND, {}, 404);
      return true;
    }
    if (path === "/__admin/faults") {
      if (req.method === "GET") sendJson(res, 200, faults.get());
      else if (req.method === "POST") {
        let body: unknown;
        try {
          const text = await readBody(req, MAX_BODY);
          body = text ? JSON.parse(text) : {};
        } catch {
          sendJson(res, 400, { error: "nội dung không phải JSON" });
          return true;
        }
        const parsed = CallbackFaults.safeParse(body);
        if (!parsed.success) sendJson(res, 400, { error: z.prettifyError(parsed.error) });
        else {
          log({ msg: "faults set", faults: parsed.data });
          sendJson(res, 200, faults.set(parsed.data));
        }
      } else sendJson(res, 405, { error: "GET hoặc POST" }, { allow: "GET, POST" });
      return true;
    }
    const replay = /^\/__admin\/replay\/([^/]+)$/.exec(path);
    if (replay && req.method === "POST") {
      const tx = store.get(decodeSegment(replay[1]));
      if (!tx) answer(res, ERR.NOT_FOUND, {}, 404);
      else {
        const delivery = await sender.replay(tx);
        if (delivery) sendJson(res, 200, { delivery });
        else sendJson(res, 409, { error: "Giao dịch chưa có callback nào để gửi lại" });
      }
      return true;
    }
    if (path === "/__admin/reset" && req.method === "POST") {
      store.clear();
      sendJson(res, 200, { ok: true });
      return true;
    }
    return false;
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://mock");
    try {
      if (url.pathname === INIT_PATH) {
        if (req.method !== "POST") return sendJson(res, 405, { MaLoi: ERR.INVALID, MoTaLoi: "Chỉ chấp nhận phương thức POST" }, { allow: "POST" });
        return await init(req, res);
      }
      if (url.pathname.startsWith(PAY_PAGE_PREFIX)) {
        const id = decodeSegment(url.pathname.slice(PAY_PAGE_PREFIX.length));
        if (req.method !== "GET" && req.method !== "POST") return sendJson(res, 405, { MaLoi: ERR.INVALID, MoTaLoi: "Phương thức không được hỗ trợ" }, { allow: "GET, POST" });
        return await payPage(req, res, id);
      }
      if (url.pathname.startsWith("/__admin/") && (await admin(req, res, url))) return;
      if (url.pathname === "/health") return sendJson(res, 200, { ok: true, transactions: store.size });
      return answer(res, ERR.NOT_FOUND, { MoTaLoi: "Không tìm thấy" }, 404);
    } catch (e) {
      log({ msg: "mock error", error: String(e) });
      return answer(res, ERR.INTERNAL, {}, 500);
    }
  });
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? "127.0.0.1";
  const port = await listen(server, opts.port ?? DEFAULT_PAYGOV_PORT, host);
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  baseUrl = (opts.publicUrl ?? url).replace(/\/+$/, "");
  return {
    url,
    store,
    faults,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await sender.close();
    },
  };
}

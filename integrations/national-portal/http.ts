// The real client of the national sync API: login with a session kept until it expires,
// one POST per service call over kept-alive connections, strict timeouts, and every answer
// classified as ok / refused / retry.
import http from "node:http";
import https from "node:https";
import { type Answer, ERR, isSuccessCode } from "./contract";
import type { CallOutcome, CallRecord, NationalPortal } from "./port";
import { parseRetryAfter } from "../retry-after";

export interface NationalPortalConfig {
  baseUrl: string;
  username: string;
  password: string;
  madonvi: string;
  timeoutMs?: number;
  /** Connections kept open to the national portal (default 128). */
  maxSockets?: number;
}

class TimeoutError extends Error {
  name = "TimeoutError";
}

/** One POST with a JSON body; rejects on transport failure or when timeoutMs passes. */
function postJson(url: URL, body: string, agent: http.Agent, timeoutMs: number): Promise<{ status: number; text: string; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), retryAfter: res.headers["retry-after"] ?? null }); });
      res.on("error", (e) => { clearTimeout(timer); reject(e); });
      res.on("aborted", () => { clearTimeout(timer); reject(Object.assign(new Error("response aborted"), { code: "ECONNRESET" })); });
    });
    const timer = setTimeout(() => req.destroy(new TimeoutError("timeout")), timeoutMs);
    req.on("error", (e) => { clearTimeout(timer); reject(e); });
    req.end(body);
  });
}

export class NationalPortalHttp implements NationalPortal {
  private session?: Promise<string | CallOutcome>;
  private agent: http.Agent;
  constructor(private cfg: NationalPortalConfig) {
    const options = { keepAlive: true, maxSockets: cfg.maxSockets ?? 128 };
    this.agent = cfg.baseUrl.startsWith("https:") ? new https.Agent(options) : new http.Agent(options);
  }
  get madonvi() {
    return this.cfg.madonvi;
  }

  private async post(path: string, body: unknown): Promise<{ outcome: CallOutcome; response: unknown }> {
    let res: { status: number; text: string; retryAfter: string | null };
    try {
      res = await postJson(new URL(path, this.cfg.baseUrl), JSON.stringify(body), this.agent, this.cfg.timeoutMs ?? 60_000);
    } catch (e) {
      const err = e as Error & { code?: string };
      const reason = err.name === "TimeoutError" ? "timeout" : (err.code ?? err.message);
      return { outcome: { kind: "retry", reason }, response: { error: reason } };
    }
    const text = res.text;
    if (res.status === 429 || res.status >= 500) {
      return { outcome: { kind: "retry", reason: `HTTP ${res.status}`, afterMs: parseRetryAfter(res.retryAfter) }, response: { status: res.status, body: text.slice(0, 500) } };
    }
    let answer: Answer;
    try {
      answer = JSON.parse(text) as Answer;
    } catch {
      return { outcome: { kind: "retry", reason: `unreadable answer (HTTP ${res.status})` }, response: { status: res.status, body: text.slice(0, 500) } };
    }
    if (isSuccessCode(answer.error_code)) return { outcome: { kind: "ok", answer }, response: answer };
    return { outcome: { kind: "refused", code: Number(answer.error_code), message: String(answer.message ?? ""), answer }, response: answer };
  }

  private login(onCall?: (r: CallRecord) => void): Promise<string | CallOutcome> {
    this.session ??= (async () => {
      const started = performance.now();
      const { outcome, response } = await this.post("/mapi/login", { username: this.cfg.username, password: this.cfg.password });
      onCall?.({ service: "login", request: { username: this.cfg.username }, response, latencyMs: Math.round(performance.now() - started), outcome: outcome.kind });
      if (outcome.kind === "ok" && typeof (outcome.answer as { session?: unknown }).session === "string") {
        return (outcome.answer as unknown as { session: string }).session;
      }
      this.session = undefined;
      return outcome;
    })();
    return this.session;
  }

  async call(service: string, payload: Record<string, unknown>, onCall?: (r: CallRecord) => void): Promise<CallOutcome> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const session = await this.login(onCall);
      if (typeof session !== "string") return session.kind === "refused" ? session : { kind: "retry", reason: `login: ${session.kind === "retry" ? session.reason : "failed"}` };
      const request = { session, madonvi: this.cfg.madonvi, service, ...payload };
      const started = performance.now();
      const { outcome, response } = await this.post("/mapi/service", request);
      onCall?.({ service, request: { ...request, session: "…" }, response, latencyMs: Math.round(performance.now() - started), outcome: outcome.kind });
      // An expired session is answered with HTTP 200 and a non-zero code: log in again, once.
      if (outcome.kind === "refused" && outcome.code === ERR.SESSION) {
        this.session = undefined;
        continue;
      }
      return outcome;
    }
    return { kind: "retry", reason: "session expired twice" };
  }
}

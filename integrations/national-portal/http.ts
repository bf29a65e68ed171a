// The real client of the national sync API: login with a session kept until it expires,
// one POST per service call over kept-alive connections, strict timeouts, and every answer
// classified as ok / refused / retry (the port's verbs over these calls are client.ts's). The
// connections are an undici Pool (the HTTP client under Node's own fetch, without fetch's
// layers): it spends half the CPU of node:http per call, which the sync worker pays once per
// look-up (docs/benchmarks.md, session 6).
import { Pool } from "undici";
import { type Answer, ERR, isSuccessCode } from "./contract";
import { NationalPortalClient } from "./client";
import type { CallOutcome, OnCall, Service } from "./port";
import { parseRetryAfter } from "../retry-after";

export interface NationalPortalConfig {
  baseUrl: string;
  username: string;
  password: string;
  madonvi: string;
  timeoutMs?: number;
  /** Connections kept open to the national portal (default 128). */
  maxSockets?: number;
  /** The largest answer read (default 64 MB; the procedure catalogue, a few MB, is the largest real one). */
  maxAnswerBytes?: number;
}

class TimeoutError extends Error {
  name = "TimeoutError";
}


/**
 * One POST with a JSON body; rejects on transport failure or when timeoutMs passes. Through
 * undici's dispatch API: the answer's bytes come straight to this handler, without the stream
 * and async-context objects its request() API makes per call (a quarter of the client's CPU per
 * call, measured beside it at 64 calls in flight).
 */
function postJson(pool: Pool, path: string, body: string, timeoutMs: number, maxBytes: number): Promise<{ status: number; text: string; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    let abort: ((e: Error) => void) | undefined;
    let timedOut = false;
    let status = 0;
    let retryAfter: string | null = null;
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      timedOut = true;
      abort?.(new TimeoutError("timeout"));
      reject(new TimeoutError("timeout"));
    }, timeoutMs);
    pool.dispatch({ path, method: "POST", headers: { "content-type": "application/json" }, body }, {
      // a call still waiting for a connection when its time ran out is aborted as soon as it gets one
      onConnect(a) { abort = a; if (timedOut) a(new TimeoutError("timeout")); },
      onHeaders(code, raw) {
        status = code;
        for (let i = 0; i + 1 < (raw?.length ?? 0); i += 2) if (String(raw![i]).toLowerCase() === "retry-after") retryAfter = String(raw![i + 1]);
        return true;
      },
      onData(chunk) {
        size += chunk.length;
        if (size > maxBytes) abort?.(Object.assign(new Error("answer too large"), { code: "ANSWER_TOO_LARGE" }));
        else chunks.push(chunk);
        return true;
      },
      onComplete() { clearTimeout(timer); resolve({ status, text: Buffer.concat(chunks).toString("utf8"), retryAfter }); },
      onError(e) { clearTimeout(timer); reject(timedOut ? new TimeoutError("timeout") : e); },
    });
  });
}

export class NationalPortalHttp extends NationalPortalClient {
  private session?: Promise<string | CallOutcome>;
  private pool: Pool;
  /** The base URL's path, if the portal sits under one (a gateway's /gw): it prefixes /mapi/…. */
  private prefix: string;
  constructor(private cfg: NationalPortalConfig) {
    super();
    const base = new URL(cfg.baseUrl);
    this.prefix = base.pathname.replace(/\/+$/, "");
    // no timeouts of undici's own: one deadline per call (timeoutMs) covers connect, headers and body
    this.pool = new Pool(base.origin, { connections: cfg.maxSockets ?? 128, headersTimeout: 0, bodyTimeout: 0 });
  }
  get madonvi() {
    return this.cfg.madonvi;
  }

  private async post(path: string, body: unknown): Promise<{ outcome: CallOutcome; response: unknown }> {
    let res: { status: number; text: string; retryAfter: string | null };
    try {
      res = await postJson(this.pool, this.prefix + path, JSON.stringify(body), this.cfg.timeoutMs ?? 60_000, this.cfg.maxAnswerBytes ?? 64 * 1024 * 1024);
    } catch (e) {
      const err = e as Error & { code?: string; cause?: { code?: string } };
      const reason = err.name === "TimeoutError" ? "timeout" : (err.cause?.code ?? err.code ?? err.message);
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

  private login(onCall?: OnCall): Promise<string | CallOutcome> {
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

  async call(service: Service, payload: Record<string, unknown>, onCall?: OnCall): Promise<CallOutcome> {
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

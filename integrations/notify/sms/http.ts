// The real SMS gateway client: one POST per message with the caller's ref as idempotency key
// (a retry never sends twice), a strict timeout, and every answer classified. Transient failures
// — network errors, timeouts, 5xx, 408, 429 — are retryable; any other 4xx is permanent.
import type { SendResult, SmsMessage, SmsSender } from "../port";
import type { SmsAccepted, SmsError } from "./contract";
import { parseRetryAfter } from "../../retry-after";

export interface HttpSmsConfig {
  /** e.g. http://127.0.0.1:4026 (the mock) */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

export class HttpSmsSender implements SmsSender {
  constructor(private cfg: HttpSmsConfig) {}

  async send(message: SmsMessage): Promise<SendResult> {
    let res: Response;
    try {
      res = await fetch(new URL("/api/sms", this.cfg.baseUrl), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.cfg.token}` },
        body: JSON.stringify({ to: message.to, text: message.text, ref: message.ref }),
        signal: AbortSignal.timeout(this.cfg.timeoutMs ?? 10_000),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { ok: false, retryable: true, error: err.name === "TimeoutError" ? "timeout" : (err.cause?.code ?? err.message) };
    }
    const text = await res.text().catch(() => "");
    let body: Partial<SmsAccepted & SmsError> = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: classified on the status alone
    }
    if (res.ok) {
      // Accepted but unreadable: sending again with the same ref is safe.
      if (typeof body.id !== "string") return { ok: false, retryable: true, error: `unreadable answer (HTTP ${res.status})` };
      return { ok: true, id: body.id };
    }
    const error = `HTTP ${res.status}${body.error ? ` ${body.error}` : ""}: ${body.message ?? text.slice(0, 200)}`;
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    return { ok: false, retryable, error, afterMs: retryable ? parseRetryAfter(res.headers.get("retry-after")) : undefined };
  }
}

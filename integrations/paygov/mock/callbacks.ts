// Server-to-server delivery of a payment result to the partner's UrlCallback: POST JSON, retried
// with doubling waits (0.5 s, 1 s, 2 s, 4 s, 8 s by default: up to 6 attempts) until the partner
// answers HTTP 200 with {"MaLoi":"00"}. Every attempt is recorded on the transaction. The faults
// (delay, drop, duplicate, tamper) are drawn here, once per result.
import { setTimeout as sleep } from "node:timers/promises";
import { callbackChecksum } from "../checksum";
import { CallbackAnswer, type CallbackMessage, ERR } from "../contract";
import type { FaultDice } from "./faults";
import type { CallbackAttempt, Delivery, Transaction } from "./store";

export const DEFAULT_RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000] as const;

export interface CallbackSenderOptions {
  /** Waits before the 2nd, 3rd, … attempt; its length + 1 is the number of attempts. */
  retryDelaysMs: readonly number[];
  /** Per attempt. */
  timeoutMs: number;
  faults: FaultDice;
  log: (line: Record<string, unknown>) => void;
}

export class CallbackSender {
  private closing = new AbortController();
  private running = new Set<Promise<void>>();
  private nextId = 1;

  constructor(private opts: CallbackSenderOptions) {}

  /**
   * Starts delivering tx's result and returns at once: by then the first attempt is in flight (or
   * its delay timer is set, or the drop fault swallowed it), so the caller can answer the browser.
   */
  dispatch(tx: Transaction): void {
    const result = tx.result;
    if (!result) throw new Error(`transaction ${tx.MaGiaoDich} has no result to send`);
    const { faults } = this.opts;
    const f = faults.get();
    if (faults.hits(f.dropCallbackProbability)) {
      this.newDelivery(tx, "original", result, false).status = "dropped";
      this.opts.log({ msg: "callback dropped (fault)", MaGiaoDich: tx.MaGiaoDich });
      return;
    }
    const tampered = faults.hits(f.tamperCallbackProbability);
    const duplicated = faults.hits(f.duplicateCallbackProbability);
    // A checksum made with the wrong key: well-formed, plausible, and wrong.
    const body = tampered ? { ...result, MaXacThuc: callbackChecksum(result, "khong-phai-khoa-bi-mat") } : result;
    tx.lastSent = body;
    const original = this.newDelivery(tx, "original", body, tampered);
    this.track(
      this.run(tx, original, f.callbackDelayMs, this.opts.retryDelaysMs).then(async () => {
        if (duplicated && !this.closing.signal.aborted) await this.run(tx, this.newDelivery(tx, "duplicate", body, tampered), 0, this.opts.retryDelaysMs);
      }),
    );
  }

  /** Re-sends the last callback body once, as an attacker replaying a captured message would. */
  async replay(tx: Transaction): Promise<Delivery | undefined> {
    if (!tx.lastSent) return undefined;
    const d = this.newDelivery(tx, "replay", tx.lastSent, tx.lastSent.MaXacThuc !== tx.result?.MaXacThuc);
    const run = this.run(tx, d, 0, []);
    this.track(run);
    await run;
    return d;
  }

  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.running]);
  }

  private track(p: Promise<void>) {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private newDelivery(tx: Transaction, kind: Delivery["kind"], body: CallbackMessage, tampered: boolean): Delivery {
    const d: Delivery = { id: this.nextId++, kind, tampered, status: "scheduled", createdAt: new Date().toISOString(), body, attempts: [] };
    tx.deliveries.push(d);
    return d;
  }

  private async run(tx: Transaction, d: Delivery, delayMs: number, retryDelaysMs: readonly number[]): Promise<void> {
    const signal = this.closing.signal;
    try {
      if (delayMs > 0) await sleep(delayMs, undefined, { signal });
      for (let i = 0; i <= retryDelaysMs.length; i++) {
        if (i > 0) await sleep(retryDelaysMs[i - 1], undefined, { signal });
        d.status = "delivering";
        const attempt = await this.attempt(tx.request.UrlCallback, d.body, i + 1);
        d.attempts.push(attempt);
        this.opts.log({ msg: "callback attempt", MaGiaoDich: tx.MaGiaoDich, delivery: d.id, kind: d.kind, tampered: d.tampered, ...attempt });
        if (attempt.accepted) {
          d.status = "delivered";
          return;
        }
      }
      d.status = "failed";
      this.opts.log({ msg: "callback given up", MaGiaoDich: tx.MaGiaoDich, delivery: d.id, attempts: d.attempts.length });
    } catch (e) {
      d.status = signal.aborted ? "aborted" : "failed";
      if (!signal.aborted) this.opts.log({ msg: "callback error", MaGiaoDich: tx.MaGiaoDich, delivery: d.id, error: String(e) });
    }
  }

  private async attempt(url: string, body: CallbackMessage, n: number): Promise<CallbackAttempt> {
    const at = new Date().toISOString();
    const started = performance.now();
    const done = (a: Omit<CallbackAttempt, "attempt" | "at" | "durationMs">): CallbackAttempt => ({ attempt: n, at, durationMs: Math.round(performance.now() - started), ...a });
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", accept: "application/json", "user-agent": "paygov-mock" },
        body: JSON.stringify(body),
        redirect: "manual",
        signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.opts.timeoutMs)]),
      });
      const text = await res.text();
      let maLoi: string | null = null;
      try {
        const answer = CallbackAnswer.safeParse(JSON.parse(text));
        if (answer.success) maLoi = answer.data.MaLoi;
      } catch {
        // not JSON: recorded as no MaLoi
      }
      return done({ httpStatus: res.status, MaLoi: maLoi, accepted: res.status === 200 && maLoi === ERR.OK });
    } catch (e) {
      if (this.closing.signal.aborted) throw e;
      const err = e as Error & { cause?: { code?: string } };
      return done({ httpStatus: null, MaLoi: null, accepted: false, error: err.name === "TimeoutError" ? "timeout" : (err.cause?.code ?? err.message) });
    }
  }
}

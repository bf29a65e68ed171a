// What the portal depends on: one call to the national sync API, classified.
import type { Answer } from "./contract";

export type CallOutcome =
  | { kind: "ok"; answer: Answer }
  /** A business refusal (non-zero error_code). */
  | { kind: "refused"; code: number; message: string; answer: Answer }
  /** Transient: timeout, reset, 5xx, 429, maintenance. Back off (afterMs from Retry-After). */
  | { kind: "retry"; reason: string; afterMs?: number };

export interface CallRecord {
  service: string;
  request: unknown;
  response: unknown;
  latencyMs: number;
  outcome: CallOutcome["kind"];
}

export interface NationalPortal {
  readonly madonvi: string;
  call(service: string, payload: Record<string, unknown>, onCall?: (r: CallRecord) => void): Promise<CallOutcome>;
}

// Fault injection: each fault has a probability, drawn from a seeded generator so a run can be
// replayed exactly. Switchable at run time (POST /__admin/faults) and from the command line.
import { z } from "zod";

export const FAULTS = [
  "latency", // add latencyMs before answering
  "hang", // never answer (until hangMs), nothing stored
  "http502", // gateway error, nothing stored
  "http504", // gateway timeout, nothing stored
  "reset", // connection reset, nothing stored
  "sessionExpiry", // the session expires early
  "successVariant", // success answered as 0, "0" or "00" at random
  "lostWrite", // acknowledged as success, but not stored
  "lostAck", // stored, but the answer is lost (504)
  "duplicateAck", // stored, but answered "đã tồn tại" as if it were a duplicate
  "partialBatch", // only part of a progress batch stored, the rest refused
  "maintenance", // 503 with Retry-After, nothing stored
  "rateLimit", // 429 with Retry-After, nothing stored
] as const;
export type Fault = (typeof FAULTS)[number];

export const FaultConfig = z.object({
  seed: z.number().int().default(1),
  probabilities: z.partialRecord(z.enum(FAULTS), z.number().min(0).max(1)).default({}),
  latencyMs: z.number().int().min(0).max(120_000).default(200),
  hangMs: z.number().int().min(0).max(600_000).default(65_000),
  retryAfterS: z.number().int().min(0).max(3600).default(1),
});
export type FaultConfig = z.infer<typeof FaultConfig>;

/** mulberry32: small, fast, good enough to make fault sequences reproducible. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private config: FaultConfig = FaultConfig.parse({});
  private random = rng(1);

  set(config: unknown): FaultConfig {
    this.config = FaultConfig.parse(config);
    this.random = rng(this.config.seed);
    return this.config;
  }
  get(): FaultConfig {
    return this.config;
  }
  /** Draws whether `fault` strikes on this call. */
  hits(fault: Fault): boolean {
    const p = this.config.probabilities[fault] ?? 0;
    return p > 0 && this.random() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)];
  }
  fraction(): number {
    return this.random();
  }
}

/** "--fault http502=0.1 --fault latency=0.5" style flags into probabilities. */
export function parseFaultFlags(flags: string[]): Partial<Record<Fault, number>> {
  const out: Partial<Record<Fault, number>> = {};
  for (const f of flags) {
    const [name, p] = f.split("=");
    if (!(FAULTS as readonly string[]).includes(name)) throw new Error(`unknown fault "${name}"; known: ${FAULTS.join(", ")}`);
    const prob = Number(p ?? "1");
    if (!(prob >= 0 && prob <= 1)) throw new Error(`fault ${name}: probability must be 0..1`);
    out[name as Fault] = prob;
  }
  return out;
}

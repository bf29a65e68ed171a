// Faults of the callback channel, switchable at run time (POST /__admin/faults replaces them,
// unspecified fields back to their defaults) and drawn from a seeded generator so a run replays.
import { z } from "zod";
import { rng } from "../../national-portal/mock/faults";

const probability = z.number().min(0).max(1);

export const CallbackFaults = z.strictObject({
  /** Wait this long before the first callback attempt: the browser return arrives first. */
  callbackDelayMs: z.number().int().min(0).max(600_000).default(0),
  /** The callback is never sent (the partner learns the result only from the return or by asking). */
  dropCallbackProbability: probability.default(0),
  /** A second, identical delivery follows the first. */
  duplicateCallbackProbability: probability.default(0),
  /** The delivery carries a wrong MaXacThuc (every attempt of it); a careful partner refuses it. */
  tamperCallbackProbability: probability.default(0),
  seed: z.number().int().default(1),
});
export type CallbackFaults = z.infer<typeof CallbackFaults>;

export class FaultDice {
  private config: CallbackFaults = CallbackFaults.parse({});
  private random = rng(1);

  set(config: unknown): CallbackFaults {
    this.config = CallbackFaults.parse(config ?? {});
    this.random = rng(this.config.seed);
    return this.config;
  }
  get(): CallbackFaults {
    return this.config;
  }
  /** Draws whether a fault of probability `p` strikes now. */
  hits(p: number): boolean {
    return p > 0 && this.random() < p;
  }
}

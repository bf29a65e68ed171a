import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { sleepUnlessAborted } from "~/lib/sleep";

describe("sleepUnlessAborted", () => {
  it("waits its time and leaves no listener on the signal, however many rounds", async () => {
    const ctl = new AbortController();
    const started = Date.now();
    for (let i = 0; i < 50; i++) await sleepUnlessAborted(1, ctl.signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(getEventListeners(ctl.signal, "abort")).toHaveLength(0);
  });

  it("ends early when the signal aborts, and at once when it already has", async () => {
    const ctl = new AbortController();
    const started = Date.now();
    const waiting = sleepUnlessAborted(60_000, ctl.signal);
    setTimeout(() => ctl.abort(), 20);
    await waiting;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(getEventListeners(ctl.signal, "abort")).toHaveLength(0);
    const again = Date.now();
    await sleepUnlessAborted(60_000, ctl.signal);
    expect(Date.now() - again).toBeLessThan(1_000);
  });
});

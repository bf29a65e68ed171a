// The one factory for the sync worker's tuning and the national client: what the web process's
// in-process worker and `npm run worker` both get from the environment.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "~/config.server";
import { nationalPortalFrom, syncWorkerOptions } from "~/wiring.server";

describe("syncWorkerOptions", () => {
  it("carries WORKER_BATCH, WORKER_LANES, WORKER_CONCURRENCY, the backoff and the lease from the environment", () => {
    const c = parseConfig({
      WORKER_BATCH: "7", WORKER_LANES: "3", WORKER_CONCURRENCY: "5",
      SYNC_BACKOFF_BASE_MS: "250", SYNC_BACKOFF_MAX_MS: "9000", SYNC_LEASE_MS: "45000",
    });
    expect(syncWorkerOptions(c)).toEqual({ batchSize: 7, lanes: 3, concurrency: 5, baseBackoffMs: 250, maxBackoffMs: 9000, leaseMs: 45_000 });
  });

  it("defaults: batches of 50, 2 lanes, 8 calls in flight, backoff 1 s to 5 min, a 5-minute lease", () => {
    expect(syncWorkerOptions(parseConfig({}))).toEqual({ batchSize: 50, lanes: 2, concurrency: 8, baseBackoffMs: 1000, maxBackoffMs: 300_000, leaseMs: 300_000 });
  });

  it("SYNC_LEASE_MS is validated with the other settings: a bad value stops the process naming it", () => {
    for (const bad of ["soon", "10", "0"]) {
      expect(() => parseConfig({ SYNC_LEASE_MS: bad })).toThrow(ConfigError);
      expect(() => parseConfig({ SYNC_LEASE_MS: bad })).toThrow(/SYNC_LEASE_MS/);
    }
  });
});

describe("nationalPortalFrom", () => {
  it("the client speaks for the configured agency", () => {
    expect(nationalPortalFrom(parseConfig({ NATIONAL_PORTAL_UNIT: "000.00.00.H22" })).madonvi).toBe("000.00.00.H22");
  });
});

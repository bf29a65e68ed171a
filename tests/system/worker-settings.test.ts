// The sync worker inside the web process runs with the WORKER_* settings of the environment, as
// `npm run worker` does (both through app/wiring.server.ts's syncWorkerOptions). Observed from
// outside: dossiers queued before the start, a portal with WORKER_BATCH=1, and the sync ledger —
// a call made for several dossiers at once records `batch: { size, index }` in its request.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "~db/seed";
import { openDb, type DbHandle } from "~db/client.server";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { createScratchDatabase, usingPostgres } from "../support/db";
import { startPortal } from "../support/server";
import { makeDossiers } from "../support/sync-fixtures";

const QUEUED = 4;
let mock: RunningMock;
let tmp: string;
let where: { PGLITE_DIR: string } | { databaseUrl: string; drop(): Promise<void> };

const openPortalDb = (): Promise<DbHandle> =>
  "databaseUrl" in where ? openDb({ databaseUrl: where.databaseUrl, poolMax: 2 }) : openDb({ pgliteDir: where.PGLITE_DIR });

beforeAll(async () => {
  mock = await startMock({ port: 0 });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "worker-settings-"));
  if (usingPostgres()) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "ws");
    where = { databaseUrl: scratch.url, drop: scratch.drop };
  } else {
    where = { PGLITE_DIR: path.join(tmp, "pglite") };
  }
  // queued before the portal starts, so its worker's first claim could take them all at once
  const db = await openPortalDb();
  try {
    await seedCatalog(db.db);
    await makeDossiers(db.db, QUEUED);
  } finally {
    await db.close();
  }
}, 120_000);

afterAll(async () => {
  await mock?.close();
  if (where && "drop" in where) await where.drop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function mockHolds(n: number, deadlineMs: number): Promise<number> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const { total } = (await (await fetch(`${mock.url}/__admin/dossiers?limit=100`)).json()) as { total: number };
    if (total >= n || Date.now() > until) return total;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the web process's sync worker", () => {
  it("claims WORKER_BATCH dossiers at a time: with WORKER_BATCH=1 no national call carries two dossiers", async () => {
    const portal = await startPortal({
      databaseUrl: "databaseUrl" in where ? where.databaseUrl : undefined,
      env: {
        ...("PGLITE_DIR" in where ? { PGLITE_DIR: where.PGLITE_DIR } : {}),
        SYNC_WORKER: "true", NOTIFICATION_WORKER: "false", NATIONAL_PORTAL_URL: mock.url, INBOUND_PULL_MS: "3600000",
        WORKER_BATCH: "1", WORKER_LANES: "1", WORKER_CONCURRENCY: "2", SYNC_BACKOFF_BASE_MS: "50", SYNC_LEASE_MS: "60000", LOG_LEVEL: "warn",
      },
    });
    let held: number;
    try {
      held = await mockHolds(QUEUED, 60_000);
    } finally {
      await portal.stop(); // a graceful stop: the worker finishes its batch and records it
    }
    expect(held).toBe(QUEUED);
    const db = await openPortalDb();
    try {
      const calls = await db.query<{ worker: string; service: string; batch: unknown }>(
        "select worker, service, request->'batch' as batch from sync_attempts where service = 'DongBoHoSoMC' order by id",
      );
      expect(calls.length).toBeGreaterThanOrEqual(QUEUED);
      expect(calls.every((c) => c.worker.startsWith("web-"))).toBe(true);
      expect(calls.filter((c) => c.batch !== null)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 180_000);
});

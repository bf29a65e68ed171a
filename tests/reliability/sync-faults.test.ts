// The national sync under every fault the mock can throw, alone and mixed, over many dossiers;
// worker processes killed with SIGKILL mid-sync; two workers on one PostgreSQL.
// Size: RELIABILITY_DOSSIERS (default 1000) per scenario.
import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueStats, runSyncWorker } from "~/modules/sync/sync.server";
import { seedCatalog } from "~db/seed";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { FAULTS } from "~integrations/national-portal/mock/faults";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { checkMock, makeDossiers } from "../support/sync-fixtures";

const N = Number(process.env.RELIABILITY_DOSSIERS ?? 1000);
let t: TestDb;
let mock: RunningMock;
let dbUrl: string;
let day = 0;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  const [{ url }] = await t.query<{ url: string }>("select current_database() as url");
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${url}`;
  dbUrl = u.toString();
  mock = await startMock({ port: 0, databaseUrl: dbUrl });
});
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});

const nextStart = () => new Date(Date.UTC(2026, 0, 1 + day++, 1));
const setFaults = (body: unknown) => fetch(`${mock.url}/__admin/faults`, { method: "POST", body: JSON.stringify(body) });
const reset = () => fetch(`${mock.url}/__admin/reset`, { method: "POST" });
const portal = () => new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 500 });

async function waitDrained(deadlineMs: number) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const s = await queueStats(t.db);
    if (s.pending === 0 || Date.now() > until) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function drainInProcess(deadlineMs: number) {
  const ctl = new AbortController();
  const runs = [0, 1].map((i) => runSyncWorker({ db: t.db, portal: portal(), workerId: `rel-${i}`, concurrency: 50, pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 500, signal: ctl.signal }));
  const s = await waitDrained(deadlineMs);
  ctl.abort();
  await Promise.all(runs);
  return s;
}

function spawnWorker(id: string, extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "app/cli/worker.server.ts"], {
    env: {
      ...process.env, DATABASE_URL: dbUrl, NATIONAL_PORTAL_URL: mock.url, NATIONAL_PORTAL_TIMEOUT_MS: "500", WORKER_ID: id,
      WORKER_CONCURRENCY: "50", SYNC_BACKOFF_BASE_MS: "20", SYNC_BACKOFF_MAX_MS: "500", SYNC_LEASE_MS: "3000", LOG_LEVEL: "warn", ...extraEnv,
    },
    stdio: ["ignore", extraEnv.LOG_LEVEL === "info" ? "pipe" : "ignore", "inherit"],
  });
}

/** Resolves when the worker says it has started (it needs LOG_LEVEL=info); its other output is discarded. */
function started(p: ChildProcess) {
  return new Promise<void>((resolve, reject) => {
    let seen = false;
    readline.createInterface({ input: p.stdout! }).on("line", (l) => { if (!seen && l.includes("sync worker started")) { seen = true; resolve(); } });
    p.once("exit", (code) => { if (!seen) reject(new Error(`worker exited (${code}) before it started`)); });
  });
}
const stopWorker = (p: ChildProcess) => new Promise<void>((r) => { if (p.exitCode !== null || p.signalCode) return r(); p.once("exit", () => r()); p.kill("SIGTERM"); });

// "All mixed at 30 %": a call meets some fault 30 % of the time, spread evenly over the modes.
const MIXED = Object.fromEntries(FAULTS.map((f) => [f, 0.3 / FAULTS.length]));
const scenarios: [string, Record<string, number>][] = [...FAULTS.map((f) => [f, { [f]: 0.3 }] as [string, Record<string, number>]), ["all mixed at 30%", MIXED]];

describe(`fault matrix: ${N} dossiers per scenario`, () => {
  it.each(scenarios)("%s: every dossier on the mock exactly once, progress in order", async (_name, probabilities) => {
    await reset();
    await setFaults({ seed: 42, latencyMs: 50, hangMs: 1500, retryAfterS: 0, probabilities });
    const made = await makeDossiers(t.db, N, nextStart());
    const s = await drainInProcess(600_000);
    await setFaults({});
    const dead = await t.query<{ last_error: string }>("select last_error from sync_state where dead_at is not null limit 5");
    expect({ ...s, dead: dead.map((d) => d.last_error) }).toMatchObject({ pending: 0, dead: [] });
    expect(await checkMock(mock.url, made)).toEqual([]);
  });
});

describe("crashes and concurrency", () => {
  it("worker processes killed with SIGKILL again and again: everything converges, nothing duplicated", async () => {
    await reset();
    await setFaults({ seed: 9, latencyMs: 30, retryAfterS: 0, probabilities: { latency: 0.3, http502: 0.1 } });
    const made = await makeDossiers(t.db, N, nextStart());
    let kills = 0;
    for (let round = 0; round < 8; round++) {
      const w = spawnWorker(`crash-${round}`);
      await new Promise((r) => setTimeout(r, 1500 + (round % 3) * 500));
      w.kill("SIGKILL");
      await new Promise((r) => w.once("exit", r));
      kills++;
      if ((await queueStats(t.db)).pending === 0) break;
    }
    const survivor = spawnWorker("survivor");
    const s = await waitDrained(600_000);
    await stopWorker(survivor);
    await setFaults({});
    expect(kills).toBeGreaterThan(0);
    expect(s).toMatchObject({ pending: 0, dead: 0 });
    expect(await checkMock(mock.url, made)).toEqual([]);
  });

  it("two worker processes on one PostgreSQL never send the same write twice", async () => {
    await reset();
    await setFaults({});
    const made = await makeDossiers(t.db, N, nextStart());
    // held back until both workers are up, then released at once, in small batches: both compete
    // for the same rows (otherwise the first to start could drain everything alone)
    await t.query("update sync_state set next_attempt_at = now() + interval '1 day'");
    const workers = [spawnWorker("pair-a", { LOG_LEVEL: "info", WORKER_BATCH: "5" }), spawnWorker("pair-b", { LOG_LEVEL: "info", WORKER_BATCH: "5" })];
    await Promise.all(workers.map(started));
    await t.query("update sync_state set next_attempt_at = now()");
    const s = await waitDrained(600_000);
    await Promise.all(workers.map(stopWorker));
    expect(s).toMatchObject({ pending: 0, dead: 0 });
    expect(await checkMock(mock.url, made)).toEqual([]);
    // no faults: one insert plus one update per status change, exactly
    const r = (await (await fetch(`${mock.url}/__admin/dossiers?limit=10000`)).json()) as { dossiers: { MaHoSo: string; writes: number }[] };
    const writes = new Map(r.dossiers.map((d) => [d.MaHoSo, d.writes]));
    const extra = made.filter((m) => writes.get(m.code) !== m.walk.length).map((m) => `${m.code}: ${writes.get(m.code)} writes for ${m.walk.length} statuses`);
    expect(extra).toEqual([]);
    // both workers did part of the work
    const [{ n }] = await t.query<{ n: number }>("select count(distinct worker)::int as n from sync_attempts where worker like 'pair-%'");
    expect(n).toBe(2);
  });
});

// The sync engine against the real mock national portal over HTTP, with faults injected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reconcileDay, runOncePerPeriod } from "~/modules/sync/reconcile.server";
import { eq } from "drizzle-orm";
import { enqueueSync, queueStats, replayDeadLetter, runSyncWorker } from "~/modules/sync/sync.server";
import { dossiers } from "~db/schema";
import { toDate14 } from "~integrations/national-portal/contract";
import { seedCatalog } from "~db/seed";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { checkMock, makeDossiers } from "../support/sync-fixtures";

let t: TestDb;
let mock: RunningMock;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  mock = await startMock({ port: 0 });
});
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});

const portal = () => new NationalPortalHttp({ baseUrl: mock.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 400 });

async function drain(workers: number, deadlineMs: number) {
  const ctl = new AbortController();
  const runs = Array.from({ length: workers }, (_, i) =>
    runSyncWorker({ db: t.db, portal: portal(), workerId: `test-${i}`, concurrency: 4, pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 300, signal: ctl.signal }),
  );
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    const s = await queueStats(t.db);
    if (s.pending === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  ctl.abort();
  await Promise.all(runs);
  return queueStats(t.db);
}

describe("national sync", () => {
  it("pushes every dossier once, with its status history in order, through mixed faults", async () => {
    await fetch(`${mock.url}/__admin/reset`, { method: "POST" });
    await fetch(`${mock.url}/__admin/faults`, {
      method: "POST",
      body: JSON.stringify({
        seed: 7, latencyMs: 20, hangMs: 1000, retryAfterS: 0,
        probabilities: {
          latency: 0.15, hang: 0.03, http502: 0.1, http504: 0.1, reset: 0.05, sessionExpiry: 0.05, successVariant: 0.3,
          lostWrite: 0.1, lostAck: 0.1, duplicateAck: 0.1, partialBatch: 0.2, maintenance: 0.05, rateLimit: 0.05,
        },
      }),
    });
    const made = await makeDossiers(t.db, 24);
    const stats = await drain(2, 60_000);
    await fetch(`${mock.url}/__admin/faults`, { method: "POST", body: "{}" });
    expect(stats.pending).toBe(0);
    const [dead] = await t.query<{ n: number }>(
      "select count(*)::int as n from sync_state where dead_at is not null and dossier_id in (select jsonb_array_elements_text($1::jsonb)::uuid)", [JSON.stringify(made.map((m) => m.id))],
    );
    expect(dead.n).toBe(0);
    expect(await checkMock(mock.url, made)).toEqual([]);
    // the ledger recorded every call, faults included
    const [ledger] = await t.query<{ n: number; retries: number }>("select count(*)::int as n, count(*) filter (where outcome = 'retry')::int as retries from sync_attempts");
    expect(ledger.n).toBeGreaterThan(made.length * 3);
    expect(ledger.retries).toBeGreaterThan(0);
  }, 90_000);

  it("dead-letters a permanent refusal with its reason instead of retrying forever", async () => {
    const [made] = await makeDossiers(t.db, 1, new Date("2026-11-21T01:00:00Z"));
    // the mock's procedure database does not know this code: a permanent refusal
    await t.query("update dossiers set procedure_code = '9.999999' where id = $1", [made.id]);
    await t.query("update sync_state set wanted_version = wanted_version + 1 where dossier_id = $1", [made.id]);
    const stats = await drain(1, 20_000);
    expect(stats.dead).toBe(1);
    const [row] = await t.query<{ last_error: string }>("select last_error from sync_state where dossier_id = $1", [made.id]);
    expect(row.last_error).toMatch(/\[7\].*9\.999999/);
    // an operator fixes the cause and replays it
    await t.query("update dossiers set procedure_code = '1.004222' where id = $1", [made.id]);
    await replayDeadLetter(t.db, made.id);
    const after = await drain(1, 20_000);
    expect(after).toMatchObject({ pending: 0, dead: 0 });
  }, 30_000);

  it("reconciliation finds what the national side lost and re-enqueues it", async () => {
    const clean = await reconcileDay(t.db, portal(), "2026-11-20");
    expect(clean).toMatchObject({ local: 24, matching: 24, missingNationally: [], different: [], unreachable: [] });
    // the national side silently loses a progress record of one dossier and a whole other dossier
    const [a, b] = await t.query<{ code: string }>("select code from dossiers where submitted_at < '2026-11-20T17:00:00Z' order by code limit 2");
    await mock.store.query("delete from mock_national.progress where id = (select max(id) from mock_national.progress where ma_ho_so = $1)", [a.code]);
    await mock.store.query("delete from mock_national.progress where ma_ho_so = $1", [b.code]);
    await mock.store.query("delete from mock_national.dossiers where ma_ho_so = $1", [b.code]);
    const found = await reconcileDay(t.db, portal(), "2026-11-20", { requeue: true });
    expect(found.different).toEqual([a.code]);
    expect(found.missingNationally).toEqual([b.code]);
    expect(found.requeued).toBe(2);
    expect((await drain(1, 20_000)).pending).toBe(0);
    expect(await reconcileDay(t.db, portal(), "2026-11-20")).toMatchObject({ matching: 24, different: [], missingNationally: [] });
  }, 60_000);

  it("reconciliation compares result documents and supplement requests too", async () => {
    const [c, d] = await t.query<{ code: string }>("select code from dossiers where submitted_at < '2026-11-20T17:00:00Z' order by code desc limit 2");
    // the national copies gain a result document and a supplement request we never sent
    await mock.store.query(`update mock_national.dossiers set data = data || '{"DanhSachGiayToKetQua": [{"TepDinhKemId": "not-ours"}]}'::jsonb where ma_ho_so = $1`, [c.code]);
    await mock.store.query(`update mock_national.dossiers set data = data || '{"DanhSachHoSoBoSung": [{"NgayYeuCauBoSung": "20261120090000"}]}'::jsonb where ma_ho_so = $1`, [d.code]);
    const found = await reconcileDay(t.db, portal(), "2026-11-20", { requeue: true });
    expect(found.different.sort()).toEqual([c.code, d.code].sort());
    expect(found.requeued).toBe(2);
    expect((await drain(1, 20_000)).pending).toBe(0);
    expect(await reconcileDay(t.db, portal(), "2026-11-20")).toMatchObject({ matching: 24, different: [], missingNationally: [] });
    const held = await mock.store.query<{ data: { DanhSachGiayToKetQua?: unknown; DanhSachHoSoBoSung?: unknown } }>(
      "select data from mock_national.dossiers where ma_ho_so = any($1::text[]) order by ma_ho_so", [[c.code, d.code]]);
    for (const h of held) {
      expect(h.data.DanhSachGiayToKetQua ?? []).toEqual([]);
      expect(h.data.DanhSachHoSoBoSung ?? []).toEqual([]);
    }
  }, 60_000);

  it("a new appointment date without a status change (a late dossier) reaches the national side", async () => {
    const [d] = await t.query<{ id: string; code: string; due_at: string }>("select id, code, due_at from dossiers where due_at is not null and submitted_at < '2026-11-20T17:00:00Z' order by code limit 1");
    const later = new Date(new Date(d.due_at).getTime() + 3 * 86_400_000);
    await t.db.transaction(async (tx) => {
      await tx.update(dossiers).set({ dueAt: later }).where(eq(dossiers.id, d.id));
      await enqueueSync(tx, d.id);
    });
    expect((await drain(1, 20_000)).pending).toBe(0);
    const [held] = await mock.store.query<{ data: { NgayHenTra: string } }>("select data from mock_national.dossiers where ma_ho_so = $1", [d.code]);
    expect(held.data.NgayHenTra).toBe(toDate14(later));
    expect(await reconcileDay(t.db, portal(), "2026-11-20")).toMatchObject({ matching: 24, different: [] });
  }, 60_000);

  it("a listening worker wakes when a dossier is queued, not at its next poll; a confirming look-up is kept slim", async () => {
    await fetch(`${mock.url}/__admin/reset`, { method: "POST" });
    await fetch(`${mock.url}/__admin/faults`, { method: "POST", body: "{}" });
    await t.query("update sync_state set next_attempt_at = now() + interval '1 day' where wanted_version > synced_version");
    const ctl = new AbortController();
    // a poll every 10 minutes: only the notification can bring the worker back within this test
    const run = runSyncWorker({ db: t.db, listen: t.listen, portal: portal(), workerId: "listener", pollMs: 600_000, signal: ctl.signal });
    try {
      await new Promise((r) => setTimeout(r, 200)); // the worker's first claim found nothing: it sleeps
      const [made] = await makeDossiers(t.db, 1, new Date("2026-11-24T01:00:00Z"));
      const done = async () => (await t.query<{ n: number }>("select count(*)::int as n from sync_state where dossier_id = $1 and synced_version >= wanted_version", [made.id]))[0].n === 1;
      while (!(await done())) await new Promise((r) => setTimeout(r, 20));
      expect(await checkMock(mock.url, [made])).toEqual([]);
      const [look] = await t.query<{ response: { confirmed?: boolean; result: Record<string, unknown> } }>(
        "select response from sync_attempts where dossier_id = $1 and service = 'TraCuuHoSo' order by id desc limit 1", [made.id],
      );
      expect(look.response.confirmed).toBe(true);
      expect(look.response.result).toMatchObject({ MaHoSo: made.code, TrangThaiHoSo: made.walk.at(-1) });
      expect(look.response.result).not.toHaveProperty("ChuHoSo");
    } finally {
      ctl.abort();
      await run;
    }
  }, 30_000);

  it("a scheduled job runs once per period whichever instance gets there first", async () => {
    let runs = 0;
    const job = () => runOncePerPeriod(t.db, "test-job", "2026-11-20", async () => ({ run: ++runs }));
    const results = await Promise.all([job(), job(), job()]);
    expect(runs).toBe(1);
    expect(results.filter(Boolean)).toEqual([{ run: 1 }]);
  });
});

describe("batches", () => {
  const reset = async (faults: unknown = {}) => {
    await fetch(`${mock.url}/__admin/reset`, { method: "POST" });
    await fetch(`${mock.url}/__admin/faults`, { method: "POST", body: JSON.stringify(faults) });
  };

  it("one refused dossier in a batch is dead-lettered alone; the others in its calls are synced", async () => {
    await reset();
    const made = await makeDossiers(t.db, 12, new Date("2026-11-22T01:00:00Z"));
    const bad = made[5];
    await t.query("update dossiers set procedure_code = '9.999999' where id = $1", [bad.id]);
    const stats = await drain(1, 30_000);
    expect(stats).toMatchObject({ pending: 0, dead: 1 });
    const states = await t.query<{ dossier_id: string; dead: boolean; synced: boolean; last_error: string | null }>(
      "select dossier_id, dead_at is not null as dead, synced_version >= wanted_version as synced, last_error from sync_state where dossier_id in (select jsonb_array_elements_text($1::jsonb)::uuid)", [JSON.stringify(made.map((m) => m.id))],
    );
    const state = new Map(states.map((s) => [s.dossier_id, s]));
    expect(state.get(bad.id)).toMatchObject({ dead: true, synced: false, last_error: expect.stringMatching(/\[7\].*9\.999999/) });
    const good = made.filter((m) => m !== bad);
    expect(good.filter((m) => !state.get(m.id)?.synced || state.get(m.id)?.dead).map((m) => m.code)).toEqual([]);
    // the refused dossier travelled in one insert call together with others
    const [first] = await t.query<{ size: number }>(
      "select (request->'batch'->>'size')::int as size from sync_attempts where dossier_id = $1 and service = 'DongBoHoSoMC' order by id limit 1", [bad.id],
    );
    expect(first.size).toBeGreaterThan(1);
    const r = (await (await fetch(`${mock.url}/__admin/dossiers?limit=100`)).json()) as { dossiers: { MaHoSo: string }[] };
    expect(r.dossiers.map((d) => d.MaHoSo)).not.toContain(bad.code);
    expect(await checkMock(mock.url, good)).toEqual([]);
  }, 60_000);

  it("a progress batch stored only in part: the rest is sent again, nothing lost, nothing twice", async () => {
    await reset({ seed: 3, probabilities: { partialBatch: 1 } });
    const made = await makeDossiers(t.db, 12, new Date("2026-11-23T01:00:00Z"));
    const stats = await drain(1, 60_000);
    await fetch(`${mock.url}/__admin/faults`, { method: "POST", body: "{}" });
    expect(stats.pending).toBe(0);
    const [dead] = await t.query<{ n: number }>(
      "select count(*)::int as n from sync_state where dead_at is not null and dossier_id in (select jsonb_array_elements_text($1::jsonb)::uuid)", [JSON.stringify(made.map((m) => m.id))],
    );
    expect(dead.n).toBe(0);
    expect(await checkMock(mock.url, made)).toEqual([]);
    const [partial] = await t.query<{ n: number }>(
      "select count(*)::int as n from sync_attempts where service = 'CapNhatTienDoHoSoMC' and response->>'error_code' = '12' and dossier_id in (select jsonb_array_elements_text($1::jsonb)::uuid)", [JSON.stringify(made.map((m) => m.id))],
    );
    expect(partial.n).toBeGreaterThan(0);
  }, 90_000);
});

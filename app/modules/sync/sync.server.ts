// The sync engine: brings the national portal's copy of each dossier up to date with ours.
//
// Model (docs/decisions/005-sync-outbox.md): a change bumps sync_state.wanted_version in the
// change's own transaction. Workers claim due rows with FOR UPDATE SKIP LOCKED (one worker per
// dossier at a time, under a lease), then reconcile by reading before writing: look the dossier
// up on the national side, push only what is missing — the dossier, then each status step and
// its progress record, in order — and look again, until both sides agree. A retry after a crash,
// a lost answer or a lost write therefore never duplicates anything. A worker claims a batch of
// dossiers per tick and reconciles them together (batch.server.ts, ADR 009).
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { selectRows, type AppDb, type AppTx } from "~db/client.server";
import { syncState } from "~db/schema";
import { log } from "~/modules/observability/logger.server";
import type { NationalPortal } from "~integrations/national-portal/port";
import { syncBatch, type SyncResult } from "./batch.server";

type Tx = AppTx;

/** The channel a change NOTIFYs when it queues a dossier: a listening worker wakes at once (ADR 012). */
export const SYNC_CHANNEL = "sync_due";

/** Call inside the transaction that changes the dossier (the notification goes out at its commit). */
export async function enqueueSync(tx: Tx | AppDb, dossierId: string): Promise<void> {
  await tx.execute(sql`
    with queued as (
      insert into ${syncState} as s (dossier_id) values (${dossierId}::uuid)
      on conflict (dossier_id) do update set
        wanted_version = s.wanted_version + 1,
        next_attempt_at = least(s.next_attempt_at, now()),
        -- lag is measured from the first change the national side has not seen yet
        enqueued_at = case when s.wanted_version <= s.synced_version then now() else s.enqueued_at end
      returning 1)
    select pg_notify(${SYNC_CHANNEL}, '') from queued`);
}

export { toNationalDossier, toProgressRecord } from "./mapping.server";
export type { SyncResult };

/** Reconciles one dossier with the national portal (a batch of one); never throws for outcomes of calls. */
export async function syncDossier(db: AppDb, portal: NationalPortal, dossierId: string, worker = "inline", opts: { neverSynced?: boolean } = {}): Promise<SyncResult> {
  const results = await syncBatch(db, portal, [{ dossierId, fresh: opts.neverSynced }], worker);
  return results.get(dossierId)!;
}

export interface WorkerOptions {
  db: AppDb;
  portal: NationalPortal;
  workerId?: string;
  /** Calls in flight per batch (look-ups, and write calls when a batch needs several). */
  concurrency?: number;
  /** Dossiers claimed per tick. */
  batchSize?: number;
  /** Batches in progress at once in this worker. */
  lanes?: number;
  /** Idle wait between claims (default 100 ms; 500 ms while a LISTEN connection stands). */
  pollMs?: number;
  /** The database's LISTEN (DbHandle.listen): wakes an idle batch lane when a dossier is queued. */
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  leaseMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  signal?: AbortSignal;
  onResult?: (dossierId: string, r: SyncResult) => void;
}

export async function claimDue(db: AppDb, workerId: string, limit: number, leaseMs: number) {
  return selectRows<{ dossier_id: string; wanted_version: number; attempts: number; synced_version: number }>(
    db,
    sql`update ${syncState} s set locked_by = ${workerId}, locked_until = now() + ${`${leaseMs} milliseconds`}::interval
        from (select dossier_id from ${syncState}
              where wanted_version > synced_version and dead_at is null and next_attempt_at <= now()
                and (locked_until is null or locked_until < now())
              order by next_attempt_at limit ${limit} for update skip locked) c
        where s.dossier_id = c.dossier_id
        returning s.dossier_id, s.wanted_version, s.attempts, s.synced_version`,
  );
}

/** Exponential backoff with full jitter, never sooner than the server's Retry-After. */
export function backoffMs(attempts: number, base: number, max: number, afterMs = 0, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempts, 20));
  return Math.max(afterMs, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}

/**
 * Records the outcomes of a batch in one statement; rows another worker has taken over are left
 * alone. Returns the shortest wait before a retry of this batch (undefined: none retries).
 */
export async function recordResults(
  db: AppDb, workerId: string, jobs: { dossierId: string; version: number; attempts: number; result: SyncResult }[], opts: { base: number; max: number },
): Promise<number | undefined> {
  if (jobs.length === 0) return undefined;
  const rows = jobs.map(({ dossierId, version, attempts, result: r }) => ({
    id: dossierId, kind: r.kind, version, attempts,
    wait_ms: r.kind === "retry" ? backoffMs(attempts, opts.base, opts.max, r.afterMs) : 0,
    error: r.kind === "synced" ? null : r.reason.slice(0, 1000),
  }));
  const json = JSON.stringify(rows);
  await db.execute(sql`
    update ${syncState} s set
      synced_version = case when r.kind = 'synced' then greatest(s.synced_version, r.version) else s.synced_version end,
      attempts = case when r.kind = 'synced' then 0 when r.kind = 'retry' then r.attempts + 1 else s.attempts end,
      synced_at = case when r.kind = 'synced' then now() else s.synced_at end,
      next_attempt_at = case when r.kind = 'retry' then now() + r.wait_ms * interval '1 millisecond' else s.next_attempt_at end,
      dead_at = case when r.kind = 'dead' then now() else s.dead_at end,
      last_error = r.error, locked_by = null, locked_until = null
    from jsonb_to_recordset(${json}::jsonb) as r(id uuid, kind text, version int, attempts int, wait_ms int, error text)
    where s.dossier_id = r.id and s.locked_by = ${workerId}
      -- the ids again as an array: an index look-up, where the join alone plans a scan of the table
      and s.dossier_id = any(array(select (e->>'id')::uuid from jsonb_array_elements(${json}::jsonb) e))`);
  const waits = rows.filter((r) => r.kind === "retry").map((r) => r.wait_ms);
  return waits.length ? Math.min(...waits) : undefined;
}

/** Puts a dead-lettered dossier back in the queue (operator action). */
export async function replayDeadLetter(db: AppDb | AppTx, dossierId: string) {
  await db.update(syncState).set({ deadAt: null, attempts: 0, nextAttemptAt: sql`now()`, lastError: null }).where(eq(syncState.dossierId, dossierId));
}

/** Extends this worker's lease on the dossiers of a batch it still holds. */
export async function renewLeases(db: AppDb, dossierIds: string[], workerId: string, leaseMs: number) {
  await db.execute(sql`
    update ${syncState} set locked_until = now() + ${`${leaseMs} milliseconds`}::interval
    where locked_by = ${workerId} and dossier_id = any(array(select jsonb_array_elements_text(${JSON.stringify(dossierIds)}::jsonb)::uuid))`);
}

/** Runs until the signal aborts. Several workers (processes) can share one PostgreSQL. */
export async function runSyncWorker(o: WorkerOptions): Promise<void> {
  const workerId = o.workerId ?? `w-${randomUUID().slice(0, 8)}`;
  const batchSize = o.batchSize ?? 50;
  const leaseMs = o.leaseMs ?? 5 * 60_000;
  const backoff = { base: o.baseBackoffMs ?? 1000, max: o.maxBackoffMs ?? 5 * 60_000 };
  // Idle lanes sleep until a notification (one lane woken per notification) or the poll interval.
  // Polling stays the fallback — for retries that come due, for a lost LISTEN connection, for a
  // notification that arrived between an empty claim and the sleep (`heard` catches those).
  const sleeping: (() => void)[] = [];
  let heard = 0;
  const stopListening = o.listen
    ? await o.listen(SYNC_CHANNEL, () => { heard++; sleeping.shift()?.(); }).catch((e: unknown) => {
        log.warn("sync worker: LISTEN failed, polling only", { error: e });
        return undefined;
      })
    : undefined;
  const idleMs = o.pollMs ?? (stopListening ? 500 : 100);
  /** A batch with retries wakes a lane when its first retry comes due (not only at the next poll). */
  const wakeIn = (ms: number) => setTimeout(() => { heard++; sleeping.shift()?.(); }, ms + 5).unref?.();
  const sleep = () => new Promise<void>((resolve) => {
    const wake = () => { clearTimeout(timer); o.signal?.removeEventListener("abort", wake); const i = sleeping.indexOf(wake); if (i >= 0) sleeping.splice(i, 1); resolve(); };
    const timer = setTimeout(wake, idleMs);
    o.signal?.addEventListener("abort", wake);
    sleeping.push(wake);
  });
  const lane = async () => {
    while (!o.signal?.aborted) {
      // The claim takes the lease; a heartbeat keeps it while the batch is worked on, so no other
      // worker can take one of these dossiers over: two workers never sync one dossier at once.
      const before = heard;
      const claimed = await claimDue(o.db, workerId, batchSize, leaseMs);
      if (claimed.length === 0) {
        if (heard === before) await sleep();
        continue;
      }
      const ids = claimed.map((j) => j.dossier_id);
      const heartbeat = setInterval(() => void renewLeases(o.db, ids, workerId, leaseMs).catch(() => {}), Math.max(100, leaseMs / 3));
      const results = await syncBatch(o.db, o.portal, claimed.map((j) => ({ dossierId: j.dossier_id, fresh: j.synced_version === 0 && j.attempts === 0 })), workerId, { concurrency: o.concurrency })
        .catch((e: unknown) => new Map<string, SyncResult>(ids.map((id) => [id, { kind: "retry", reason: `error: ${String(e)}` }])))
        .finally(() => clearInterval(heartbeat));
      const jobs = claimed.map((j) => ({ dossierId: j.dossier_id, version: j.wanted_version, attempts: j.attempts, result: results.get(j.dossier_id) ?? { kind: "retry" as const, reason: "no result" } }));
      const retryIn = await recordResults(o.db, workerId, jobs, backoff);
      if (stopListening && retryIn !== undefined) wakeIn(retryIn);
      for (const j of jobs) o.onResult?.(j.dossierId, j.result);
    }
  };
  try {
    await Promise.all(Array.from({ length: o.lanes ?? 2 }, lane));
  } finally {
    await stopListening?.();
  }
}

export async function queueStats(db: AppDb) {
  const [s] = await selectRows<{ pending: number; dead: number; synced: number; oldest_pending_s: number | null }>(
    db,
    sql`select count(*) filter (where wanted_version > synced_version and dead_at is null)::int as pending,
               count(*) filter (where dead_at is not null)::int as dead,
               count(*) filter (where wanted_version <= synced_version)::int as synced,
               extract(epoch from now() - min(enqueued_at) filter (where wanted_version > synced_version and dead_at is null))::float8 as oldest_pending_s
        from ${syncState}`,
  );
  return s;
}

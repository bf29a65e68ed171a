// The sync engine: brings the national portal's copy of each dossier up to date with ours.
//
// Model (docs/decisions/005-sync-outbox.md): a change bumps sync_state.wanted_version in the
// change's own transaction. Workers claim due rows with FOR UPDATE SKIP LOCKED (one worker per
// dossier at a time, under a lease), then reconcile by reading before writing: look the dossier
// up on the national side, push only what is missing — the dossier, then each status step and
// its progress record, in order — and look again, until both sides agree. A retry after a crash,
// a lost answer or a lost write therefore never duplicates anything.
import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { selectRows, type AppDb, type AppTx } from "~db/client.server";
import { dossierEvents, dossiers, syncAttempts, syncState } from "~db/schema";
import { ERR, isLegalTransition, toDate14, type NationalDossier, type ProgressRecord } from "~integrations/national-portal/contract";
import type { CallOutcome, CallRecord, NationalPortal } from "~integrations/national-portal/port";

type Tx = AppTx;

/** Call inside the transaction that changes the dossier. */
export async function enqueueSync(tx: Tx | AppDb, dossierId: string): Promise<void> {
  await tx
    .insert(syncState)
    .values({ dossierId })
    .onConflictDoUpdate({
      target: syncState.dossierId,
      set: {
        wantedVersion: sql`${syncState.wantedVersion} + 1`,
        nextAttemptAt: sql`least(${syncState.nextAttemptAt}, now())`,
        // lag is measured from the first change the national side has not seen yet
        enqueuedAt: sql`case when ${syncState.wantedVersion} <= ${syncState.syncedVersion} then now() else ${syncState.enqueuedAt} end`,
      },
    });
}

type DossierRow = typeof dossiers.$inferSelect;
type EventRow = typeof dossierEvents.$inferSelect;

export function toNationalDossier(d: DossierRow, status: number): NationalDossier {
  return {
    MaHoSo: d.code,
    MaTTHC: d.procedureCode,
    TenTTHC: d.procedureName.slice(0, 1000),
    MaLinhVuc: d.field,
    KenhThucHien: d.channel,
    ChuHoSo: d.applicantName,
    LoaiDoiTuong: 1,
    SoGiayToChuHoSo: d.applicantIdNumber,
    SoDienThoai: d.applicantPhone,
    Email: d.applicantEmail,
    TrichYeuHoSo: (d.summary ?? d.procedureName).slice(0, 1000),
    NgayNopHoSo: toDate14(d.submittedAt),
    NgayTiepNhan: d.receivedAt ? toDate14(d.receivedAt) : null,
    NgayHenTra: d.dueAt ? toDate14(d.dueAt) : null,
    NgayTra: d.returnedAt ? toDate14(d.returnedAt) : null,
    NgayKetThucXuLy: d.finishedAt ? toDate14(d.finishedAt) : null,
    TrangThaiHoSo: status,
    DonViXuLy: d.agencyCode,
    NoiNopHoSo: d.channel === 2 ? "Cổng Dịch vụ công tỉnh Quảng Ninh" : "Bộ phận một cửa",
    TaiKhoanDuocXacThucVoiVNeID: d.channel === 2 ? 1 : 0,
    DinhDanhCHS: d.applicantIdNumber ? [{ LoaiDinhDanh: 1, SoDinhDanh: d.applicantIdNumber }] : [],
  };
}

export function toProgressRecord(d: DossierRow, e: EventRow): ProgressRecord {
  return {
    MaHoSo: d.code,
    NguoiXuLy: e.actorName.slice(0, 50),
    ChucDanh: e.actorTitle,
    ThoiDiemXuLy: toDate14(e.at),
    PhongBanXuLy: e.department,
    NoiDungXuLy: e.note,
    TrangThai: e.status,
    NgayBatDau: toDate14(e.at),
    NgayKetThucTheoQuyDinh: e.deadline ? toDate14(e.deadline) : null,
  };
}

export type SyncResult =
  | { kind: "synced"; calls: number }
  | { kind: "retry"; reason: string; afterMs?: number }
  | { kind: "dead"; reason: string };

interface NationalView { TrangThaiHoSo: number; TienDoXuLy?: { TrangThai: number; ThoiDiemXuLy: string }[] }

/** Reconciles one dossier with the national portal; never throws for outcomes of the call. */
export async function syncDossier(db: AppDb, portal: NationalPortal, dossierId: string, worker = "inline", opts: { neverSynced?: boolean } = {}): Promise<SyncResult> {
  const [d] = await db.select().from(dossiers).where(eq(dossiers.id, dossierId));
  if (!d) return { kind: "dead", reason: "dossier no longer exists" };
  const events = await db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, dossierId)).orderBy(asc(dossierEvents.seq));
  if (events.length === 0) return { kind: "dead", reason: "dossier has no events" };
  const ledger: CallRecord[] = [];
  const call = (service: string, payload: Record<string, unknown>) => portal.call(service, payload, (r) => ledger.push(r));
  const refusal = (o: Extract<CallOutcome, { kind: "refused" }>, what: string): SyncResult => ({ kind: "dead", reason: `${what}: [${o.code}] ${o.message}` });

  try {
    // Fast path for a dossier never synced: insert it and push its first progress record without
    // looking first (the national side cannot hold anything of a dossier whose insert we just
    // saw succeed). Only the first step: a later step is sent only after a look-up has shown the
    // one before it landed, since an acknowledgement can lie (a lost write) and progress records
    // must arrive in order. Any other answer drops to the careful loop, which verifies all.
    if (opts.neverSynced) {
      const insert = await call("DongBoHoSoMC", { isUpdating: false, data: [toNationalDossier(d, events[0].status)] });
      if (insert.kind === "retry") return insert;
      if (insert.kind === "ok") {
        const first = await call("CapNhatTienDoHoSoMC", { data: [toProgressRecord(d, events[0])] });
        if (first.kind === "retry") return first;
      }
    }
    // Bounded: each pass either finishes or makes one step of progress (or gives up for now).
    for (let pass = 0; pass < events.length * 3 + 6; pass++) {
      const look = await call("TraCuuHoSo", { mahoso: d.code });
      if (look.kind === "retry") return look;
      if (look.kind === "refused" && look.code !== ERR.NOT_FOUND) return refusal(look, "TraCuuHoSo");
      const national = look.kind === "ok" ? (look.answer.result as NationalView) : null;

      if (!national) {
        const push = await call("DongBoHoSoMC", { isUpdating: false, data: [toNationalDossier(d, events[0].status)] });
        if (push.kind === "retry") return push;
        if (push.kind === "refused" && push.code !== ERR.EXISTS) return refusal(push, "DongBoHoSoMC");
        continue; // look again: verify the write landed
      }
      const have = new Set((national.TienDoXuLy ?? []).map((p) => `${Number(p.TrangThai)}|${p.ThoiDiemXuLy}`));
      const missing = events.findIndex((e) => !have.has(`${e.status}|${toDate14(e.at)}`));
      if (missing === -1 && Number(national.TrangThaiHoSo) === d.status) return { kind: "synced", calls: ledger.length };
      const next = missing === -1 ? null : events[missing];
      const wantStatus = next ? next.status : d.status;
      // Update the dossier's status first, unless the national side is already past it (a
      // progress record was lost after later steps went through): then only the record is missing.
      const nationalStatus = Number(national.TrangThaiHoSo);
      if (nationalStatus !== wantStatus && (isLegalTransition(nationalStatus, wantStatus) || !next)) {
        const push = await call("DongBoHoSoMC", { isUpdating: true, data: [toNationalDossier(d, wantStatus)] });
        if (push.kind === "retry") return push;
        if (push.kind === "refused" && push.code !== ERR.EXISTS && push.code !== ERR.NOT_FOUND) return refusal(push, "DongBoHoSoMC");
        continue;
      }
      if (next) {
        const push = await call("CapNhatTienDoHoSoMC", { data: [toProgressRecord(d, next)] });
        if (push.kind === "retry") return push;
        if (push.kind === "refused" && push.code !== ERR.PARTIAL && push.code !== ERR.NOT_FOUND) return refusal(push, "CapNhatTienDoHoSoMC");
      }
    }
    return { kind: "retry", reason: "not converged within the pass limit" };
  } finally {
    if (ledger.length) {
      await db.insert(syncAttempts).values(
        ledger.map((r) => ({ dossierId, worker, service: r.service, request: r.request, response: r.response, latencyMs: r.latencyMs, outcome: r.outcome })),
      );
    }
  }
}

export interface WorkerOptions {
  db: AppDb;
  portal: NationalPortal;
  workerId?: string;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  signal?: AbortSignal;
  onResult?: (dossierId: string, r: SyncResult) => void;
}

export async function claimDue(db: AppDb, workerId: string, limit: number, leaseMs: number) {
  return selectRows<{ dossier_id: string; wanted_version: number; attempts: number; synced_version: number }>(
    db,
    sql`update sync_state s set locked_by = ${workerId}, locked_until = now() + ${`${leaseMs} milliseconds`}::interval
        from (select dossier_id from sync_state
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

export async function recordResult(db: AppDb, dossierId: string, workerId: string, version: number, attempts: number, r: SyncResult, opts: { base: number; max: number }) {
  const mine = sql`${syncState.dossierId} = ${dossierId} and ${syncState.lockedBy} = ${workerId}`;
  if (r.kind === "synced") {
    await db.update(syncState).set({
      syncedVersion: sql`greatest(${syncState.syncedVersion}, ${version})`, attempts: 0, lockedBy: null, lockedUntil: null, lastError: null, syncedAt: sql`now()`,
    }).where(mine);
  } else if (r.kind === "retry") {
    const wait = backoffMs(attempts, opts.base, opts.max, r.afterMs);
    await db.update(syncState).set({
      attempts: attempts + 1, lockedBy: null, lockedUntil: null, lastError: r.reason.slice(0, 1000),
      nextAttemptAt: sql`now() + ${`${wait} milliseconds`}::interval`,
    }).where(mine);
  } else {
    await db.update(syncState).set({ deadAt: sql`now()`, lockedBy: null, lockedUntil: null, lastError: r.reason.slice(0, 1000) }).where(mine);
  }
}

/** Puts a dead-lettered dossier back in the queue (operator action). */
export async function replayDeadLetter(db: AppDb, dossierId: string) {
  await db.update(syncState).set({ deadAt: null, attempts: 0, nextAttemptAt: sql`now()`, lastError: null }).where(eq(syncState.dossierId, dossierId));
}

/** Extends this worker's lease on a dossier; false when another worker has taken it over. */
export async function renewLease(db: AppDb, dossierId: string, workerId: string, leaseMs: number): Promise<boolean> {
  const rows = await selectRows<{ dossier_id: string }>(
    db,
    sql`update sync_state set locked_until = now() + ${`${leaseMs} milliseconds`}::interval
        where dossier_id = ${dossierId} and locked_by = ${workerId} returning dossier_id`,
  );
  return rows.length === 1;
}

/** Runs until the signal aborts. Several workers (processes) can share one PostgreSQL. */
export async function runSyncWorker(o: WorkerOptions): Promise<void> {
  const workerId = o.workerId ?? `w-${randomUUID().slice(0, 8)}`;
  const concurrency = o.concurrency ?? 8;
  const leaseMs = o.leaseMs ?? Number(process.env.SYNC_LEASE_MS ?? 5 * 60_000);
  const backoff = { base: o.baseBackoffMs ?? 1000, max: o.maxBackoffMs ?? 5 * 60_000 };
  while (!o.signal?.aborted) {
    const claimed = await claimDue(o.db, workerId, concurrency, leaseMs);
    if (claimed.length === 0) {
      await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
      continue;
    }
    let i = 0;
    const lane = async () => {
      while (i < claimed.length && !o.signal?.aborted) {
        const job = claimed[i++];
        // The lease is renewed before and during the sync: a dossier whose lease ran out may
        // already be another worker's, and two workers must never sync one dossier at once.
        if (!(await renewLease(o.db, job.dossier_id, workerId, leaseMs))) continue;
        const heartbeat = setInterval(() => void renewLease(o.db, job.dossier_id, workerId, leaseMs).catch(() => {}), Math.max(100, leaseMs / 3));
        const neverSynced = job.synced_version === 0 && job.attempts === 0;
        const r = await syncDossier(o.db, o.portal, job.dossier_id, workerId, { neverSynced })
          .catch((e: unknown) => ({ kind: "retry" as const, reason: `error: ${String(e)}` }))
          .finally(() => clearInterval(heartbeat));
        await recordResult(o.db, job.dossier_id, workerId, job.wanted_version, job.attempts, r, backoff);
        o.onResult?.(job.dossier_id, r);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
  }
}

export async function queueStats(db: AppDb) {
  const [s] = await selectRows<{ pending: number; dead: number; synced: number; oldest_pending_s: number | null }>(
    db,
    sql`select count(*) filter (where wanted_version > synced_version and dead_at is null)::int as pending,
               count(*) filter (where dead_at is not null)::int as dead,
               count(*) filter (where wanted_version <= synced_version)::int as synced,
               extract(epoch from now() - min(enqueued_at) filter (where wanted_version > synced_version and dead_at is null))::float8 as oldest_pending_s
        from sync_state`,
  );
  return s;
}

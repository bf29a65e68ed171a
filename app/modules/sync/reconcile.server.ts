// Reconciliation: compares, dossier by dossier, what we hold with what the national portal
// holds (a hash of the synced fields and the progress history) and re-enqueues differences.
import { createHash } from "node:crypto";
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import type { AppDb } from "~db/client.server";
import { dossierEvents, dossiers, scheduledRuns } from "~db/schema";
import { toDate14 } from "~integrations/national-portal/contract";
import type { NationalPortal } from "~integrations/national-portal/port";
import { paidOnlineOf } from "~/modules/payments/paid-online.server";
import { groupBy, nationalPaidFlag, resultDocIds, supplementKey, toNationalDossier, toProgressRecord } from "./mapping.server";
import { enqueueSync } from "./sync.server";
import { nationalDocsOf } from "~/modules/results/national-link.server";
import { sleepUnlessAborted } from "~/lib/sleep";

const FIELDS = ["MaHoSo", "MaTTHC", "TrangThaiHoSo", "KenhThucHien", "ChuHoSo", "SoGiayToChuHoSo", "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "DonViXuLy"] as const;

type Synced = Record<string, unknown> & {
  TienDoXuLy?: { TrangThai: unknown; ThoiDiemXuLy: unknown }[];
  DanhSachGiayToKetQua?: { TepDinhKemId?: unknown }[] | null;
  DanhSachHoSoBoSung?: { NgayYeuCauBoSung?: unknown; NgayBoSung?: unknown }[] | null;
};

/**
 * The synced fields and progress history, hashed. DuocThanhToanTrucTuyen counts too, an absent
 * flag as 0 (a copy written before we sent it, of a dossier not paid online, matches), and so do
 * the result documents (their ids, in order) and the supplement requests (when asked, when
 * answered) — each read as the sync loop compares it, so a dossier found different here is set
 * right by its next sync.
 */
export function syncedHash(d: Synced): string {
  const fields: [string, string | null][] = FIELDS.map((f) => [f, d[f] === undefined || d[f] === "" ? null : String(d[f])]);
  fields.push(["DuocThanhToanTrucTuyen", String(nationalPaidFlag(d))]);
  fields.push(["DanhSachGiayToKetQua", resultDocIds(d)]);
  fields.push(["DanhSachHoSoBoSung", supplementKey(d.DanhSachHoSoBoSung)]);
  const progress = (d.TienDoXuLy ?? []).map((p) => `${Number(p.TrangThai)}|${p.ThoiDiemXuLy}`);
  return createHash("sha256").update(JSON.stringify({ fields, progress })).digest("hex");
}

export interface ReconcileReport {
  date: string;
  local: number;
  matching: number;
  missingNationally: string[];
  different: string[];
  unreachable: string[];
  requeued: number;
}

/** date is yyyy-MM-dd in Vietnam time: dossiers submitted that day. */
export async function reconcileDay(db: AppDb, portal: NationalPortal, date: string, opts: { requeue?: boolean } = {}): Promise<ReconcileReport> {
  const from = new Date(`${date}T00:00:00+07:00`);
  const to = new Date(from.getTime() + 24 * 3600_000);
  const rows = await db.select().from(dossiers).where(and(gte(dossiers.submittedAt, from), lt(dossiers.submittedAt, to))).orderBy(asc(dossiers.code));
  const events = rows.length
    ? await db.select().from(dossierEvents).where(inArray(dossierEvents.dossierId, rows.map((r) => r.id))).orderBy(asc(dossierEvents.dossierId), asc(dossierEvents.seq))
    : [];
  const ids = rows.map((r) => r.id);
  const paid = await paidOnlineOf(db, ids);
  const docs = await nationalDocsOf(db, ids);
  const eventsOf = groupBy(events, (e) => e.dossierId);
  const docsOf = groupBy(docs, (f) => f.dossierId);
  const report: ReconcileReport = { date, local: rows.length, matching: 0, missingNationally: [], different: [], unreachable: [], requeued: 0 };
  const toRequeue: string[] = [];
  for (const d of rows) {
    const own = eventsOf.get(d.id) ?? [];
    const mine = { ...toNationalDossier(d, d.status, docsOf.get(d.id) ?? [], { paidOnline: paid.has(d.id), events: own }), TienDoXuLy: own.map((e) => toProgressRecord(d, e)) };
    const look = await portal.lookUp(d.code);
    if (look.kind !== "ok") { report.unreachable.push(d.code); continue; }
    if (look.value === null) { report.missingNationally.push(d.code); toRequeue.push(d.id); continue; }
    if (syncedHash(mine) === syncedHash(look.value)) report.matching++;
    else { report.different.push(d.code); toRequeue.push(d.id); }
  }
  if (opts.requeue && toRequeue.length) {
    await db.transaction(async (tx) => { for (const id of toRequeue) await enqueueSync(tx, id); });
    report.requeued = toRequeue.length;
  }
  return report;
}

/** Runs a job once per period across every instance: the first to record the period runs it. */
export async function runOncePerPeriod<T>(db: AppDb, job: string, period: string, fn: () => Promise<T>): Promise<T | undefined> {
  const claimed = await db.insert(scheduledRuns).values({ job, period }).onConflictDoNothing().returning({ job: scheduledRuns.job });
  if (claimed.length === 0) return undefined;
  const result = await fn();
  await db.update(scheduledRuns).set({ report: result as unknown as object }).where(and(eq(scheduledRuns.job, job), eq(scheduledRuns.period, period)));
  return result;
}

/** Yesterday (Vietnam time), reconciled once by whichever instance gets there first. */
export async function reconcileYesterday(db: AppDb, portal: NationalPortal, now = new Date()) {
  const yesterday = toDate14(new Date(now.getTime() - 24 * 3600_000));
  const date = `${yesterday.slice(0, 4)}-${yesterday.slice(4, 6)}-${yesterday.slice(6, 8)}`;
  return runOncePerPeriod(db, "reconcile", date, () => reconcileDay(db, portal, date, { requeue: true }));
}


/** Hourly check; the daily reconciliation of yesterday runs once across all instances. */
export async function runReconcileSchedule(db: AppDb, portal: NationalPortal, signal: AbortSignal, everyMs = 3600_000) {
  while (!signal.aborted) {
    await reconcileYesterday(db, portal).catch(() => undefined);
    await sleepUnlessAborted(everyMs, signal);
  }
}

// Files whose scan at upload could not finish (clamd down, timed out, erroring) stay quarantined
// as `pending`: they cannot be submitted or reused. The hourly housekeeping scans them again from
// storage: clean ones are released, infected ones stay quarantined as `infected`, and those clamd
// still cannot judge wait for the next hour.
//
// One instance per hour does it: the pass is claimed in scheduled_runs (the reconciliation's
// once-per-period claim, an INSERT … ON CONFLICT DO NOTHING), not by row locks held across the
// scan, which would keep a connection (PGlite: the only one) busy for as long as clamd takes.
// Every verdict is written only over `pending`, so a pass interrupted and resumed an hour later,
// or two passes that overlap, can never undo a verdict.
import { and, asc, eq, min } from "drizzle-orm";
import { log } from "~/modules/observability/logger.server";
import { contentKey, type FileStorage } from "~/modules/storage/storage.server";
import { runOncePerPeriod } from "~/modules/sync/reconcile.server";
import type { AppDb } from "~db/client.server";
import { attachments } from "~db/schema";
import { scanStream } from "./scan.server";

export interface RescanReport {
  /** Distinct contents (SHA-256) sent to clamd, whatever it answered. */
  scanned: number;
  /** Attachment rows released (`clean`) or quarantined for good (`infected`). */
  released: number;
  infected: number;
  /** Contents clamd still could not judge, or whose bytes are missing from storage. */
  stillPending: number;
}

export interface RescanOptions {
  /** "host:port" of clamd; unset: nothing is rescanned (a file is never released unscanned). */
  clamd?: string;
  timeoutMs?: number;
  /** Contents per pass (oldest first); the rest wait for the next hour. */
  limit?: number;
}

/** Rescans pending attachments once per content; safe to run concurrently (verdicts only overwrite `pending`). */
export async function rescanPendingAttachments(db: AppDb, store: FileStorage, opts: RescanOptions): Promise<RescanReport> {
  const report: RescanReport = { scanned: 0, released: 0, infected: 0, stillPending: 0 };
  if (!opts.clamd) return report;
  const pending = await db.select({ sha256: attachments.sha256 }).from(attachments)
    .where(eq(attachments.scan, "pending")).groupBy(attachments.sha256).orderBy(asc(min(attachments.createdAt))).limit(opts.limit ?? 200);
  for (const { sha256 } of pending) {
    const body = await store.get(contentKey(sha256));
    if (!body) {
      log.warn("pending attachment has no stored bytes", { sha256 });
      report.stillPending++;
      continue;
    }
    report.scanned++;
    const verdict = await scanStream(body, { clamd: opts.clamd, timeoutMs: opts.timeoutMs });
    if (verdict === "error") {
      report.stillPending++;
      continue;
    }
    const scan = verdict === "clean" ? "clean" : "infected";
    const rows = await db.update(attachments).set({ scan })
      .where(and(eq(attachments.sha256, sha256), eq(attachments.scan, "pending"))).returning({ id: attachments.id });
    if (scan === "clean") report.released += rows.length;
    else report.infected += rows.length;
  }
  if (pending.length) log.info("attachment rescan", { ...report });
  return report;
}

/** The hourly pass, run by whichever instance claims this hour first; undefined on the others. */
export function rescanThisHour(db: AppDb, store: FileStorage, opts: RescanOptions, now = new Date()): Promise<RescanReport | undefined> {
  if (!opts.clamd) return Promise.resolve(undefined);
  return runOncePerPeriod(db, "attachment-rescan", now.toISOString().slice(0, 13), () => rescanPendingAttachments(db, store, opts));
}

// The pull of dossiers filed on the national portal (LayHoSoTuDVCQG), the fallback for pushes
// never delivered: incremental, from a cursor stored in inbound_cursors, one instance at a time
// (docs/decisions/024-incremental-pull.md). A page's dossiers, its refusals and the cursor past it
// commit in one transaction, so a crash anywhere loses nothing and a page read twice creates
// nothing twice (receiving is idempotent by national code).
import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { log } from "~/modules/observability/logger.server";
import { sleepUnlessAborted } from "~/lib/sleep";
import type { AppDb, AppTx } from "~db/client.server";
import { inboundCursors, inboundRefusals } from "~db/schema";
import type { NationalDossier } from "~integrations/national-portal/contract";
import type { NationalPortal, UnreadableEntry } from "~integrations/national-portal/port";
import { InboundDossier, receiveNationalDossier } from "./inbound.server";

const CURSOR = "national-filings";
// one per process: the lease names its holder
const THIS_PROCESS = `pull-${randomUUID()}`;

export interface PullOptions {
  /** Who holds the lease (default: this process). */
  instance?: string;
  /** Dossiers asked for per page (at most the API's 500). */
  pageSize?: number;
  /** Pages per round: a backlog is worked off over several rounds, each bounded. */
  maxPages?: number;
  /** How long the lease holds without a page committed; another instance may take it after. */
  leaseMs?: number;
  /** Aborting stops the round; a page being stored is rolled back whole. */
  signal?: AbortSignal;
}

export interface PullCounts { pages: number; read: number; created: number; duplicates: number; refused: number; unreadable: number }
export type PullRound =
  | { kind: "busy" } // another instance holds the cursor
  | ({ kind: "pulled"; more: boolean; error?: string } & PullCounts);

class Stop extends Error {}

/** PostgreSQL text holds no NUL; a refusal's text is what came in, so it is cleaned and cut. */
const storable = (s: string, max: number) => s.replaceAll("\u0000", "").slice(0, max);

/** SQLSTATE class 22 (data exception): this dossier can never be stored; anything else may pass. */
function isDataException(e: unknown): boolean {
  for (let c: unknown = e; c && typeof c === "object"; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

async function refuse(tx: AppTx, code: string | null, reason: string, excerpt: string | null) {
  await tx.insert(inboundRefusals).values({ via: "pull", nationalCode: code === null ? null : storable(code, 100), reason: storable(reason, 1000), excerpt: excerpt === null ? null : storable(excerpt, 1000) });
}

const refuseUnreadable = (tx: AppTx, u: UnreadableEntry) => refuse(tx, u.code, u.reason, u.excerpt);

/** Receives one pulled dossier inside the page's transaction (its own savepoint). */
async function receivePulled(tx: AppTx, d: NationalDossier, counts: PullCounts) {
  // what the push refuses (control characters: NUL cannot be stored at all) is skipped here
  const taken = InboundDossier.safeParse(d);
  if (!taken.success) {
    counts.unreadable++;
    await refuse(tx, d.MaHoSo, taken.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), JSON.stringify(d));
    return;
  }
  try {
    const out = await receiveNationalDossier(tx, d, "pull");
    if (out.kind === "created") counts.created++;
    else if (out.kind === "duplicate") counts.duplicates++;
    else {
      counts.refused++;
      await refuse(tx, d.MaHoSo, out.message, null);
    }
  } catch (e) {
    if (!isDataException(e)) throw e;
    counts.refused++;
    await refuse(tx, d.MaHoSo, `không lưu được: ${e instanceof Error ? e.message : String(e)}`, JSON.stringify(d).slice(0, 1000));
  }
}

/** Takes the lease (free, expired, or already ours) and answers the stored position, or null if another holds it. */
async function claim(db: AppDb, instance: string, leaseMs: number): Promise<{ position: string | null } | null> {
  await db.insert(inboundCursors).values({ name: CURSOR }).onConflictDoNothing();
  const [row] = await db
    .update(inboundCursors)
    .set({ claimedBy: instance, claimedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(and(eq(inboundCursors.name, CURSOR), or(isNull(inboundCursors.claimedUntil), lt(inboundCursors.claimedUntil, sql`now()`), eq(inboundCursors.claimedBy, instance))))
    .returning({ position: inboundCursors.position });
  return row ?? null;
}

async function noteFailure(db: AppDb, instance: string, error: string) {
  log.warn("inbound pull failed", { error });
  await db.update(inboundCursors).set({ lastError: storable(error, 1000), lastErrorAt: sql`now()` }).where(and(eq(inboundCursors.name, CURSOR), eq(inboundCursors.claimedBy, instance)));
}

/**
 * One round: pages from the stored cursor until the national side has no more (at most maxPages).
 * Each page is stored with the cursor past it in one transaction, which first checks that the
 * lease is still ours and the cursor where we read from; otherwise it stores nothing and stops.
 */
export async function pullFromNational(db: AppDb, portal: NationalPortal, opts: PullOptions = {}): Promise<PullRound> {
  const { instance = THIS_PROCESS, pageSize = 200, maxPages = 20, leaseMs = 60_000, signal } = opts;
  const claimed = await claim(db, instance, leaseMs);
  if (!claimed) return { kind: "busy" };
  let position = claimed.position;
  const counts: PullCounts = { pages: 0, read: 0, created: 0, duplicates: 0, refused: 0, unreadable: 0 };
  let more = true;
  try {
    while (more && counts.pages < maxPages) {
      if (signal?.aborted) return { kind: "pulled", more, error: "aborted", ...counts };
      const r = await portal.pullNew({ cursor: position, size: pageSize });
      if (r.kind !== "ok") {
        const error = r.kind === "retry" ? r.reason : r.kind === "malformed" ? r.reason : `[${r.code}] ${r.message}`;
        await noteFailure(db, instance, error);
        return { kind: "pulled", more, error, ...counts };
      }
      const page = r.value;
      // a cursor that vanishes would restart the pull from the first filing ever: keep ours
      const next = page.cursor ?? position;
      const pageCounts: PullCounts = { pages: 1, read: page.dossiers.length + page.unreadable.length, created: 0, duplicates: 0, refused: 0, unreadable: page.unreadable.length };
      const stored = await db.transaction(async (tx) => {
        const [ours] = await tx
          .update(inboundCursors)
          .set({ position: next, claimedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`, updatedAt: sql`now()`, lastError: null, lastErrorAt: null })
          .where(and(eq(inboundCursors.name, CURSOR), eq(inboundCursors.claimedBy, instance), sql`${inboundCursors.position} is not distinct from ${position}`))
          .returning({ name: inboundCursors.name });
        if (!ours) return false;
        for (const d of page.dossiers) {
          if (signal?.aborted) throw new Stop("aborted");
          await receivePulled(tx, d, pageCounts);
        }
        for (const u of page.unreadable) await refuseUnreadable(tx, u);
        return true;
      }).catch((e: unknown) => {
        if (e instanceof Stop) return "aborted" as const;
        throw e;
      });
      if (stored === "aborted") return { kind: "pulled", more, error: "aborted", ...counts };
      if (!stored) return counts.pages ? { kind: "pulled", more, error: "lease lost", ...counts } : { kind: "busy" };
      for (const k of Object.keys(counts) as (keyof PullCounts)[]) counts[k] += pageCounts[k];
      if (pageCounts.unreadable || pageCounts.refused) {
        log.warn("inbound pull: entries skipped, listed in inbound_refusals", { unreadable: page.unreadable.map((u) => u.code), refused: pageCounts.refused });
      }
      // an answer that neither moves the cursor nor brings anything would loop: stop the round
      more = page.more && (next !== position || pageCounts.read > 0);
      position = next;
    }
    return { kind: "pulled", more, ...counts };
  } catch (e) {
    await noteFailure(db, instance, e instanceof Error ? e.message : String(e)).catch(() => {});
    return { kind: "pulled", more, error: e instanceof Error ? e.message : String(e), ...counts };
  } finally {
    await db.update(inboundCursors).set({ claimedUntil: null }).where(and(eq(inboundCursors.name, CURSOR), eq(inboundCursors.claimedBy, instance))).catch(() => {});
  }
}

/** Where the pull stands, for the operator: the cursor, when it last moved, the last failure. */
export async function pullCursor(db: AppDb) {
  const [row] = await db.select().from(inboundCursors).where(eq(inboundCursors.name, CURSOR));
  return row ?? null;
}

export async function runInboundPull(db: AppDb, portal: NationalPortal, everyMs: number, signal: AbortSignal) {
  while (!signal.aborted) {
    const r = await pullFromNational(db, portal, { signal }).catch((e: unknown): PullRound => ({ kind: "pulled", more: false, error: String(e), pages: 0, read: 0, created: 0, duplicates: 0, refused: 0, unreadable: 0 }));
    if (r.kind === "pulled" && r.created) log.info("inbound pull", { ...r });
    // a backlog bigger than one round: the next round starts at once
    if (r.kind === "pulled" && r.more && !r.error) continue;
    await sleepUnlessAborted(everyMs, signal);
  }
}

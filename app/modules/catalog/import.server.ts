// `npm run catalog:import`: brings the catalogue up to date with the national portal's
// (LayDanhSachTTHC, then LayThuTuc for each procedure). The national catalogue is authoritative
// for a procedure's name, field and processing time; everything the province adds (English name,
// documents, fees, forms, online mode) stays. A procedure the province does not have yet is added
// as not available online until an administrator sets it up.
//
// All writes go in one transaction after every procedure has been read, so an import that fails
// half-way changes nothing. A row written by an import carries a content hash prefixed "import:";
// the seed never overwrites such a row (db/seed.ts), so a restart does not undo an import.
import { createHash } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { foldVietnamese } from "~/lib/text";
import { appendAudit } from "~/modules/audit/audit.server";
import { invalidateCatalogCache } from "~/modules/catalog/catalog.server";
import type { AppDb } from "~db/client.server";
import { procedures } from "~db/schema";
import { IMPORTED_HASH_PREFIX } from "~db/seed";
import type { NationalProcedure } from "~integrations/national-portal/contract";
import type { NationalPortal } from "~integrations/national-portal/port";

export interface ImportChange { code: string; fields: string[]; needsReview?: string }
export interface ImportSummary {
  listed: number;
  added: string[];
  updated: ImportChange[];
  unchanged: number;
  failed: { code: string; reason: string }[];
  dryRun: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Called after each procedure is read: done of total. */
  onProgress?: (done: number, total: number, code: string) => void;
  /** Transient failures (timeouts, 5xx, 429, maintenance) are retried this many times. */
  retries?: number;
  baseBackoffMs?: number;
  actor?: { kind: "official" | "system"; id: string };
}

export class CatalogImportError extends Error {}

/**
 * Processing time from the national text: "07 ngày làm việc" → 7 working days, "10 ngày" → 10
 * days, "Ngay trong ngày" → immediate. Null when the text says something else (left for review).
 */
export function parseProcessingTime(text: string): { value: number; unit: "working_days" | "days" | "immediate" } | null {
  // folded, keeping "/" (1/2 ngày)
  const folded = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ");
  const m = /(\d+(?:\/\d+)?) ?ngay( lam viec)?/.exec(folded);
  if (m) {
    const [num, den] = m[1].split("/").map(Number);
    const value = den ? num / den : num;
    if (value > 0 && value <= 365) return { value, unit: m[2] ? "working_days" : "days" };
  }
  if (/^(giai quyet )?ngay( trong ngay| khi)|trong ngay tiep nhan/.test(folded)) return { value: 0, unit: "immediate" };
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withRetry<O extends { kind: string; afterMs?: number }>(call: () => Promise<O>, opts: ImportOptions): Promise<O> {
  const retries = opts.retries ?? 5;
  const base = opts.baseBackoffMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    const outcome = await call();
    if (outcome.kind !== "retry" || attempt >= retries) return outcome;
    const backoff = Math.min(10_000, base * 2 ** attempt) * (0.5 + Math.random() / 2);
    await sleep(Math.min(10_000, Math.max(backoff, outcome.afterMs ?? 0)));
  }
}

const hash = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex");

export async function importCatalog(db: AppDb, portal: NationalPortal, opts: ImportOptions = {}): Promise<ImportSummary> {
  const list = await withRetry(() => portal.listProcedures(), opts);
  if (list.kind === "retry") throw new CatalogImportError(`the national portal did not answer: ${list.reason}`);
  if (list.kind === "refused") throw new CatalogImportError(`the national portal refused ${list.service}: ${list.code} ${list.message}`);
  if (list.kind === "malformed") throw new CatalogImportError(list.reason);
  const codes = list.value;

  const summary: ImportSummary = { listed: codes.length, added: [], updated: [], unchanged: 0, failed: [], dryRun: !!opts.dryRun };
  const fetched: NationalProcedure[] = [];
  for (const [i, code] of codes.entries()) {
    const detail = await withRetry(() => portal.getProcedure(code), opts);
    if (detail.kind === "ok") fetched.push(detail.value);
    else summary.failed.push({ code, reason: detail.kind === "refused" ? `${detail.code} ${detail.message}` : detail.reason });
    opts.onProgress?.(i + 1, codes.length, code);
  }

  const existing = new Map(
    fetched.length
      ? (await db.select().from(procedures).where(inArray(procedures.code, fetched.map((p) => p.MaTTHC)))).map((r) => [r.code, r])
      : [],
  );
  type Write = { code: string; set: Partial<typeof procedures.$inferInsert>; insert?: typeof procedures.$inferInsert };
  const writes: Write[] = [];
  for (const p of fetched) {
    const processingText = p.ThoiHanGiaiQuyet ?? null;
    const parsed = processingText ? parseProcessingTime(processingText) : null;
    const contentHash = IMPORTED_HASH_PREFIX + hash(p);
    const cur = existing.get(p.MaTTHC);
    if (!cur) {
      summary.added.push(p.MaTTHC);
      writes.push({
        code: p.MaTTHC, set: {},
        insert: {
          code: p.MaTTHC, hasNationalCode: true, nameVi: p.TenTTHC, nameEn: p.TenTTHC, field: p.LinhVuc,
          level: "province", agencyKind: "department", agencyText: "", processingText,
          processingValue: parsed?.value ?? null, processingUnit: parsed?.unit ?? null,
          feeAmountVnd: null, onlineMode: "none", searchName: foldVietnamese(p.TenTTHC),
          searchText: foldVietnamese(`${p.TenTTHC} ${p.LinhVuc} ${p.MaTTHC}`), contentHash,
        },
      });
      continue;
    }
    const fields: string[] = [];
    const set: Write["set"] = {};
    if (cur.nameVi !== p.TenTTHC) { fields.push("nameVi"); set.nameVi = p.TenTTHC; set.searchName = foldVietnamese(p.TenTTHC); }
    if (cur.field !== p.LinhVuc) { fields.push("field"); set.field = p.LinhVuc; }
    let needsReview: string | undefined;
    if (processingText !== null && cur.processingText !== processingText) {
      fields.push("processingText");
      set.processingText = processingText;
      if (parsed) { set.processingValue = parsed.value; set.processingUnit = parsed.unit; }
      else needsReview = "processing time not understood; the deadline still uses the previous value";
    }
    if (!fields.length) { summary.unchanged++; continue; }
    set.searchText = foldVietnamese(`${set.nameVi ?? cur.nameVi} ${cur.nameEn} ${set.field ?? cur.field} ${cur.code}`);
    set.contentHash = contentHash;
    summary.updated.push({ code: p.MaTTHC, fields, ...(needsReview ? { needsReview } : {}) });
    writes.push({ code: p.MaTTHC, set });
  }

  if (opts.dryRun || !writes.length) return summary;
  await db.transaction(async (tx) => {
    for (const w of writes) {
      if (w.insert) await tx.insert(procedures).values(w.insert).onConflictDoNothing();
      else await tx.update(procedures).set({ ...w.set, updatedAt: sql`now()` }).where(sql`${procedures.code} = ${w.code}`);
    }
    await appendAudit(tx, {
      actorKind: opts.actor?.kind ?? "system", actorId: opts.actor?.id ?? "catalog-import", action: "catalog.import",
      subjectKind: "catalog", subjectId: "procedures",
      details: { added: summary.added, updated: summary.updated.map((u) => `${u.code}:${u.fields.join(",")}`), failed: summary.failed.map((f) => f.code) },
    });
  });
  invalidateCatalogCache(db);
  return summary;
}

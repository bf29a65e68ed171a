// The tamper-evident audit log: every change and every view of personal data, appended in the
// transaction that does it. Rows are chained by SHA-256 (each hash covers the previous one) and
// the chain's head is kept beside it, so editing, deleting or truncating rows is detected by
// verifyAuditLog (npm run audit:verify). An append locks the head row until its transaction
// commits, so the chain stays linear with any number of instances.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { selectRows, type AppDb, type AppTx } from "~db/client.server";
import { auditHead, auditLog } from "~db/schema";

type Tx = AppTx;
export const GENESIS = "0".repeat(64);

export interface AuditEntry {
  actorKind: "citizen" | "official" | "officer" | "system" | "national";
  actorId: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  device?: string | null;
  details?: Record<string, unknown> | null;
  at?: Date;
}

/** JSON with object keys sorted at every level: the same bytes whatever order keys came in. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(",")}}`;
}

type HashedFields = { atMs: number; actorKind: string; actorId: string; action: string; subjectKind: string; subjectId: string; device: string | null; details: unknown };

/** What a row's hash covers besides the previous hash. */
const rowBody = (r: HashedFields) => canonicalJson([r.atMs, r.actorKind, r.actorId, r.action, r.subjectKind, r.subjectId, r.device, r.details ?? null]);

/** SHA-256 (hex) of `prevHash`, a newline and the row's canonical body. */
export function rowHash(prevHash: string, r: HashedFields): string {
  return createHash("sha256").update(prevHash).update("\n").update(rowBody(r)).digest("hex");
}

/**
 * Appends one entry in one statement: it locks the head row (FOR UPDATE: an appender waits until
 * the one before it commits, then reads the head that one left), inserts the row chained onto
 * that head — the database computes the same SHA-256 as rowHash over `head \n body`, the body
 * serialised here — and moves the head. Every append serialises on that lock until its
 * transaction ends, so callers append as late as they can: ideally as their last write.
 */
export async function appendAudit(tx: Tx, e: AuditEntry): Promise<void> {
  const atMs = (e.at ?? new Date()).getTime();
  const device = e.device ?? null;
  const details = e.details ?? null;
  const body = rowBody({ atMs, actorKind: e.actorKind, actorId: e.actorId, action: e.action, subjectKind: e.subjectKind, subjectId: e.subjectId, device, details });
  const append = sql`
    with head as (select hash from ${auditHead} where singleton = 1 for update),
    entry as (
      insert into ${auditLog} (at, actor_kind, actor_id, action, subject_kind, subject_id, device, details, prev_hash, hash)
      select ${new Date(atMs).toISOString()}::timestamptz, ${e.actorKind}::text, ${e.actorId}::text, ${e.action}::text, ${e.subjectKind}::text,
             ${e.subjectId}::text, ${device}::text, ${details === null ? null : JSON.stringify(details)}::jsonb, head.hash,
             encode(sha256(convert_to(head.hash || ${`\n${body}`}::text, 'UTF8')), 'hex')
      from head
      returning id, hash)
    update ${auditHead} set last_id = entry.id, hash = entry.hash, count = ${auditHead}.count + 1 from entry
    where ${auditHead}.singleton = 1
    returning ${auditHead}.last_id`;
  if ((await selectRows(tx, append)).length) return;
  // no head yet (the very first entry, or a head removed by hand): start it at the genesis hash
  await tx.insert(auditHead).values({ singleton: 1, lastId: 0, hash: GENESIS, count: 0 }).onConflictDoNothing();
  if (!(await selectRows(tx, append)).length) throw new Error("audit: the chain head could not be locked");
}

export type VerifyResult =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; badRowId: number | null; reason: string };

/** Recomputes the chain in id order, a page at a time. */
export async function verifyAuditLog(db: AppDb, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let lastId = 0;
  let rows = 0;
  for (;;) {
    const page = await selectRows<{ id: number; at_ms: string; actor_kind: string; actor_id: string; action: string; subject_kind: string; subject_id: string; device: string | null; details: unknown; prev_hash: string; hash: string }>(
      db,
      sql`select id::float8 as id, (extract(epoch from at) * 1000)::bigint::text as at_ms, actor_kind, actor_id, action, subject_kind, subject_id, device, details, prev_hash, hash
          from ${auditLog} where id > ${lastId} order by id limit ${pageSize}`,
    );
    for (const r of page) {
      const details = typeof r.details === "string" ? JSON.parse(r.details) : r.details;
      if (r.prev_hash !== prev) {
        return { ok: false, rows, badRowId: r.id, reason: rows === 0 && prev === GENESIS ? "the first row does not start the chain (rows before it were deleted?)" : "it does not follow the row before it (that row was edited or deleted)" };
      }
      const expected = rowHash(prev, { atMs: Number(r.at_ms), actorKind: r.actor_kind, actorId: r.actor_id, action: r.action, subjectKind: r.subject_kind, subjectId: r.subject_id, device: r.device, details });
      if (expected !== r.hash) return { ok: false, rows, badRowId: r.id, reason: "its content does not match its hash (the row was edited)" };
      prev = r.hash;
      lastId = r.id;
      rows++;
    }
    if (page.length < pageSize) break;
  }
  const [head] = await selectRows<{ last_id: number; hash: string; count: number }>(db, sql`select last_id::float8 as last_id, hash, count from ${auditHead}`);
  if (!head) return rows === 0 ? { ok: true, rows, head: GENESIS } : { ok: false, rows, badRowId: null, reason: "the chain head record is missing" };
  if (head.hash !== prev || head.last_id !== lastId || head.count !== rows) {
    return { ok: false, rows, badRowId: head.last_id, reason: `the log ends at row ${lastId} with ${rows} rows, but its head says row ${head.last_id} with ${head.count} rows (rows at the end were deleted)` };
  }
  return { ok: true, rows, head: prev };
}

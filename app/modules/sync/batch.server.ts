// Batched reconciliation (docs/decisions/009-batched-sync.md): the read-before-write loop of
// ADR 005, run for every dossier of a claimed batch at once. Each dossier looks itself up,
// decides its one next step exactly as before and waits for it; steps of different dossiers that
// are ready together share a call — up to 50 dossiers per DongBoHoSoMC, 10 progress records per
// CapNhatTienDoHoSoMC. A dossier still has one verified step in flight at a time, so order,
// idempotency and loss-freedom are those of ADR 005; what changes is the number of calls, round
// trips and ledger statements.
import { sql } from "drizzle-orm";
import { jsonRowReader, selectRows, uuidArray, type AppDb } from "~db/client.server";
import { dossierEvents, dossiers, syncAttempts } from "~db/schema";
import { isLegalTransition, toDate14, type NationalDossier, type ProgressRecord } from "~integrations/national-portal/contract";
import type { CallRecord, ItemOutcome, NationalPortal, NationalView, OnCall, Refusal } from "~integrations/national-portal/port";
import { paidOnlineJson } from "~/modules/payments/paid-online.server";
import { kindOf, nationalDocsJson, readNationalDocs, type NationalDoc } from "~/modules/results/national-link.server";
import { groupBy, nationalPaidFlag, resultDocIds, supplementKey, supplementsOf, toNationalDossier, toProgressRecord, type DossierRow, type EventRow } from "./mapping.server";

const readDossier = jsonRowReader(dossiers);
const readEvent = jsonRowReader(dossierEvents);

export type SyncResult =
  | { kind: "synced"; calls: number }
  | { kind: "retry"; reason: string; afterMs?: number }
  | { kind: "dead"; reason: string };

/** The API's limits: data[] of DongBoHoSoMC holds at most 50 dossiers, CapNhatTienDoHoSoMC 10 records. */
export const DOSSIERS_PER_CALL = 50;
export const PROGRESS_PER_CALL = 10;

interface Item { id: string; d: DossierRow; events: EventRow[]; docs: NationalDoc[]; paidOnline: boolean; fresh: boolean; passes: number; calls: number; result?: SyncResult }
interface LedgerRow { dossier_id: string; service: string; request: unknown; response: unknown; latency_ms: number; outcome: string }
type Write = { kind: "insert" | "update"; payload: NationalDossier } | { kind: "progress"; payload: ProgressRecord };

/** A batched call's ledger row for one of its items: that item's part of the request and answer. */
function ledgerRow(dossierId: string, r: CallRecord, index: number, size: number): LedgerRow {
  const base = { dossier_id: dossierId, service: r.service, latency_ms: r.latencyMs, outcome: r.outcome };
  const req = r.request as { data?: unknown[] } | null;
  const res = r.response as { result?: unknown[] } | null;
  if (size === 1 || !Array.isArray(req?.data)) return { ...base, request: r.request, response: r.response };
  return {
    ...base,
    request: { ...req, data: [req.data[index]], batch: { size, index } },
    response: Array.isArray(res?.result) && res.result.length === size ? { ...res, result: [res.result[index]] } : r.response,
  };
}

async function mapLimit<T, R>(xs: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(xs.length);
  let next = 0;
  const lane = async () => { while (next < xs.length) { const i = next++; out[i] = await fn(xs[i]); } };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, xs.length)) }, lane));
  return out;
}

/** At most n of the calls given to it run at once. */
function limiter(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    while (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** How long a write waits for writes of other dossiers to share its call. */
const COALESCE_MS = 5;

/**
 * Collects single writes into calls: a call goes out when `per` writes are waiting or COALESCE_MS
 * after the first one. Each caller gets its own item's outcome.
 */
function coalesce<P>(send: (part: { it: Item; payload: P }[]) => Promise<Map<Item, ItemOutcome>>, per: number) {
  let queue: { it: Item; payload: P; done: (o: ItemOutcome) => void }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const part = queue;
    queue = [];
    send(part)
      .then((m) => { for (const p of part) p.done(m.get(p.it) ?? { kind: "retry", reason: "no answer for this item" }); })
      .catch((e: unknown) => { for (const p of part) p.done({ kind: "retry", reason: `error: ${String(e)}` }); });
  };
  return (it: Item, payload: P) => new Promise<ItemOutcome>((done) => {
    queue.push({ it, payload, done });
    if (queue.length >= per) flush();
    else timer ??= setTimeout(flush, COALESCE_MS);
  });
}

const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const refusal = (o: Refusal): SyncResult => ({ kind: "dead", reason: `${o.service}: [${o.code}] ${o.message}` });

/** The batch's dossiers with all they are synced from, as Items; those that cannot be synced go to results as dead. */
async function readBatch(db: AppDb, jobs: { dossierId: string; fresh?: boolean }[], results: Map<string, SyncResult>): Promise<Item[]> {
  const ids = jobs.map((j) => j.dossierId);
  // One snapshot for every read: a status change commits its dossier row and its event together,
  // and a dossier read before a change with events read after it would ask for a step back (a
  // worker woken by the notification of a dossier's creation meets its next changes mid-flight).
  // One statement is one snapshot: the dossiers, their events, their documents and the payment
  // facts (paid online or not) come back as JSON, read without drizzle's query building and row
  // mapping (which cost the worker more than the statement itself).
  const batchIds = uuidArray(ids);
  const [snapshot] = await selectRows<{ dossiers: Record<string, unknown>[]; events: Record<string, unknown>[]; docs: Record<string, unknown>[]; paid: string[] }>(db, sql`
    select (select coalesce(json_agg(d), '[]') from ${dossiers} d where d.id = any(${batchIds})) as dossiers,
           (select coalesce(json_agg(e order by e.dossier_id, e.seq), '[]') from ${dossierEvents} e where e.dossier_id = any(${batchIds})) as events,
           ${nationalDocsJson(batchIds)} as docs,
           ${paidOnlineJson(batchIds)} as paid`);
  const rows = snapshot.dossiers.map(readDossier);
  const allEvents = snapshot.events.map(readEvent);
  const docs = readNationalDocs(snapshot.docs);
  const paid = new Set(snapshot.paid);
  const byId = new Map(rows.map((d) => [d.id, d]));
  const eventsOf = groupBy(allEvents, (e) => e.dossierId);
  const docsOf = groupBy(docs, (f) => f.dossierId);
  const items: Item[] = [];
  for (const j of jobs) {
    const d = byId.get(j.dossierId);
    const events = eventsOf.get(j.dossierId) ?? [];
    if (!d) results.set(j.dossierId, { kind: "dead", reason: "dossier no longer exists" });
    else if (events.length === 0) results.set(j.dossierId, { kind: "dead", reason: "dossier has no events" });
    else items.push({ id: j.dossierId, d, events, docs: docsOf.get(j.dossierId) ?? [], paidOnline: paid.has(j.dossierId), fresh: !!j.fresh, passes: 0, calls: 0 });
  }
  return items;
}

/**
 * Reconciles a batch of dossiers with the national portal; never throws for outcomes of calls.
 * `fresh` marks a dossier never attempted: its insert and first progress record go out without a
 * look-up first (nothing of it can be there yet); anything else starts with a look-up.
 */
export async function syncBatch(
  db: AppDb, portal: NationalPortal, jobs: { dossierId: string; fresh?: boolean }[], worker = "inline", opts: { concurrency?: number } = {},
): Promise<Map<string, SyncResult>> {
  const results = new Map<string, SyncResult>();
  if (jobs.length === 0) return results;
  const concurrency = opts.concurrency ?? 8;
  const items = await readBatch(db, jobs, results);
  const ledger: LedgerRow[] = [];
  const settle = (it: Item, r: SyncResult) => { it.result ??= r; };

  /** Sends one kind of write for many dossiers, in calls of at most `per` items; per-item outcomes. */
  const sendAll = async <P>(send: (payloads: P[], onCall: OnCall) => Promise<ItemOutcome[]>, batch: { it: Item; payload: P }[], per: number) => {
    const outcomes = new Map<Item, ItemOutcome>();
    await mapLimit(chunk(batch, per), concurrency, async (part) => {
      const records: CallRecord[] = [];
      const os = await send(part.map((p) => p.payload), (r) => records.push(r));
      for (const r of records) part.forEach((p, i) => { p.it.calls++; ledger.push(ledgerRow(p.it.id, r, i, part.length)); });
      os.forEach((io, i) => outcomes.set(part[i].it, io));
    });
    return outcomes;
  };
  const insert = (xs: NationalDossier[], onCall: OnCall) => portal.upsertDossiers(xs, "insert", onCall);
  const update = (xs: NationalDossier[], onCall: OnCall) => portal.upsertDossiers(xs, "update", onCall);
  const progress = (xs: ProgressRecord[], onCall: OnCall) => portal.pushProgress(xs, onCall);
  /** A look-up, and its ledger row (the last one when a lost session made it two calls). */
  const lookUp = async (it: Item) => {
    let row: LedgerRow | undefined;
    const o = await portal.lookUp(it.d.code, (r) => { it.calls++; ledger.push((row = ledgerRow(it.id, r, 0, 1))); });
    return { o, row };
  };

  try {
    // Fresh dossiers: insert, then (only where the insert was acknowledged) the first progress
    // record. Anything else, and every later step, waits for a look-up that shows the step before
    // it landed — an acknowledgement can lie (a lost write), and progress must arrive in order.
    const fresh = items.filter((it) => it.fresh);
    const inserted = await sendAll(insert, fresh.map((it) => ({ it, payload: nationalCopy(it, it.events[0].status) })), DOSSIERS_PER_CALL);
    const first: Item[] = [];
    for (const [it, o] of inserted) {
      if (o.kind === "retry") settle(it, o);
      else if (o.kind === "ok") first.push(it);
    }
    const progressed = await sendAll(progress, first.map((it) => ({ it, payload: toProgressRecord(it.d, it.events[0]) })), PROGRESS_PER_CALL);
    for (const [it, o] of progressed) if (o.kind === "retry") settle(it, o);

    // Then each unfinished dossier runs ADR 005's loop on its own — look up, make at most one
    // step, look again — bounded like before. Its writes wait a moment for those of the other
    // dossiers of the batch and share a call with them; a slow call holds up only its dossiers.
    const write = {
      insert: coalesce<NationalDossier>((part) => sendAll(insert, part, DOSSIERS_PER_CALL), DOSSIERS_PER_CALL),
      update: coalesce<NationalDossier>((part) => sendAll(update, part, DOSSIERS_PER_CALL), DOSSIERS_PER_CALL),
      progress: coalesce<ProgressRecord>((part) => sendAll(progress, part, PROGRESS_PER_CALL), PROGRESS_PER_CALL),
    };
    const lookups = limiter(concurrency);
    await Promise.all(items.filter((it) => !it.result).map(async (it) => {
      while (!it.result) {
        const { o: look, row } = await lookups(() => lookUp(it));
        if (look.kind === "retry") return settle(it, look);
        if (look.kind === "refused") return settle(it, refusal(look));
        const next = nextStep(it, look.value);
        if (next === "synced") {
          // the row's response is the answer the look-up read
          if (row) row.response = confirmation(row.response as { result?: unknown });
          return settle(it, { kind: "synced", calls: it.calls });
        }
        const o = await (next.kind === "progress" ? write.progress(it, next.payload) : write[next.kind](it, next.payload));
        // ok or unconfirmed: the next look-up shows what landed
        if (o.kind === "retry") settle(it, o);
        else if (o.kind === "refused") settle(it, refusal(o));
        if (!it.result && ++it.passes >= it.events.length * 3 + 6) settle(it, { kind: "retry", reason: "not converged within the pass limit" });
      }
    }));
  } finally {
    await writeLedger(db, worker, ledger);
  }
  for (const it of items) results.set(it.id, it.result ?? { kind: "retry", reason: "unfinished" });
  return results;
}

/**
 * The ledger's copy of a look-up that only confirmed what we hold (ADR 012): the fields the
 * comparison read — status, appointment date, each progress record's status and time, result
 * documents' ids, the online-payment flag, each supplement request's request and answer times —
 * not the whole dossier the national side echoes back, which is our own data. A look-up that led
 * to a write keeps the full answer.
 */
export function confirmation(answer: { error_code?: unknown; message?: unknown; result?: unknown }) {
  const r = (answer.result ?? {}) as NationalView & { MaHoSo?: string };
  return {
    error_code: answer.error_code, message: answer.message, confirmed: true,
    result: { MaHoSo: r.MaHoSo, TrangThaiHoSo: r.TrangThaiHoSo, NgayHenTra: r.NgayHenTra ?? null, TienDoXuLy: (r.TienDoXuLy ?? []).map((p) => ({ TrangThai: p.TrangThai, ThoiDiemXuLy: p.ThoiDiemXuLy })),
      DuocThanhToanTrucTuyen: r.DuocThanhToanTrucTuyen ?? null,
      ...(r.DanhSachGiayToKetQua?.length ? { DanhSachGiayToKetQua: r.DanhSachGiayToKetQua.map((g) => ({ TepDinhKemId: g.TepDinhKemId })) } : {}),
      ...(r.DanhSachHoSoBoSung?.length ? { DanhSachHoSoBoSung: r.DanhSachHoSoBoSung.map((s) => ({ NgayYeuCauBoSung: s.NgayYeuCauBoSung, NgayBoSung: s.NgayBoSung ?? null })) } : {}) },
  };
}


/** The dossier as sent at `status`, with everything read of it in the snapshot. */
const nationalCopy = (it: Item, status: number) => toNationalDossier(it.d, status, it.docs, { paidOnline: it.paidOnline, events: it.events });

/** The one next step for a dossier, given what the national side holds (null: nothing). */
function nextStep(it: Item, national: NationalView | null): Write | "synced" {
  const { d, events, docs } = it;
  if (!national) return { kind: "insert", payload: nationalCopy(it, events[0].status) };
  const have = new Set((national.TienDoXuLy ?? []).map((p) => `${Number(p.TrangThai)}|${p.ThoiDiemXuLy}`));
  const missing = events.findIndex((e) => !have.has(`${e.status}|${toDate14(e.at)}`));
  const nationalStatus = Number(national.TrangThaiHoSo);
  if (missing === -1 && nationalStatus === d.status) {
    // every step is there; a change without a status change remains possible: a new appointment
    // date for a late dossier (NgayHenTra), result documents, the online-payment flag or
    // supplement requests the national copy lacks (a copy written before we sent them) — pushed
    // as an update keeping the status
    const wantDue = d.dueAt ? toDate14(d.dueAt) : "";
    const same = String(national.NgayHenTra ?? "") === wantDue && resultDocIds(national) === docs.filter((f) => kindOf(f) === "result").map((r) => r.id).join(",")
      && nationalPaidFlag(national) === (it.paidOnline ? 1 : 0) && supplementKey(national.DanhSachHoSoBoSung) === supplementKey(supplementsOf(events, docs));
    return same ? "synced" : { kind: "update", payload: nationalCopy(it, d.status) };
  }
  const next = missing === -1 ? null : events[missing];
  const wantStatus = next ? next.status : d.status;
  // Update the dossier's status first, unless the national side is already past it (a progress
  // record was lost after later steps went through): then only the record is missing.
  if (nationalStatus !== wantStatus && (isLegalTransition(nationalStatus, wantStatus) || !next)) {
    return { kind: "update", payload: nationalCopy(it, wantStatus) };
  }
  return { kind: "progress", payload: toProgressRecord(d, next!) };
}

/** The ledger of a batch in one statement (rows travel as one JSON document). */
async function writeLedger(db: AppDb, worker: string, rows: LedgerRow[]) {
  for (const part of chunk(rows, 2000)) {
    await db.execute(sql`
      insert into ${syncAttempts} (dossier_id, worker, service, request, response, latency_ms, outcome)
      select r.dossier_id, ${worker}, r.service, r.request, r.response, r.latency_ms, r.outcome
      from jsonb_to_recordset(${JSON.stringify(part)}::jsonb)
        as r(dossier_id uuid, service text, request jsonb, response jsonb, latency_ms int, outcome text)`);
  }
}

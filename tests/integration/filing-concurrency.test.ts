// Hundreds of citizens submitting at the same moment to the same agency: every submission gets a
// dossier, the daily code sequence has no gap and no duplicate, and every dossier carries its
// first event, its sync job, its notifications and its audit entry; a draft submitted twice at
// once makes one dossier.
//
// Size: 500 concurrent submissions on PostgreSQL (a pool of 20 connections, as a portal instance
// runs: PG_POOL_MAX); 100 on PGlite, which has one connection and runs the transactions one after
// another, so there the test checks the bookkeeping, not the locking. FILING_CONCURRENCY=n
// overrides either.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditLog } from "~/modules/audit/audit.server";
import { submitDraft } from "~/modules/filing/filing.server";
import { attachments, auditLog, consents, dossierCodeCounters, dossierEvents, dossiers, drafts, notifications, payments, syncState } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { openTestDb, usingPostgres, type TestDb } from "../support/db";
import { communeCommittees, insertCitizens, insertReadyDrafts, type ReadyDraft } from "../support/filing-drafts";

const N = Number(process.env.FILING_CONCURRENCY ?? (usingPostgres() ? 500 : 100));
const POOL = 20;

let t: TestDb;
let place: { agencyCode: string; communeCode: string };
let ready: ReadyDraft[];
// one instant for every submission: the codes all fall on the same day even across midnight
const now = new Date();
const day = new Date(now.getTime() + 7 * 3600_000).toISOString().slice(2, 10).replace(/-/g, "");
const statusUrl = (code: string) => `https://dichvucong.quangninh.gov.vn/tra-cuu?ma=${code}`;
const submit = (d: ReadyDraft) => submitDraft(t.db, { citizen: d.citizen, draftId: d.draftId, lang: "vi", statusUrl, now, device: "test" });

beforeAll(async () => {
  t = await openTestDb({ poolMax: POOL });
  await seedCatalog(t.db);
  [place] = await communeCommittees(t.db);
  const people = await insertCitizens(t.db, N + 1);
  ready = await insertReadyDrafts(t.db, people, [place], now);
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

describe(`${N} concurrent submissions to one agency (${usingPostgres() ? `PostgreSQL, pool of ${POOL}` : "PGlite"})`, () => {
  let results: Awaited<ReturnType<typeof submit>>[];
  let batch: ReadyDraft[];

  it("all succeed with distinct codes numbered 1…N in the national format", async () => {
    batch = ready.slice(0, N);
    const started = performance.now();
    results = await Promise.all(batch.map(submit));
    console.log(`${N} submissions in ${Math.round(performance.now() - started)} ms`);
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
    const codes = results.map((r) => (r.ok ? r.value.code : ""));
    expect(new Set(codes).size).toBe(N);
    const seqs: number[] = [];
    for (const code of codes) {
      const m = /^(\d{3}\.\d{2}\.\d{2}\.H49)-(\d{6})-(\d{4})$/.exec(code);
      expect(m, code).not.toBeNull();
      expect(m![1]).toBe(place.agencyCode);
      expect(m![2]).toBe(day);
      seqs.push(Number(m![3]));
    }
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const [counter] = await t.db.select().from(dossierCodeCounters).where(and(eq(dossierCodeCounters.agencyCode, place.agencyCode), eq(dossierCodeCounters.day, day)));
    expect(counter.last).toBe(N);
  }, 120_000);

  it("every dossier has its sync job, its first event, its files, its notifications; every draft is closed", async () => {
    const byDraft = new Map(batch.map((d, i) => [d.draftId, results[i].ok ? results[i].value : null]));
    const ids = [...byDraft.values()].map((v) => v!.dossierId);
    expect(new Set(ids).size).toBe(N);

    const rows = await t.db.select({ id: dossiers.id, code: dossiers.code, citizenId: dossiers.citizenId, status: dossiers.status, channel: dossiers.channel })
      .from(dossiers).where(eq(dossiers.agencyCode, place.agencyCode));
    expect(rows).toHaveLength(N);
    const owner = new Map(batch.map((d, i) => [results[i].ok ? results[i].value.dossierId : "", d.citizen.id]));
    for (const r of rows) expect([r.citizenId, r.status, r.channel]).toEqual([owner.get(r.id), 1, 2]);

    const sync = await t.db.select().from(syncState).where(inArray(syncState.dossierId, ids));
    expect(sync).toHaveLength(N);
    // the declaration's consent, once per dossier, for its applicant
    const given = await t.db.select().from(consents).where(inArray(consents.dossierId, ids));
    expect(given).toHaveLength(N);
    for (const c of given) expect([c.citizenId, c.scope, c.channel]).toEqual([owner.get(c.dossierId!), "filing.personal_data", "online"]);
    expect(sync.every((s) => s.wantedVersion === 1 && s.syncedVersion === 0 && s.deadAt === null)).toBe(true);

    const events = await t.db.select({ dossierId: dossierEvents.dossierId, seq: dossierEvents.seq, status: dossierEvents.status }).from(dossierEvents).where(inArray(dossierEvents.dossierId, ids));
    expect(events).toHaveLength(N);
    expect(new Set(events.map((e) => e.dossierId)).size).toBe(N);
    expect(events.every((e) => e.seq === 1 && e.status === 1)).toBe(true);

    const closed = await t.db.select({ id: drafts.id, dossierId: drafts.submittedDossierId }).from(drafts).where(inArray(drafts.id, batch.map((d) => d.draftId)));
    expect(closed).toHaveLength(N);
    for (const d of closed) expect(d.dossierId).toBe(byDraft.get(d.id)!.dossierId);

    const files = await t.db.select({ draftId: attachments.draftId, dossierId: attachments.dossierId }).from(attachments).where(inArray(attachments.dossierId, ids));
    expect(files).toHaveLength(N);
    for (const f of files) expect(f.dossierId).toBe(byDraft.get(f.draftId!)!.dossierId);

    // one SMS and one email per dossier, naming its own code
    const queued = await t.db.select({ dossierId: notifications.dossierId, channel: notifications.channel, template: notifications.template, status: notifications.status, params: notifications.params })
      .from(notifications).where(inArray(notifications.dossierId, ids));
    expect(queued).toHaveLength(2 * N);
    const codeOf = new Map(rows.map((r) => [r.id, r.code]));
    for (const id of ids) {
      const mine = queued.filter((q) => q.dossierId === id);
      expect(mine.map((q) => q.channel).sort()).toEqual(["email", "sms"]);
      for (const q of mine) expect([q.template, q.status, (q.params as { code: string }).code]).toEqual(["submitted", "pending", codeOf.get(id)]);
    }
  });

  it("the audit chain stays linear: one entry per dossier, and the log verifies", async () => {
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.action, "dossier.create"));
    expect(n).toBe(N);
    const v = await verifyAuditLog(t.db);
    expect(v.ok).toBe(true);
  });

  it("the same draft submitted several times at once makes one dossier (its payment moves with it)", async () => {
    const last = ready[N];
    // a paid fee (as after PayGov) travels from the draft to the dossier in the same transaction
    const [payment] = await t.db.insert(payments).values({
      reference: `QN-TEST-${last.draftId.slice(0, 8)}`, citizenId: last.citizen.id, draftId: last.draftId, procedureCode: "1.001193",
      amountVnd: 8000, status: "paid", paidAt: now, expiresAt: new Date(now.getTime() + 3600_000),
    }).returning({ id: payments.id });
    const again = await Promise.all(Array.from({ length: 6 }, () => submit(last)));
    expect(again.every((r) => r.ok)).toBe(true);
    const made = new Set(again.map((r) => (r.ok ? `${r.value.dossierId} ${r.value.code}` : "")));
    expect(made.size).toBe(1);
    const [dossierId, code] = [...made][0].split(" ");
    expect(code).toBe(`${place.agencyCode}-${day}-${String(N + 1).padStart(4, "0")}`);
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(dossiers).where(eq(dossiers.citizenId, last.citizen.id));
    expect(n).toBe(1);
    expect(await t.db.select().from(syncState).where(eq(syncState.dossierId, dossierId))).toHaveLength(1);
    expect(await t.db.select().from(notifications).where(eq(notifications.dossierId, dossierId))).toHaveLength(2);
    const [moved] = await t.db.select({ dossierId: payments.dossierId }).from(payments).where(eq(payments.id, payment.id));
    expect(moved.dossierId).toBe(dossierId);
    // and the earlier ones, submitted again, answer with their dossier rather than a second one
    const repeat = await submit(batch[0]);
    expect(repeat).toEqual(results[0]);
    const [{ total }] = await t.db.select({ total: sql<number>`count(*)::int` }).from(dossiers);
    expect(total).toBe(N + 1);
  });
});

// Counter filing by a one-stop desk officer (channel 1) on the real database engine, with the
// population database and the national portal as their real mocks over HTTP: the dossier is
// filed, paid in cash and received in one transaction, and reaches the national portal with its
// two progress steps in order; another agency's dossier, an official who does not work the
// desk, and a card that does not match the population record are refused with nothing written.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counterDraft, startCounterFiling, submitCounterFiling } from "~/modules/backoffice/counter.server";
import { feeFor, loadForm, saveStep } from "~/modules/filing/filing.server";
import { activeSlots, type FormValues } from "~/modules/forms/forms.schema";
import { syncDossier } from "~/modules/sync/sync.server";
import { agencies, attachments, auditLog, consents, dossierEvents, dossiers, drafts, payments, populationLookups, staffUsers, syncState } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";
import { testCitizens } from "~integrations/population/fixtures";
import { PopulationRegistryHttp } from "~integrations/population/http";
import { startPopulationMock, type RunningPopulationMock } from "~integrations/population/mock/server";
import { requireStaff, type StaffUser } from "~/modules/identity/staff-auth.server";
import { createSession } from "~/modules/identity/sessions.server";
import * as startRoute from "~/routes/can-bo.nop._index";
import * as stepRoute from "~/routes/can-bo.nop.$draftId.$step";
import * as discardRoute from "~/routes/can-bo.nop.$draftId.huy";
import { openTestDb, type TestDb } from "../support/db";
import { freePort } from "../support/server";
import { routeAnswer } from "../support/route-answer";
import { testContext } from "../support/services";

const AN = testCitizens.find((c) => c.identityNumber === "022085004517")!;
const BINH = testCitizens.find((c) => c.identityNumber === "022190318264")!;
const PROCEDURE = "1.004222"; // permanent residence registration: to the commune police of the new residence
const OWN = "000.01.31.H49"; // motcua01's agency (commune 01's police)
const OTHER = "000.02.31.H49";

let t: TestDb;
let popMock: RunningPopulationMock;
let national: RunningMock;
let population: PopulationRegistryHttp;
const staff: Record<string, StaffUser> = {};
const communeOf: Record<string, string> = {};
/** The request id of every look-up the population mock answered. */
const asked: string[] = [];

beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  for (const u of await t.db.select().from(staffUsers)) staff[u.username] = u;
  for (const a of await t.db.select().from(agencies).where(sql`${agencies.code} in (${OWN}, ${OTHER})`)) communeOf[a.code] = a.communeCode!;
  popMock = await startPopulationMock({ port: await freePort(), token: "counter-test-token", log: (l) => { if (l.msg === "lookup") asked.push(String(l.MaYeuCau)); } });
  population = new PopulationRegistryHttp({ baseUrl: popMock.url, token: "counter-test-token", timeoutMs: 5000 });
  national = await startMock({ port: 0 });
  // the routes' database and population database are this test's
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  process.env.POPULATION_URL = popMock.url;
  process.env.POPULATION_TOKEN = "counter-test-token";
}, 60_000);
afterAll(async () => {
  await national?.close();
  await popMock?.close();
  await t?.cleanup();
});

const count = async (table: string, where = "true") => (await t.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`))[0].n;
const card = (who: typeof AN) => ({ procedureCode: PROCEDURE, idNumber: who.identityNumber, fullName: who.fullName, birthDate: who.birthDate, consent: true });

/** A counter draft filled in to the review step: both form steps saved, a clean file in every required slot. */
async function readyDraft(officer: StaffUser, who: typeof AN, newAgency: string) {
  const started = await startCounterFiling(t.db, officer, card(who), population, "test-desk");
  if (!started.ok) throw new Error(started.error.code);
  const { draftId } = started.value;
  const opened = await counterDraft(t.db, officer, draftId);
  const citizenId = opened!.citizen.id;
  const first = await saveStep(t.db, { citizenId, draftId, stepId: "nguoi-nop", raw: opened!.draft.data as Record<string, string> });
  expect(first).toMatchObject({ ok: true });
  const second = await saveStep(t.db, { citizenId, draftId, stepId: "noi-cu-tru", raw: { newCommune: communeOf[newAgency], newDetail: "Số 12, đường Trần Hưng Đạo", basis: "so-huu" } });
  expect(second).toMatchObject({ ok: true });
  const [d] = await t.db.select().from(drafts).where(eq(drafts.id, draftId));
  const form = await loadForm(t.db, PROCEDURE);
  for (const slot of activeSlots(form!.def, d.data as FormValues).filter((s) => s.required)) {
    await t.db.insert(attachments).values({ citizenId, draftId, slot: slot.slot, fileName: `${slot.slot}.pdf`, mime: "application/pdf", size: 1234, sha256: `${slot.slot}`.padEnd(64, "0"), scan: "clean" });
  }
  await t.db.update(drafts).set({ step: "xem-lai" }).where(eq(drafts.id, draftId));
  return { draftId, citizenId, values: d.data as FormValues };
}

describe("counter filing", () => {
  it("files, takes the fee in cash and receives the dossier at once; the national portal sees it filed directly, then received", async () => {
    const officer = staff.motcua01;
    const { draftId, citizenId, values } = await readyDraft(officer, AN, OWN);
    // the citizen's consent by signature: the officer, no device, the counter's channel
    const [consent] = await t.db.select().from(consents).where(and(eq(consents.citizenId, citizenId), eq(consents.scope, "counter.assisted_filing")));
    expect(consent).toMatchObject({ channel: "counter", officerId: officer.id, deviceId: null, idNumber: AN.identityNumber });
    const fee = await feeFor(t.db, PROCEDURE, values);
    expect(fee).toBeGreaterThan(0);

    // a fee is not waived: without the cash receipt nothing is filed
    expect(await submitCounterFiling(t.db, officer, draftId, { lang: "vi" })).toMatchObject({ ok: false, error: { code: "filing.unpaid" } });
    const r = await submitCounterFiling(t.db, officer, draftId, { lang: "vi", cashReceipt: "BL-000123", device: "test-desk" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;

    const [d] = await t.db.select().from(dossiers).where(eq(dossiers.id, r.value.dossierId));
    expect(d).toMatchObject({ channel: 1, status: 2, agencyCode: OWN, citizenId, helperStaffId: officer.id, helperKioskId: null, helperAgencyCode: OWN, feeVnd: fee });
    expect(d.receivedAt).toBeInstanceOf(Date);
    expect(d.dueAt).toBeInstanceOf(Date);
    expect(d.dueAt!.getTime()).toBeGreaterThan(d.receivedAt!.getTime());
    const events = await t.db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, d.id)).orderBy(dossierEvents.seq);
    expect(events.map((e) => [e.seq, e.status])).toEqual([[1, 1], [2, 2]]);
    expect(events[1].actorName).toBe(officer.fullName);

    const [p] = await t.db.select().from(payments).where(eq(payments.dossierId, d.id));
    expect(p).toMatchObject({ method: "cash", status: "paid", amountVnd: fee, providerTxn: "BL-000123", citizenId, draftId });
    expect(p.paidAt).toBeInstanceOf(Date);
    const [declaration] = await t.db.select().from(consents).where(eq(consents.dossierId, d.id));
    expect(declaration).toMatchObject({ scope: "filing.personal_data", channel: "counter", officerId: officer.id, deviceId: null });
    const [draft] = await t.db.select().from(drafts).where(eq(drafts.id, draftId));
    expect(draft.submittedDossierId).toBe(d.id);
    // one message per channel (filed, with code and appointment), not a second one for the receipt
    const sent = await t.query<{ channel: string; template: string }>(`select channel, template from notifications where dossier_id = '${d.id}' order by channel`);
    expect(sent).toEqual([{ channel: "email", template: "submitted" }, { channel: "sms", template: "submitted" }]);

    const audit = await t.db.select({ action: auditLog.action, actorId: auditLog.actorId, subjectId: auditLog.subjectId, details: auditLog.details }).from(auditLog).orderBy(auditLog.id);
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["population.lookup", "consent.granted"]));
    const forDossier = audit.filter((a) => a.subjectId === d.code);
    expect(forDossier.map((a) => a.action)).toEqual(["dossier.create", "dossier.status", "payment.cash"]);
    expect(forDossier[1]).toMatchObject({ actorId: officer.username, details: { from: 1, to: 2 } });
    // one look-up: the identity check's answer also prefills the draft, which names that look-up
    expect(await count("population_lookups", `id_number = '${AN.identityNumber}' and requested_by_id = '${officer.id}'`)).toBe(1);
    const [check] = await t.query<{ purpose: string }>(`select purpose from population_lookups where id_number = '${AN.identityNumber}' and requested_by_id = '${officer.id}'`);
    expect(asked.filter((id) => id === check.purpose)).toHaveLength(1);
    expect(asked.filter((id) => id.startsWith("draft:"))).toEqual([]);
    expect(audit.find((a) => a.action === "draft.prefilled")).toMatchObject({ actorId: officer.username, details: { lookup: check.purpose } });

    // two changes for the national portal: the filing and the receipt
    const [sync] = await t.db.select().from(syncState).where(eq(syncState.dossierId, d.id));
    expect(sync.wantedVersion).toBe(2);
    const portal = new NationalPortalHttp({ baseUrl: national.url, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 5000 });
    await syncDossier(t.db, portal, d.id);
    const looked = await portal.call("TraCuuHoSo", { mahoso: d.code });
    expect(looked.kind).toBe("ok");
    const there = (looked as { answer: { result: { MaHoSo: string; KenhThucHien: number; TrangThaiHoSo: number; NgayTiepNhan: string; TienDoXuLy: { TrangThai: number }[] } } }).answer.result;
    expect(there).toMatchObject({ MaHoSo: d.code, KenhThucHien: 1, TrangThaiHoSo: 2 });
    expect(there.NgayTiepNhan).toBeTruthy();
    expect(there.TienDoXuLy.map((x) => x.TrangThai)).toEqual([1, 2]);
  }, 60_000);

  it("refuses a dossier that resolves to another agency, with nothing written", async () => {
    const officer = staff.motcua01;
    const { draftId } = await readyDraft(officer, BINH, OTHER);
    const before = { dossiers: await count("dossiers"), payments: await count("payments"), consents: await count("consents"), sync: await count("sync_state"), audit: await count("audit_log") };
    const r = await submitCounterFiling(t.db, officer, draftId, { lang: "vi", cashReceipt: "BL-000124" });
    expect(r).toMatchObject({ ok: false, error: { code: "filing.other_agency", i18nKey: "filing.errors.otherAgency" } });
    expect({ dossiers: await count("dossiers"), payments: await count("payments"), consents: await count("consents"), sync: await count("sync_state"), audit: await count("audit_log") }).toEqual(before);
    const [draft] = await t.db.select().from(drafts).where(eq(drafts.id, draftId));
    expect(draft.submittedDossierId).toBeNull();
    // a procedure whose dossiers can never come to this desk is refused before anything is looked up
    const lookups = await count("population_lookups");
    expect(await startCounterFiling(t.db, staff.motcua02, card(AN), population)).toMatchObject({ ok: false, error: { code: "counter.other_agency" } });
    expect(await count("population_lookups")).toBe(lookups);
  }, 60_000);

  it("refuses a specialist and a leader (audited), and another officer's draft", async () => {
    const { draftId } = await readyDraft(staff.motcua01, AN, OWN);
    const before = { lookups: await count("population_lookups"), consents: await count("consents"), drafts: await count("drafts"), dossiers: await count("dossiers") };
    for (const who of ["chuyenvien01", "lanhdao01"]) {
      expect(await startCounterFiling(t.db, staff[who], card(AN), population)).toMatchObject({ ok: false, error: { code: "counter.forbidden", status: 403 } });
      expect(await submitCounterFiling(t.db, staff[who], draftId, { lang: "vi", cashReceipt: "X" })).toMatchObject({ ok: false, error: { code: "counter.forbidden" } });
      const refusals = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "desk.refused_access"), eq(auditLog.actorId, who)));
      expect(refusals.map((a) => (a.details as { attempted: string }).attempted)).toEqual(["counter.start", "counter.submit"]);
    }
    expect({ lookups: await count("population_lookups"), consents: await count("consents"), drafts: await count("drafts"), dossiers: await count("dossiers") }).toEqual(before);
    // another desk officer (same role, other agency) cannot open or file this officer's draft
    expect(await counterDraft(t.db, staff.motcua02, draftId)).toBeNull();
    expect(await submitCounterFiling(t.db, staff.motcua02, draftId, { lang: "vi", cashReceipt: "X" })).toMatchObject({ ok: false, error: { code: "counter.draft_not_found" } });
  }, 60_000);

  it("refuses a card that does not match the population record: the look-up is logged, nothing else is written", async () => {
    const officer = staff.motcua01;
    const before = { citizens: await count("citizens"), consents: await count("consents"), drafts: await count("drafts") };
    const r = await startCounterFiling(t.db, officer, { ...card(BINH), fullName: "Nguyễn Văn Khác" }, population);
    expect(r).toMatchObject({ ok: false, error: { code: "counter.not_matched", i18nKey: "kiosk.errors.notMatched" } });
    expect(await startCounterFiling(t.db, officer, { ...card(BINH), consent: false }, population)).toMatchObject({ ok: false, error: { code: "counter.consent_required" } });
    expect({ citizens: await count("citizens"), consents: await count("consents"), drafts: await count("drafts") }).toEqual(before);
    const [logged] = await t.db.select().from(populationLookups).where(eq(populationLookups.idNumber, BINH.identityNumber)).orderBy(sql`${populationLookups.id} desc`).limit(1);
    expect(logged).toMatchObject({ requestedByKind: "officer", requestedById: officer.id, outcome: "mismatch" });
  }, 60_000);

  describe("the counter's pages", () => {
    const cookieFor = async (username: string) => `qn_staff=${await createSession(t.db, { kind: "staff", userId: staff[username].id, stage: "full", ttlMs: 3600_000 })}`;
    const context = testContext("counter-test");


    it("answers a specialist and a leader 403 (audited), and lists the desk's own procedures for a desk officer", async () => {
      for (const who of ["chuyenvien01", "lanhdao01"]) {
        const cookie = await cookieFor(who);
        const before = await count("audit_log", `action = 'desk.refused_access' and actor_id = '${who}'`);
        const page = await routeAnswer(() => startRoute.loader({ request: new Request("http://127.0.0.1/can-bo/nop", { headers: { cookie } }), params: {}, context }));
        expect(page).toMatchObject({ status: 403, cache: "no-store" });
        expect(await count("audit_log", `action = 'desk.refused_access' and actor_id = '${who}'`)).toBe(before + 1);
      }
      const cookie = await cookieFor("motcua01");
      const ok = await routeAnswer(() => startRoute.loader({ request: new Request("http://127.0.0.1/can-bo/nop", { headers: { cookie } }), params: {}, context }));
      expect(ok).toMatchObject({ status: 200, cache: "no-store" });
      const body = JSON.parse(ok.body) as { procedures: { code: string }[] };
      // the commune police's residence procedures, not the commune committee's
      expect(body.procedures.map((p) => p.code)).toEqual(expect.arrayContaining(["1.004194", PROCEDURE]));
      expect(body.procedures.map((p) => p.code)).not.toContain("1.001193");
    });

    it("refuses a POST without the officer's CSRF token, and a draft that is not the officer's", async () => {
      const cookie = await cookieFor("motcua01");
      const lookups = await count("population_lookups");
      const forged = await routeAnswer(() => startRoute.action({
        request: new Request("http://127.0.0.1/can-bo/nop", {
          method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrf: "forged", procedureCode: PROCEDURE, idNumber: AN.identityNumber, fullName: AN.fullName, birthDate: "14/03/1985", consent: "on" }),
        }),
        params: {}, context,
      }));
      expect(forged.status).toBe(403);
      expect(await count("population_lookups")).toBe(lookups);
      const { draftId } = await readyDraft(staff.motcua01, AN, OWN);
      const other = await cookieFor("motcua02");
      const page = await routeAnswer(() => stepRoute.loader({ request: new Request(`http://127.0.0.1/can-bo/nop/${draftId}/xem-lai`, { headers: { cookie: other } }), params: { draftId, step: "xem-lai" }, context }));
      expect(page.status).toBe(404);
      const mine = await routeAnswer(() => stepRoute.loader({ request: new Request(`http://127.0.0.1/can-bo/nop/${draftId}/xem-lai`, { headers: { cookie } }), params: { draftId, step: "xem-lai" }, context }));
      expect(mine).toMatchObject({ status: 200, cache: "no-store" });
      expect(mine.body).toContain(AN.fullName);
    });

    it("discards the officer's own unfinished draft with its scans (audited); nobody else's, and never without the token", async () => {
      const { draftId, citizenId } = await readyDraft(staff.motcua01, AN, OWN);
      const files = await count("attachments", `draft_id = '${draftId}'`);
      expect(files).toBeGreaterThan(0);
      const discard = (cookie: string, csrf: string) => routeAnswer(() => discardRoute.action({
        request: new Request(`http://127.0.0.1/can-bo/nop/${draftId}/huy`, {
          method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ csrf }),
        }),
        params: { draftId }, context,
      }));
      const csrfOf = async (cookie: string) => (await requireStaff(t.db, new Request("http://127.0.0.1/", { headers: { cookie } }))).csrf;
      // another desk officer, a forged token, a specialist: nothing is deleted
      const other = await cookieFor("motcua02");
      expect((await discard(other, await csrfOf(other))).status).toBe(404);
      const mine = await cookieFor("motcua01");
      expect((await discard(mine, "forged")).status).toBe(403);
      const specialist = await cookieFor("chuyenvien01");
      expect((await discard(specialist, await csrfOf(specialist))).status).toBe(403);
      expect(await count("drafts", `id = '${draftId}'`)).toBe(1);
      expect(await count("attachments", `draft_id = '${draftId}'`)).toBe(files);

      const done = await discard(mine, await csrfOf(mine));
      expect(done.status).toBe(302);
      expect(await count("drafts", `id = '${draftId}'`)).toBe(0);
      expect(await count("attachments", `draft_id = '${draftId}'`)).toBe(0);
      const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.action, "counter.draft_discarded")).orderBy(sql`${auditLog.id} desc`).limit(1);
      expect(entry).toMatchObject({ actorId: "motcua01", subjectId: citizenId, details: { draft: draftId, files } });
      // gone: a second discard finds nothing
      expect((await discard(mine, await csrfOf(mine))).status).toBe(404);
    });
  });
});

// Kiosk mode's consent and device rules on the real database engine: identification against the
// population database (the real mock over HTTP), one-time consent codes (expired, reused, brute
// forced, rate limits per officer and device), the guard without consent, officer and commune
// scoping of the reports, revoked devices and idle sessions.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { createSession } from "~/modules/identity/sessions.server";
import { startAssistedDraft } from "~/modules/kiosk/assisted-filing.server";
import { identifyCitizen, LIMITS, MAX_CODE_ATTEMPTS, sendConsentCode, verifyConsentCode } from "~/modules/kiosk/consent.server";
import { enrolDevice, revokeDevice } from "~/modules/kiosk/devices.server";
import { requireKiosk, type KioskContext } from "~/modules/kiosk/guard.server";
import { assistedReport } from "~/modules/kiosk/reports.server";
import { endOfficerSessions, startSession, sweepIdleSessions } from "~/modules/kiosk/sessions.server";
import { consents, drafts, kioskSessions, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { DEMO_KIOSKS, seedDemoKiosks, seedDemoStaff } from "~db/seed-demo";
import type { SmsMessage, SmsSender } from "~integrations/notify/port";
import { testCitizens } from "~integrations/population/fixtures";
import { PopulationRegistryHttp } from "~integrations/population/http";
import { startPopulationMock, type RunningPopulationMock } from "~integrations/population/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { freePort } from "../support/server";
import { testServices } from "../support/services";

const AN = testCitizens.find((c) => c.identityNumber === "022085004517")!;
const BINH = testCitizens.find((c) => c.identityNumber === "022190318264")!;
const HUY = testCitizens.find((c) => c.identityNumber === "022219560731")!; // a child: no phone

/** An SMS gateway that keeps what it was asked to send. */
class CapturingSms implements SmsSender {
  sent: SmsMessage[] = [];
  async send(m: SmsMessage) {
    this.sent.push(m);
    return { ok: true as const, id: String(this.sent.length) };
  }
  lastCodeTo(phone: string): string {
    const m = [...this.sent].reverse().find((x) => x.to === phone);
    const code = /\b(\d{6})\b/.exec(m?.text ?? "")?.[1];
    if (!code) throw new Error(`no code sent to ${phone}`);
    return code;
  }
}

let t: TestDb;
let mock: RunningPopulationMock;
let population: PopulationRegistryHttp;
const sms = new CapturingSms();
const devices: string[] = []; // device cookies: kiosk 01, 02 (commune 01), 03 (commune 02)
const officers: Record<string, { id: string; cookie: string }> = {};

beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  await seedDemoKiosks(t.db);
  for (const k of DEMO_KIOSKS) {
    const r = await enrolDevice(t.db, k.enrolCode);
    if (!r.ok) throw new Error(r.error.code);
    devices.push(`qn_kiosk_device=${r.value.token}`);
  }
  for (const u of await t.db.select().from(staffUsers)) {
    const token = await createSession(t.db, { kind: "staff", userId: u.id, stage: "full", ttlMs: 3600_000 });
    officers[u.username] = { id: u.id, cookie: `qn_staff=${token}` };
  }
  mock = await startPopulationMock({ port: await freePort(), token: "kiosk-test-token" });
  population = new PopulationRegistryHttp({ baseUrl: mock.url, token: "kiosk-test-token", timeoutMs: 5000 });
}, 60_000);
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});

const req = (...cookies: string[]) => new Request("http://127.0.0.1/quay", { headers: { cookie: cookies.filter(Boolean).join("; ") } });

/** What the guard threw (a redirect or a refusal), or null when it let the request through. */
async function refusal(p: Promise<unknown>): Promise<{ status: number; location: string | null } | null> {
  try {
    await p;
    return null;
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return { status: thrown.status, location: thrown.headers.get("location") };
  }
}

/** A fresh assisted session for an officer on a device: its cookies and the guard's context. */
async function session(officer: string, device: number) {
  const base = [officers[officer].cookie, devices[device]];
  const first = await requireKiosk(t.db, outside.storage, req(...base), "officer");
  const { token } = await startSession(t.db, outside.storage, first);
  const cookies = [...base, `qn_kiosk=${token}`];
  return { cookies, ctx: () => requireKiosk(t.db, outside.storage, req(...cookies), "session") };
}

const services = { population: () => population, sms, lng: "vi" as const };
/** The portal's own outside systems (its file storage); this file's population and SMS are above. */
const outside = testServices();
const identify = (ctx: KioskContext, who = AN) =>
  identifyCitizen(t.db, ctx, { idNumber: who.identityNumber, fullName: who.fullName, birthDate: who.birthDate, via: "qr" }, { population: services.population(), sms, lng: "vi" });

describe("identification and consent", () => {
  it("shows nothing personal and files nothing until the citizen's code is verified", async () => {
    const s = await session("congan01", 0);
    expect(await refusal(requireKiosk(t.db, outside.storage, req(...s.cookies), "consented"))).toEqual({ status: 302, location: "/quay" });
    // a name that does not match the record is refused like an unknown number: no code is sent
    const before = sms.sent.length;
    expect(await identifyCitizen(t.db, await s.ctx(), { idNumber: AN.identityNumber, fullName: "Nguyễn Văn Khác", birthDate: AN.birthDate, via: "manual" }, { population, sms, lng: "vi" }))
      .toMatchObject({ ok: false, error: { code: "kiosk.not_matched" } });
    expect(sms.sent.length).toBe(before);
    const r = await identify(await s.ctx());
    expect(r).toEqual({ ok: true, value: { maskedPhone: `•••••••${AN.phone!.slice(-3)}` } });
    // the code went to the phone on record, and still nothing is open: not the page, not a draft
    expect(sms.sent.at(-1)!.to).toBe(AN.phone);
    const awaiting = await s.ctx();
    expect(awaiting.citizen).toBeNull();
    expect(await refusal(requireKiosk(t.db, outside.storage, req(...s.cookies), "consented"))).toEqual({ status: 302, location: "/quay" });
    expect(await startAssistedDraft(t.db, awaiting, "1.004222", population)).toMatchObject({ ok: false, error: { code: "kiosk.needs_consent" } });
    expect((await t.query<{ n: number }>(`select count(*)::int as n from drafts`))[0].n).toBe(0);

    expect(await verifyConsentCode(t.db, awaiting, sms.lastCodeTo(AN.phone!))).toMatchObject({ ok: true });
    const consented = await requireKiosk(t.db, outside.storage, req(...s.cookies), "consented");
    expect(consented.citizen?.idNumber).toBe(AN.identityNumber);
    const [c] = await t.db.select().from(consents).where(eq(consents.idNumber, AN.identityNumber));
    expect(c).toMatchObject({ scope: "kiosk.assisted_filing", channel: "sms", officerId: officers.congan01.id });
    expect(c.grantedAt).toBeInstanceOf(Date);
  });

  it("a citizen with no phone on record is identified but no code is sent (consent only from their own e-ID)", async () => {
    const s = await session("congan01", 0);
    const before = sms.sent.length;
    expect(await identify(await s.ctx(), HUY)).toEqual({ ok: true, value: { maskedPhone: null } });
    expect(sms.sent.length).toBe(before);
    expect(await sendConsentCode(t.db, await s.ctx(), { sms, lng: "vi" })).toMatchObject({ ok: false, error: { code: "kiosk.no_phone" } });
    expect(await verifyConsentCode(t.db, await s.ctx(), "000000")).toMatchObject({ ok: false, error: { code: "kiosk.no_code" } });
    expect((await s.ctx()).citizen).toBeNull();
    expect(await refusal(requireKiosk(t.db, outside.storage, req(...s.cookies), "consented"))).toEqual({ status: 302, location: "/quay" });
  });

  it("refuses a reused code: single use, one consent", async () => {
    const s = await session("congan01", 0);
    await identify(await s.ctx(), BINH);
    const code = sms.lastCodeTo(BINH.phone!);
    expect(await verifyConsentCode(t.db, await s.ctx(), code)).toMatchObject({ ok: true });
    expect(await verifyConsentCode(t.db, await s.ctx(), code)).toMatchObject({ ok: false, error: { code: "kiosk.code_used" } });
    // in another session (another citizen's visit) the old code means nothing either
    const other = await session("congan01", 0);
    await identify(await other.ctx(), BINH);
    const fresh = sms.lastCodeTo(BINH.phone!);
    if (fresh !== code) expect(await verifyConsentCode(t.db, await other.ctx(), code)).toMatchObject({ ok: false, error: { code: "kiosk.code_wrong" } });
    const [{ n }] = await t.db.select({ n: sql<number>`count(*)::int` }).from(consents).where(eq(consents.idNumber, BINH.identityNumber));
    expect(n).toBe(1);
  });

  it("refuses an expired code, even the right one", async () => {
    const s = await session("congan01", 0);
    await identify(await s.ctx());
    const later = new Date(Date.now() + 5 * 60_000 + 1000); // KIOSK_CODE_TTL_SECONDS defaults to 300
    expect(await verifyConsentCode(t.db, await s.ctx(), sms.lastCodeTo(AN.phone!), later)).toMatchObject({ ok: false, error: { code: "kiosk.code_expired" } });
    expect((await s.ctx()).citizen).toBeNull();
  });

  it("locks a code after the attempt limit: brute force fails even when the right code comes next", async () => {
    const s = await session("congan01", 0);
    await identify(await s.ctx());
    const right = sms.lastCodeTo(AN.phone!);
    const wrong = (n: number) => String((Number(right) + n) % 1_000_000).padStart(6, "0");
    const answers = [];
    for (let i = 1; i <= MAX_CODE_ATTEMPTS; i++) answers.push(await verifyConsentCode(t.db, await s.ctx(), wrong(i)));
    expect(answers.map((a) => (a.ok ? "ok" : a.error.code))).toEqual([...Array(MAX_CODE_ATTEMPTS - 1).fill("kiosk.code_wrong"), "kiosk.code_locked"]);
    expect(await verifyConsentCode(t.db, await s.ctx(), right)).toMatchObject({ ok: false, error: { code: "kiosk.code_locked" } });
    // parallel guesses cannot get past the limit either
    const again = await session("congan02", 1);
    await identify(await again.ctx());
    const right2 = sms.lastCodeTo(AN.phone!);
    const ctx2 = await again.ctx();
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => verifyConsentCode(t.db, ctx2, String((Number(right2) + i + 1) % 1_000_000).padStart(6, "0"))));
    expect(burst.every((b) => !b.ok)).toBe(true);
    const [{ attempts }] = await t.query<{ attempts: number }>(`select attempts from kiosk_consent_codes where session_id = '${ctx2.session!.id}'`);
    expect(attempts).toBe(MAX_CODE_ATTEMPTS);
    expect(await verifyConsentCode(t.db, ctx2, right2)).toMatchObject({ ok: false, error: { code: "kiosk.code_locked" } });
  });

  it("rate-limits sending codes per officer, whichever device they use, and per device", async () => {
    await t.query("delete from rate_limits");
    const s = await session("congan02", 1);
    await identify(await s.ctx(), BINH); // one code sent
    const results = [];
    for (let i = 0; i < LIMITS.sendCode.officer + 2; i++) results.push(await sendConsentCode(t.db, await s.ctx(), { sms, lng: "vi" }));
    const firstRefused = results.findIndex((r) => !r.ok);
    expect(firstRefused).toBe(LIMITS.sendCode.officer - 1);
    expect(results[firstRefused]).toMatchObject({ ok: false, error: { code: "kiosk.rate_limited", status: 429 } });
    // the same officer on the other kiosk is still limited (keyed on the officer, not the address)
    const moved = await session("congan02", 0);
    await t.query(`update kiosk_sessions set state = 'awaiting_consent', id_number = '${BINH.identityNumber}', full_name = 'x', phone = '${BINH.phone}' where id = '${(await moved.ctx()).session!.id}'`);
    expect(await sendConsentCode(t.db, await moved.ctx(), { sms, lng: "vi" })).toMatchObject({ ok: false, error: { code: "kiosk.rate_limited" } });
    // a colleague at the same commune (same NAT, another device) is not
    const colleague = await session("congan01", 0);
    expect(await identify(await colleague.ctx(), BINH)).toMatchObject({ ok: true });
    const [{ n }] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'kiosk.anomaly'");
    expect(n).toBeGreaterThan(0);
  });
});

describe("devices, officers and sessions", () => {
  it("needs a registered device and a police officer of the device's own commune", async () => {
    expect(await refusal(requireKiosk(t.db, outside.storage, req(officers.congan01.cookie), "officer"))).toEqual({ status: 302, location: "/quay/thiet-bi" });
    expect(await refusal(requireKiosk(t.db, outside.storage, req(devices[0]), "officer"))).toEqual({ status: 302, location: "/can-bo/dang-nhap" });
    expect(await refusal(requireKiosk(t.db, outside.storage, req(officers.motcua01.cookie, devices[0]), "officer"))).toMatchObject({ status: 403 });
    expect(await refusal(requireKiosk(t.db, outside.storage, req(officers.congan03.cookie, devices[0]), "officer"))).toMatchObject({ status: 403 });
    expect(await refusal(requireKiosk(t.db, outside.storage, req(officers.congan03.cookie, devices[2]), "officer"))).toBeNull();
    // an enrolment code works once
    expect(await enrolDevice(t.db, DEMO_KIOSKS[0].enrolCode)).toMatchObject({ ok: false, error: { code: "kiosk.bad_enrol_code" } });
  });

  it("an assisted session belongs to its officer and device: a copied cookie opens nothing", async () => {
    const s = await session("congan01", 0);
    const kioskCookie = s.cookies[2];
    const elsewhere = await requireKiosk(t.db, outside.storage, req(officers.congan02.cookie, devices[0], kioskCookie), "officer");
    expect(elsewhere.session).toBeNull();
    expect(await refusal(requireKiosk(t.db, outside.storage, req(officers.congan01.cookie, devices[1], kioskCookie), "session"))).toEqual({ status: 302, location: "/quay" });
  });

  it("a revoked kiosk stops working on its next request; its open session and draft are gone", async () => {
    const admin = (await t.db.select().from(staffUsers).where(eq(staffUsers.username, "quantri")))[0];
    await t.query("delete from rate_limits"); // the rate-limit test used up congan02's codes
    const s = await session("congan02", 1);
    await identify(await s.ctx());
    await verifyConsentCode(t.db, await s.ctx(), sms.lastCodeTo(AN.phone!));
    const ctx = await requireKiosk(t.db, outside.storage, req(...s.cookies), "consented");
    const d = await startAssistedDraft(t.db, ctx, "1.004222", population);
    if (!d.ok) throw new Error(d.error.code);
    expect(await revokeDevice(t.db, outside.storage, admin, ctx.device.id)).toMatchObject({ ok: true });
    expect(await refusal(requireKiosk(t.db, outside.storage, req(...s.cookies), "officer"))).toEqual({ status: 302, location: "/quay/thiet-bi" });
    expect(await t.db.select().from(kioskSessions).where(eq(kioskSessions.deviceId, ctx.device.id))).toEqual([]);
    expect(await t.db.select().from(drafts).where(eq(drafts.id, d.value.draftId))).toEqual([]);
    // an officer cannot revoke
    const officer = (await t.db.select().from(staffUsers).where(eq(staffUsers.username, "congan01")))[0];
    expect(await revokeDevice(t.db, outside.storage, officer, ctx.device.id)).toMatchObject({ ok: false });
  });

  it("an idle session ends on the server: the next request finds nothing and the draft is deleted", async () => {
    const s = await session("congan01", 0);
    await identify(await s.ctx(), BINH);
    await verifyConsentCode(t.db, await s.ctx(), sms.lastCodeTo(BINH.phone!));
    const ctx = await requireKiosk(t.db, outside.storage, req(...s.cookies), "consented");
    const d = await startAssistedDraft(t.db, ctx, "1.004222", population);
    if (!d.ok) throw new Error(d.error.code);
    await t.query(`update kiosk_sessions set last_seen_at = now() - interval '10 minutes' where id = '${ctx.session!.id}'`);
    expect(await refusal(requireKiosk(t.db, outside.storage, req(...s.cookies), "session"))).toEqual({ status: 302, location: "/quay" });
    expect(await t.db.select().from(drafts).where(eq(drafts.id, d.value.draftId))).toEqual([]);
    const [consent] = await t.db.select().from(consents).where(eq(consents.id, ctx.session!.consentId!));
    expect(consent.endedAt).toBeInstanceOf(Date);
  });

  it("the background sweep ends idle sessions whose kiosk never comes back (the officer signed out, the screen was switched off)", async () => {
    const s = await session("congan01", 0);
    const id = (await s.ctx()).session!.id;
    expect(await sweepIdleSessions(t.db, outside.storage)).toBe(0);
    await t.query(`update kiosk_sessions set last_seen_at = now() - interval '10 minutes' where id = '${id}'`);
    expect(await sweepIdleSessions(t.db, outside.storage)).toBe(1);
    expect(await t.db.select().from(kioskSessions).where(eq(kioskSessions.id, id))).toEqual([]);
  });

  it("an officer's sign-out ends their open assisted sessions and deletes the unfinished draft", async () => {
    await t.query("delete from rate_limits");
    const s = await session("congan01", 0);
    await identify(await s.ctx(), BINH);
    await verifyConsentCode(t.db, await s.ctx(), sms.lastCodeTo(BINH.phone!));
    const ctx = await requireKiosk(t.db, outside.storage, req(...s.cookies), "consented");
    const d = await startAssistedDraft(t.db, ctx, "1.004222", population);
    if (!d.ok) throw new Error(d.error.code);
    expect(await endOfficerSessions(t.db, outside.storage, ctx.officer.id)).toBe(1);
    expect(await t.db.select().from(kioskSessions).where(eq(kioskSessions.officerId, ctx.officer.id))).toEqual([]);
    expect(await t.db.select().from(drafts).where(eq(drafts.id, d.value.draftId))).toEqual([]);
    expect(await endOfficerSessions(t.db, outside.storage, ctx.officer.id)).toBe(0);
  });
});

describe("reports", () => {
  it("an officer sees only dossiers they helped with; the commune view only their commune's", async () => {
    const users = Object.fromEntries((await t.db.select().from(staffUsers)).map((u) => [u.username, u]));
    const kiosks = await t.query<{ id: string; agency_code: string }>("select id, agency_code from kiosk_devices order by label");
    const file = async (officer: string, kiosk: number, procedure: string, agency: string) => {
      const r = await createDossier(t.db, {
        procedureCode: procedure, agencyCode: agency, channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: AN.identityNumber,
        actor: { name: "Nguyễn Văn An", kind: "citizen" }, helper: { staffId: users[officer].id, kioskId: kiosks[kiosk].id, agencyCode: users[officer].agencyCode },
      });
      if (!r.ok) throw new Error(r.error.code);
    };
    await file("congan01", 0, "1.004222", "000.01.31.H49");
    await file("congan01", 0, "1.004194", "000.01.31.H49");
    await file("congan02", 1, "1.004222", "000.01.31.H49");
    await file("congan03", 2, "1.004222", "000.02.31.H49");
    // and one filed by a citizen alone
    await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "X", actor: { name: "X", kind: "citizen" } });

    const mine = await assistedReport(t.db, users.congan01, "mine");
    expect(mine.total).toEqual({ today: 2, month: 2 });
    expect(mine.byOfficer.map((o) => o.label)).toEqual(["Đỗ Văn Kiên"]);
    expect(mine.byProcedure.map((p) => [p.label.slice(0, 8), p.month])).toEqual([["1.004194", 1], ["1.004222", 1]]);
    const commune = await assistedReport(t.db, users.congan01, "commune");
    expect(commune.total.month).toBe(3);
    expect(commune.byOfficer.map((o) => [o.label, o.month]).sort()).toEqual([["Hoàng Minh Tâm", 1], ["Đỗ Văn Kiên", 2]]);
    expect(commune.byKiosk.map((k) => [k.label, k.month]).sort()).toEqual([[DEMO_KIOSKS[0].label, 2], [DEMO_KIOSKS[1].label, 1]]);
    const other = await assistedReport(t.db, users.congan03, "commune");
    expect(other.total.month).toBe(1);
    expect(other.byOfficer.map((o) => o.label)).toEqual(["Lý Thị Nga"]);
  });
});

// Consent at a kiosk from the citizen's own e-ID session: the kiosk asks (a single-use request,
// only its hash stored, shown as a QR code of /dong-y/<token>), the citizen signed in with VNeID
// approves or refuses on /dong-y/<token>. Only the citizen the kiosk identified may answer, once,
// before expiry, while the kiosk session lives; refusals write nothing. Through the real route
// modules (loaders and actions) on this test's database.
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/modules/identity/sessions.server";
import { identifyCitizen } from "~/modules/kiosk/consent.server";
import { enrolDevice } from "~/modules/kiosk/devices.server";
import { answerEidApproval, requestEidApproval } from "~/modules/kiosk/eid-consent.server";
import { requireKiosk } from "~/modules/kiosk/guard.server";
import { endSession, startSession } from "~/modules/kiosk/sessions.server";
import { citizens, consents, kioskApprovals, kioskSessions, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { DEMO_KIOSKS, seedDemoKiosks, seedDemoStaff } from "~db/seed-demo";
import { testCitizens } from "~integrations/population/fixtures";
import { PopulationRegistryHttp } from "~integrations/population/http";
import { startPopulationMock, type RunningPopulationMock } from "~integrations/population/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { freePort } from "../support/server";

import * as approvalPage from "~/routes/dong-y.$token";
import * as home from "~/routes/quay._index";
import { routeAnswer } from "../support/route-answer";
import { testContext, testServices } from "../support/services";

const AN = testCitizens.find((c) => c.identityNumber === "022085004517")!;
const BINH = testCitizens.find((c) => c.identityNumber === "022190318264")!;

let t: TestDb;
let mock: RunningPopulationMock;
let population: PopulationRegistryHttp;
let device: string;
let officer: { id: string; cookie: string; name: string };
const citizenCookie: Record<string, string> = {};
const citizenCsrf: Record<string, string> = {};
const sms = { send: async () => ({ ok: true as const, id: "1" }) };

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  await seedDemoKiosks(t.db);
  const d = await enrolDevice(t.db, DEMO_KIOSKS[0].enrolCode);
  if (!d.ok) throw new Error(d.error.code);
  device = `qn_kiosk_device=${d.value.token}`;
  const [u] = await t.db.select().from(staffUsers).where(eq(staffUsers.username, "congan01"));
  officer = { id: u.id, name: u.fullName, cookie: `qn_staff=${await createSession(t.db, { kind: "staff", userId: u.id, stage: "full", ttlMs: 3600_000 })}` };
  // An and Bình have signed in with VNeID before (their accounts and e-ID sessions)
  for (const c of [AN, BINH]) {
    const [row] = await t.db.insert(citizens).values({ sub: `vneid-${c.identityNumber}`, idNumber: c.identityNumber, fullName: c.fullName, phone: c.phone ?? null }).returning();
    const token = await createSession(t.db, { kind: "citizen", userId: row.id, stage: "full", ttlMs: 3600_000 });
    citizenCookie[c.identityNumber] = `qn_citizen=${token}`;
    const s = await approvalPage.loader(args(get("/dong-y/x", citizenCookie[c.identityNumber]), { token: "x" }));
    citizenCsrf[c.identityNumber] = (s as unknown as { data: { csrf: string } }).data.csrf;
  }
  mock = await startPopulationMock({ port: await freePort(), token: "kiosk-eid-token" });
  population = new PopulationRegistryHttp({ baseUrl: mock.url, token: "kiosk-eid-token", timeoutMs: 5000 });
}, 60_000);
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});

const services = testServices();
const context = testContext("kiosk-eid-test", { services });
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });
const get = (path: string, cookie: string) => new Request(`http://127.0.0.1${path}`, { headers: { cookie } });
const post = (path: string, cookie: string, fields: Record<string, string>) => new Request(`http://127.0.0.1${path}`, {
  method: "POST", body: new URLSearchParams(fields), headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
});


/** A kiosk session in which the officer identified `who` (the citizen is awaiting consent). */
async function identified(who = AN) {
  const base = [officer.cookie, device].join("; ");
  const first = await requireKiosk(t.db, services.storage, get("/quay", base), "officer");
  const { token } = await startSession(t.db, services.storage, first);
  const cookies = `${base}; qn_kiosk=${token}`;
  const ctx = () => requireKiosk(t.db, services.storage, get("/quay", cookies), "session");
  const r = await identifyCitizen(t.db, await ctx(), { idNumber: who.identityNumber, fullName: who.fullName, birthDate: who.birthDate, via: "qr" }, { population, sms, lng: "vi" });
  if (!r.ok) throw new Error(r.error.code);
  return { cookies, ctx, csrf: (await ctx()).csrf };
}

/** The officer presses "approve with VNeID" on the kiosk page: the token comes back only in the kiosk's cookie. */
async function askOnKiosk(s: Awaited<ReturnType<typeof identified>>) {
  const o = await routeAnswer(() => home.action(args(post("/quay", s.cookies, { csrf: s.csrf, intent: "approve-eid" }))));
  expect(o).toMatchObject({ status: 302, location: "/quay" });
  const token = /qn_kiosk_approval=([A-Za-z0-9_-]+)/.exec(o.setCookie ?? "")?.[1];
  if (!token) throw new Error("no approval cookie");
  expect(o.setCookie).toMatch(/HttpOnly/);
  return { token, kioskCookies: `${s.cookies}; qn_kiosk_approval=${token}` };
}

const answer = (token: string, who: string, intent: "approve" | "refuse", csrf = citizenCsrf[who]) =>
  routeAnswer(() => approvalPage.action(args(post(`/dong-y/${token}`, citizenCookie[who], { csrf, intent }), { token })));
const consentCount = async (idNumber: string) => (await t.db.select({ n: sql<number>`count(*)::int` }).from(consents).where(eq(consents.idNumber, idNumber)))[0].n;
const sessionRow = async (s: { ctx: () => Promise<{ session: { id: string } | null }> }) => {
  const id = (await s.ctx()).session!.id;
  return (await t.db.select().from(kioskSessions).where(eq(kioskSessions.id, id)))[0];
};

describe("consent from the citizen's own e-ID", () => {
  it("the identified citizen approves: a vneid consent, the kiosk session consented, the request used up", async () => {
    const s = await identified(AN);
    const { token, kioskCookies } = await askOnKiosk(s);
    // the kiosk shows the QR code and the address; the address carries the token and nothing personal
    const page = await routeAnswer(() => home.loader(args(get("/quay", kioskCookies))));
    const shown = JSON.parse(page.body) as { approval: { url: string; qr: string } | null };
    expect(shown.approval?.url).toMatch(new RegExp(`/dong-y/${token}$`));
    expect(shown.approval?.qr).toMatch(/^data:image\/png;base64,/);
    for (const secret of [AN.identityNumber, AN.fullName, AN.phone!]) expect(shown.approval!.url).not.toContain(secret);

    // not signed in: the ordinary e-ID login, which comes back here
    const anon = await routeAnswer(() => approvalPage.loader(args(get(`/dong-y/${token}`, ""), { token })));
    expect(anon).toMatchObject({ status: 302, location: `/dang-nhap?returnTo=${encodeURIComponent(`/dong-y/${token}`)}` });

    // signed in: who asks, where, what for
    const ask = await routeAnswer(() => approvalPage.loader(args(get(`/dong-y/${token}`, citizenCookie[AN.identityNumber]), { token })));
    expect(ask.status).toBe(200);
    expect(ask.body).toContain(officer.name);
    expect(ask.body).toContain(DEMO_KIOSKS[0].label);
    // a form without the citizen's CSRF token is refused and changes nothing
    expect((await answer(token, AN.identityNumber, "approve", "forged")).status).toBe(403);
    expect(await consentCount(AN.identityNumber)).toBe(0);

    expect(await answer(token, AN.identityNumber, "approve")).toMatchObject({ status: 200, body: expect.stringContaining('"outcome":"approved"') });
    const consented = await requireKiosk(t.db, services.storage, get("/quay", s.cookies), "consented");
    expect(consented.citizen?.idNumber).toBe(AN.identityNumber);
    const [c] = await t.db.select().from(consents).where(eq(consents.idNumber, AN.identityNumber));
    expect(c).toMatchObject({ scope: "kiosk.assisted_filing", channel: "vneid", officerId: officer.id, deviceId: consented.device.id, endedAt: null });
    expect(consented.session).toMatchObject({ state: "consented", consentId: c.id, citizenId: c.citizenId });
    // the consent went to the account An signs in with (no second, unclaimed account)
    expect((await t.db.select().from(citizens).where(eq(citizens.idNumber, AN.identityNumber))).map((x) => x.sub)).toEqual([`vneid-${AN.identityNumber}`]);
    const [audit] = await t.query<{ details: { channel: string } }>("select details from audit_log where action = 'consent.granted' order by id desc limit 1");
    expect(audit.details.channel).toBe("vneid");
    // the kiosk proceeds as after a right SMS code: the citizen's name and the procedures
    expect((await routeAnswer(() => home.loader(args(get("/quay", kioskCookies))))).body).toContain('"view":"consented"');

    // used once: approving again (or refusing) is refused, and nothing more is written
    const again = await answer(token, AN.identityNumber, "approve");
    expect(again.status).toBe(410);
    expect(again.body).toContain("kiosk.errors.approvalInvalid");
    expect((await answer(token, AN.identityNumber, "refuse")).status).toBe(410);
    expect(await consentCount(AN.identityNumber)).toBe(1);
  });

  it("stores only the token's SHA-256", async () => {
    const s = await identified(BINH);
    const { token } = await askOnKiosk(s);
    const rows = await t.query<Record<string, unknown>>(`select * from kiosk_approvals where session_id = '${(await s.ctx()).session!.id}'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token);
    // nor anywhere else the kiosk writes: the session row and the audit log
    const elsewhere = await t.query<{ n: number }>(`select count(*)::int as n from audit_log where details::text like '%${token}%'`);
    expect(elsewhere[0].n).toBe(0);
  });

  it("refuses another citizen's e-ID (someone else's phone): nothing written but an audit entry, the request still open for the right citizen", async () => {
    const s = await identified(AN);
    const { token } = await askOnKiosk(s);
    const before = await consentCount(AN.identityNumber);
    const page = await routeAnswer(() => approvalPage.loader(args(get(`/dong-y/${token}`, citizenCookie[BINH.identityNumber]), { token })));
    expect(page.status).toBe(403);
    expect(page.body).toContain("kiosk.errors.approvalWrongCitizen");
    expect(page.body).not.toContain(officer.name); // nothing of the kiosk's request is shown either
    const r = await answer(token, BINH.identityNumber, "approve");
    expect(r.status).toBe(403);
    expect(r.body).toContain("kiosk.errors.approvalWrongCitizen");
    expect(await consentCount(AN.identityNumber)).toBe(before);
    expect(await consentCount(BINH.identityNumber)).toBe(0);
    expect(await sessionRow(s)).toMatchObject({ state: "awaiting_consent", consentId: null, citizenId: null });
    const [row] = await t.db.select().from(kioskApprovals).where(eq(kioskApprovals.tokenHash, createHash("sha256").update(token).digest("hex")));
    expect(row).toMatchObject({ usedAt: null, outcome: null });
    // a refusal by the wrong citizen does not consume it either
    expect((await answer(token, BINH.identityNumber, "refuse")).status).toBe(403);
    // each wrong answer is in the audit log: who answered, for which kiosk session — not the token
    const [binh] = await t.db.select().from(citizens).where(eq(citizens.idNumber, BINH.identityNumber));
    const audited = await t.query<{ actor_kind: string; actor_id: string; subject_id: string; details: { approval: string; answer: string } }>(
      "select actor_kind, actor_id, subject_id, details from audit_log where action = 'kiosk.approval_wrong_citizen' and subject_id = $1 order by id", [(await s.ctx()).session!.id]);
    expect(audited.map((a) => [a.actor_kind, a.actor_id, a.details.approval, a.details.answer])).toEqual([["citizen", binh.id, row.id, "approve"], ["citizen", binh.id, row.id, "refuse"]]);
    expect(JSON.stringify(audited)).not.toContain(token);
    expect(await answer(token, AN.identityNumber, "approve")).toMatchObject({ status: 200 });
  });

  it("refuses an expired request, even from the right citizen", async () => {
    const s = await identified(AN);
    const { token } = await askOnKiosk(s);
    const [acct] = await t.db.select().from(citizens).where(eq(citizens.idNumber, AN.identityNumber));
    const before = await consentCount(AN.identityNumber);
    const later = new Date(Date.now() + 5 * 60_000 + 1000); // KIOSK_CODE_TTL_SECONDS defaults to 300
    expect(await answerEidApproval(t.db, token, acct, "approve", later)).toMatchObject({ ok: false, error: { code: "kiosk.approval_invalid" } });
    // and through the page, with a request that expired a second ago
    await t.query(`update kiosk_approvals set expires_at = now() - interval '1 second' where token_hash = '${createHash("sha256").update(token).digest("hex")}'`);
    const r = await answer(token, AN.identityNumber, "approve");
    expect(r.status).toBe(410);
    expect(await consentCount(AN.identityNumber)).toBe(before);
    expect(await sessionRow(s)).toMatchObject({ state: "awaiting_consent", consentId: null });
    // the kiosk says so instead of waiting
    expect((await routeAnswer(() => home.loader(args(get("/quay", `${s.cookies}; qn_kiosk_approval=${token}`))))).body).toContain('"approvalExpired":true');
  });

  it("the citizen refuses: the kiosk is not consented and says so; the request is used up", async () => {
    const s = await identified(AN);
    const { token, kioskCookies } = await askOnKiosk(s);
    const before = await consentCount(AN.identityNumber);
    expect(await answer(token, AN.identityNumber, "refuse")).toMatchObject({ status: 200, body: expect.stringContaining('"outcome":"refused"') });
    expect(await consentCount(AN.identityNumber)).toBe(before);
    expect(await sessionRow(s)).toMatchObject({ state: "awaiting_consent", consentId: null });
    await expect(requireKiosk(t.db, services.storage, get("/quay", s.cookies), "consented")).rejects.toBeInstanceOf(Response);
    const page = JSON.parse((await routeAnswer(() => home.loader(args(get("/quay", kioskCookies))))).body) as { view: string; approvalRefused: boolean; approval: unknown };
    expect(page).toMatchObject({ view: "consent", approvalRefused: true, approval: null });
    expect((await answer(token, AN.identityNumber, "approve")).status).toBe(410);
    expect(await consentCount(AN.identityNumber)).toBe(before);
  });

  it("refuses once the kiosk session has ended (or idled), and an unknown token", async () => {
    const s = await identified(AN);
    const { token } = await askOnKiosk(s);
    const before = await consentCount(AN.identityNumber);
    const id = (await sessionRow(s)).id;
    await t.query(`update kiosk_sessions set last_seen_at = now() - interval '10 minutes' where id = '${id}'`);
    expect((await answer(token, AN.identityNumber, "approve")).body).toContain("kiosk.errors.approvalSessionEnded");
    await t.query(`update kiosk_sessions set last_seen_at = now() where id = '${id}'`);
    await endSession(t.db, services.storage, await s.ctx(), { keepDraft: false });
    const r = await answer(token, AN.identityNumber, "approve");
    expect(r.status).toBe(410);
    expect(r.body).toContain("kiosk.errors.approvalSessionEnded");
    expect(await consentCount(AN.identityNumber)).toBe(before);
    const unknown = "A".repeat(43);
    expect((await answer(unknown, AN.identityNumber, "approve")).body).toContain("kiosk.errors.approvalInvalid");
    expect((await answer("not-a-token", AN.identityNumber, "approve")).body).toContain("kiosk.errors.approvalInvalid");
    expect(await consentCount(AN.identityNumber)).toBe(before);
  });

  it("a new request replaces the previous one; requests are rate-limited like codes", async () => {
    await t.query("delete from rate_limits");
    const s = await identified(BINH);
    const first = await requestEidApproval(t.db, await s.ctx());
    const second = await requestEidApproval(t.db, await s.ctx());
    if (!first.ok || !second.ok) throw new Error("not created");
    expect((await answer(first.value.token, BINH.identityNumber, "approve")).status).toBe(410);
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await requestEidApproval(t.db, await s.ctx()));
    expect(results.some((r) => !r.ok && r.error.code === "kiosk.rate_limited")).toBe(true);
  });

  it("the kiosk page's 429 says when to come back (Retry-After), on the page too", async () => {
    await t.query("delete from rate_limits");
    const s = await identified(BINH);
    let refused: Awaited<ReturnType<typeof routeAnswer>> | undefined;
    for (let i = 0; i < 12 && !refused; i++) {
      const o = await routeAnswer(() => home.action(args(post("/quay", s.cookies, { csrf: s.csrf, intent: "approve-eid" }))));
      if (o.status === 429) refused = o;
    }
    expect(refused?.body).toContain("kiosk.errors.rateLimited");
    const seconds = Number(refused?.retryAfter);
    expect(seconds).toBeGreaterThan(0);
    // Remix builds the page's headers from the route's headers export alone
    const page = new Headers(home.headers({ actionHeaders: new Headers({ "Retry-After": String(seconds) }), loaderHeaders: new Headers(), parentHeaders: new Headers(), errorHeaders: undefined }));
    expect([page.get("retry-after"), page.get("cache-control")]).toEqual([String(seconds), "no-store"]);
  });
});

describe("a citizen without a phone on record", () => {
  it("consents from their own e-ID: the kiosk offers no code, only the VNeID approval", async () => {
    await t.query("delete from rate_limits");
    // Bình's phone is not on record in this test's population answer
    const s = await identified(BINH);
    await t.query(`update kiosk_sessions set phone = null where id = '${(await sessionRow(s)).id}'`);
    const page = JSON.parse((await routeAnswer(() => home.loader(args(get("/quay", s.cookies))))).body) as { view: string; maskedPhone: string | null };
    expect(page).toMatchObject({ view: "consent", maskedPhone: null });
    const { token } = await askOnKiosk(s);
    expect(await answer(token, BINH.identityNumber, "approve")).toMatchObject({ status: 200 });
    expect((await requireKiosk(t.db, services.storage, get("/quay", s.cookies), "consented")).citizen?.idNumber).toBe(BINH.identityNumber);
  });
});

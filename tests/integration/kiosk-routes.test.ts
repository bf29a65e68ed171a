// Without the citizen's verified consent, no kiosk route shows anything personal or opens a draft
// or files a dossier — every loader and action of kiosk mode (and the citizen's own filing routes)
// called with the kiosk's cookies while the citizen has been identified but has not typed the
// code. The same calls after consent do reach the citizen's data: the check can fail.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/modules/identity/sessions.server";
import { identifyCitizen, verifyConsentCode } from "~/modules/kiosk/consent.server";
import { enrolDevice } from "~/modules/kiosk/devices.server";
import { requireKiosk } from "~/modules/kiosk/guard.server";
import { startSession } from "~/modules/kiosk/sessions.server";
import { staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { DEMO_KIOSKS, seedDemoKiosks, seedDemoStaff } from "~db/seed-demo";
import type { SmsMessage } from "~integrations/notify/port";
import { testCitizens } from "~integrations/population/fixtures";
import { PopulationRegistryHttp } from "~integrations/population/http";
import { startPopulationMock, type RunningPopulationMock } from "~integrations/population/mock/server";
import { openTestDb, type TestDb } from "../support/db";
import { freePort } from "../support/server";

import * as frame from "~/routes/quay";
import * as home from "~/routes/quay._index";
import * as step from "~/routes/quay.nop.$step";
import * as receipt from "~/routes/quay.bien-nhan";
import * as end from "~/routes/quay.ket-thuc";
import * as keepAlive from "~/routes/quay.giu-phien";
import * as report from "~/routes/quay.bao-cao";
import * as reportCsv from "~/routes/quay.bao-cao-csv";
import * as ownStep from "~/routes/nop.$draftId.$step";
import * as ownStart from "~/routes/nop._index";
import * as ownDossiers from "~/routes/ho-so._index";
import { routeAnswer } from "../support/route-answer";
import { testContext, testServices } from "../support/services";

const AN = testCitizens.find((c) => c.identityNumber === "022085004517")!;
const SECRETS = [AN.fullName, AN.identityNumber, AN.phone!, AN.email!, AN.currentAddress.detail];

let t: TestDb;
let mock: RunningPopulationMock;
let cookies: string;
let csrf: string;
const sent: SmsMessage[] = [];

beforeAll(async () => {
  t = await openTestDb();
  // the routes' database and population database are this test's
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  mock = await startPopulationMock({ port: await freePort(), token: "kiosk-routes-token" });
  process.env.POPULATION_URL = mock.url;
  process.env.POPULATION_TOKEN = "kiosk-routes-token";
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  await seedDemoKiosks(t.db);
  const device = await enrolDevice(t.db, DEMO_KIOSKS[0].enrolCode);
  if (!device.ok) throw new Error(device.error.code);
  const [officer] = await t.db.select().from(staffUsers).where(sql`username = 'congan01'`);
  const staff = await createSession(t.db, { kind: "staff", userId: officer.id, stage: "full", ttlMs: 3600_000 });
  const base = `qn_kiosk_device=${device.value.token}; qn_staff=${staff}`;
  const first = await requireKiosk(t.db, services.storage, new Request("http://127.0.0.1/quay", { headers: { cookie: base } }), "officer");
  const { token } = await startSession(t.db, services.storage, first);
  cookies = `${base}; qn_kiosk=${token}`;
  const ctx = await requireKiosk(t.db, services.storage, get("/quay"), "session");
  csrf = ctx.csrf;
  const population = new PopulationRegistryHttp({ baseUrl: mock.url, token: "kiosk-routes-token", timeoutMs: 5000 });
  const r = await identifyCitizen(t.db, ctx, { idNumber: AN.identityNumber, fullName: AN.fullName, birthDate: AN.birthDate, via: "qr" }, {
    population, lng: "vi", sms: { send: async (m) => (sent.push(m), { ok: true, id: "1" }) },
  });
  if (!r.ok) throw new Error(r.error.code);
}, 60_000);
afterAll(async () => {
  await mock?.close();
  await t?.cleanup();
});

function get(path: string) {
  return new Request(`http://127.0.0.1${path}`, { headers: { cookie: cookies } });
}
function post(path: string, fields: Record<string, string>) {
  return new Request(`http://127.0.0.1${path}`, {
    method: "POST", body: new URLSearchParams({ csrf, ...fields }),
    headers: { cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
  });
}

const services = testServices();
const context = testContext("kiosk-routes-test", { services });
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });

const FORM_STEPS = ["nguoi-nop", "noi-cu-tru", "tai-lieu", "xem-lai"];

/** Every kiosk route, as loader and action calls. */
function everyRoute(draftId: string): [string, () => Promise<unknown>][] {
  return [
    ["GET /quay (frame)", () => frame.loader(args(get("/quay")))],
    ["GET /quay", () => home.loader(args(get("/quay")))],
    ["POST /quay file", () => home.action(args(post("/quay", { intent: "file", procedureCode: "1.004222" })))],
    ...FORM_STEPS.flatMap((s): [string, () => Promise<unknown>][] => [
      [`GET /quay/nop/${s}`, () => step.loader(args(get(`/quay/nop/${s}`), { step: s }))],
      [`POST /quay/nop/${s}`, () => step.action(args(post(`/quay/nop/${s}`, { fullName: "x" }), { step: s }))],
    ]),
    ["POST /quay/nop/xem-lai submit", () => step.action(args(post("/quay/nop/xem-lai", { intent: "submit", declaration: "on" }), { step: "xem-lai" }))],
    ["POST /quay/nop/xem-lai pay", () => step.action(args(post("/quay/nop/xem-lai", { intent: "pay" }), { step: "xem-lai" }))],
    ["GET /quay/bien-nhan", () => receipt.loader(args(get("/quay/bien-nhan")))],
    ["GET /quay/ket-thuc", () => end.loader(args(get("/quay/ket-thuc")))],
    ["POST /quay/giu-phien", () => keepAlive.action(args(post("/quay/giu-phien", {})))],
    ["GET /quay/bao-cao", () => report.loader(args(get("/quay/bao-cao?pham-vi=cong-an-xa")))],
    ["GET /quay/bao-cao-csv", () => reportCsv.loader(args(get("/quay/bao-cao-csv?pham-vi=cong-an-xa")))],
    // the citizen's own routes do not accept the kiosk's cookies
    [`GET /nop/${draftId}/nguoi-nop`, () => ownStep.loader(args(get(`/nop/${draftId}/nguoi-nop`), { draftId, step: "nguoi-nop" }))],
    [`POST /nop/${draftId}/xem-lai`, () => ownStep.action(args(post(`/nop/${draftId}/xem-lai`, { intent: "submit", declaration: "on" }), { draftId, step: "xem-lai" }))],
    ["POST /nop", () => ownStart.action(args(post("/nop", { procedureCode: "1.004222" })))],
    ["GET /ho-so", () => ownDossiers.loader(args(get("/ho-so")))],
  ];
}

const counts = async () => (await t.query<{ drafts: number; dossiers: number }>("select (select count(*)::int from drafts) as drafts, (select count(*)::int from dossiers) as dossiers"))[0];

describe("kiosk routes without consent", () => {
  it("show nothing personal, open no draft and file nothing, by any route", async () => {
    // a draft of the citizen's that exists (opened elsewhere): its id must not help either
    const [{ id: citizenId }] = await t.query<{ id: string }>(
      `insert into citizens (sub, id_number, full_name) values ('unclaimed:${AN.identityNumber}', '${AN.identityNumber}', '${AN.fullName}') returning id`);
    const [{ id: draftId }] = await t.query<{ id: string }>(
      `insert into drafts (citizen_id, procedure_code, form_version, step, expires_at, data) values ('${citizenId}', '1.004222', 1, 'xem-lai', now() + interval '1 day', '{"fullName": "${AN.fullName}"}') returning id`);
    const before = await counts();
    for (const [name, run] of everyRoute(draftId)) {
      const o = await routeAnswer(run);
      for (const secret of SECRETS) expect(o.body, `${name} reveals ${secret}`).not.toContain(secret);
      expect(o.location ?? "", name).not.toMatch(/\d{9,}/);
      expect(o.status, `${name} answered ${o.status}`).not.toBe(500);
      // nothing of the citizen's is served: a redirect to the start, a refusal, or a page without personal data
      if (name.includes("/quay/nop/") || name.includes("bien-nhan") || name === "POST /quay file") expect(o, name).toMatchObject({ status: 302, location: "/quay" });
    }
    expect(await counts()).toEqual(before);
  });

  it("after the citizen types the code, the same routes reach their data (so the check above can fail)", async () => {
    const ctx = await requireKiosk(t.db, services.storage, get("/quay"), "session");
    const code = /\b(\d{6})\b/.exec(sent.at(-1)!.text)![1];
    expect(await verifyConsentCode(t.db, ctx, code)).toMatchObject({ ok: true });
    expect((await routeAnswer(() => home.loader(args(get("/quay"))))).body).toContain(AN.fullName);
    const started = await routeAnswer(() => home.action(args(post("/quay", { intent: "file", procedureCode: "1.004222" }))));
    expect(started).toMatchObject({ status: 302, location: "/quay/nop/nguoi-nop" });
    expect((await routeAnswer(() => step.loader(args(get("/quay/nop/nguoi-nop"), { step: "nguoi-nop" })))).body).toContain(AN.identityNumber);
  });
});

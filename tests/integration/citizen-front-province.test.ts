// CITIZEN_FRONT=province (ADR 025): today's behaviour — the procedure page starts our own online
// filing, the national portal's hand-off link opens the procedure page, /nop asks for sign-in,
// and /ho-so keeps the drafts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/modules/identity/sessions.server";
import * as handOff from "~/routes/nop-ho-so";
import * as ownStart from "~/routes/nop._index";
import * as myDossiers from "~/routes/ho-so._index";
import * as procedurePage from "~/routes/thu-tuc.$code";
import { citizens } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";
import { testContext } from "../support/services";

// read once per process by config(): this file's routes run the province front
process.env.CITIZEN_FRONT = "province";

let t: TestDb;
const context = testContext("citizen-front-test");
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });
const get = (path: string, cookie = "") => new Request(`http://127.0.0.1${path}`, { headers: { cookie } });

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
});
afterAll(async () => t?.cleanup());

describe("province front", () => {
  it("the procedure page's 'file online' starts our own filing", async () => {
    const page = await procedurePage.loader(args(get("/thu-tuc/1.004222"), { code: "1.004222" }));
    expect(page.fileOnline).toEqual({ href: "/nop?thu-tuc=1.004222", national: false });
  });

  it("/nop-ho-so opens the procedure page, and the catalogue for anything else", async () => {
    expect(await routeAnswer(() => handOff.loader(args(get("/nop-ho-so?MaTTHC=1.004222&MaCoQuanThucHien=H49.22"))))).toMatchObject({ status: 302, location: "/thu-tuc/1.004222" });
    expect(await routeAnswer(() => handOff.loader(args(get("/nop-ho-so?MaTTHC=abc"))))).toMatchObject({ status: 302, location: "/thu-tuc" });
  });

  it("/nop asks for the e-ID sign-in, and /ho-so offers the drafts", async () => {
    expect(await routeAnswer(() => ownStart.loader(args(get("/nop?thu-tuc=1.004222"))))).toMatchObject({ status: 302, location: "/dang-nhap?returnTo=%2Fnop%3Fthu-tuc%3D1.004222" });
    const [c] = await t.db.insert(citizens).values({ sub: "sub-front-province", idNumber: "022085990010", fullName: "Vũ Văn Tỉnh" }).returning();
    const token = await createSession(t.db, { kind: "citizen", userId: c.id, stage: "full", ttlMs: 3600_000 });
    const d = JSON.parse((await routeAnswer(() => myDossiers.loader(args(get("/ho-so", `qn_citizen=${token}`))))).body) as { national: boolean };
    expect(d.national).toBe(false);
  });
});

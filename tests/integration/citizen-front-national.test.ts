// CITIZEN_FRONT=national (ADR 025), through the routes on the real database: the procedure page
// and the national portal's hand-off link lead to the national filing page for the procedure and
// its agency, our own online filing routes point there and file nothing, and /ho-so lists the
// citizen's dossiers of every origin with a link to each one the national portal knows.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { createSession } from "~/modules/identity/sessions.server";
import { receiveNationalDossier } from "~/modules/sync/inbound.server";
import * as handOff from "~/routes/nop-ho-so";
import * as ownStart from "~/routes/nop._index";
import * as ownStep from "~/routes/nop.$draftId.$step";
import * as ownDiscard from "~/routes/nop.$draftId.huy";
import * as myDossiers from "~/routes/ho-so._index";
import * as procedurePage from "~/routes/thu-tuc.$code";
import { citizens, dossiers, syncState } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";
import { testContext } from "../support/services";

// read once per process by config(): this file's routes run the national front
process.env.CITIZEN_FRONT = "national";
process.env.NATIONAL_PORTAL_URL = "http://national.test";
const FILING = "http://national.test/nop-ho-so";

let t: TestDb;
const context = testContext("citizen-front-test");
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });
const get = (path: string, cookie = "") => new Request(`http://127.0.0.1${path}`, { headers: { cookie } });
const post = (path: string, body: Record<string, string>, cookie = "") =>
  new Request(`http://127.0.0.1${path}`, { method: "POST", body: new URLSearchParams(body), headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
const filingUrl = (code: string, agency: string) => `${FILING}?MaTTHC=${code}&MaCoQuanThucHien=${agency}`;

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
});
afterAll(async () => t?.cleanup());

describe("national front: filing online hands off to the national portal", () => {
  it("the procedure page's 'file online' is the national filing page for the procedure and its agency, with the note", async () => {
    const residence = await procedurePage.loader(args(get("/thu-tuc/1.004222"), { code: "1.004222" }));
    // permanent residence goes to the commune police the citizen picks: the province's unit is named
    expect(residence.fileOnline).toEqual({ href: filingUrl("1.004222", "000.00.00.H49"), national: true });
    const record = await procedurePage.loader(args(get("/thu-tuc/3.000333"), { code: "3.000333" }));
    // the criminal record certificate's form names one agency: the provincial police
    expect(record.fileOnline).toEqual({ href: filingUrl("3.000333", "000.00.01.H49"), national: true });
  });

  it("/nop-ho-so redirects to the national filing page, with the agency named or the procedure's own", async () => {
    const cases: [string, string][] = [
      ["MaTTHC=1.004222&MaCoQuanThucHien=H49.22", filingUrl("1.004222", "H49.22")],
      ["MaTTHC=1.004222&MaCoQuanThucHien=000.01.31.H49", filingUrl("1.004222", "000.01.31.H49")],
      ["MaTTHC=3.000333", filingUrl("3.000333", "000.00.01.H49")],
    ];
    for (const [query, location] of cases) {
      expect(await routeAnswer(() => handOff.loader(args(get(`/nop-ho-so?${query}`)))), query).toMatchObject({ status: 302, location });
    }
  });

  it("/nop-ho-so refuses bad input with 400 and an unknown procedure or another province's agency with 404, translated", async () => {
    const cases: [string, number, string][] = [
      ["", 400, "Đường dẫn nộp hồ sơ không hợp lệ"],
      ["MaTTHC=abc", 400, "Đường dẫn nộp hồ sơ không hợp lệ"],
      ["MaTTHC=1.004222&MaCoQuanThucHien=%3Cscript%3E", 400, "Đường dẫn nộp hồ sơ không hợp lệ"],
      ["MaTTHC=1.004222&MaTTHC=3.000333", 400, "Đường dẫn nộp hồ sơ không hợp lệ"],
      ["MaTTHC=1.999999", 404, "Không tìm thấy thủ tục có mã 1.999999"],
      ["MaTTHC=1.004222&MaCoQuanThucHien=H01.01", 404, "Cơ quan H01.01 không thuộc danh mục cơ quan của tỉnh"],
      ["MaTTHC=1.004222&MaCoQuanThucHien=000.99.99.H49", 404, "Cơ quan 000.99.99.H49 không thuộc danh mục cơ quan của tỉnh"],
    ];
    for (const [query, status, message] of cases) {
      const a = await routeAnswer(() => handOff.loader(args(get(`/nop-ho-so?${query}`))));
      expect(a.status, query).toBe(status);
      expect(a.body, query).toContain(message);
    }
  });

  it("our own /nop routes answer a page pointing to the national portal and file nothing", async () => {
    const [c] = await t.db.insert(citizens).values({ sub: "sub-front-nop", idNumber: "022085990001", fullName: "Lê Văn Nộp" }).returning();
    const token = await createSession(t.db, { kind: "citizen", userId: c.id, stage: "full", ttlMs: 3600_000 });
    const cookie = `qn_citizen=${token}`;
    const [{ n: draftsBefore }] = await t.query<{ n: number }>("select count(*)::int as n from drafts");
    const start = await routeAnswer(() => ownStart.loader(args(get("/nop?thu-tuc=1.004222", cookie))));
    expect(start.status).toBe(200);
    expect(JSON.parse(start.body).closed).toEqual({ href: filingUrl("1.004222", "000.00.00.H49"), procedureName: "Đăng ký thường trú" });
    // signed in or not, unknown procedure or none: the page, never a redirect or an error
    expect(JSON.parse((await routeAnswer(() => ownStart.loader(args(get("/nop"))))).body).closed).toEqual({ href: "http://national.test", procedureName: null });
    expect(await routeAnswer(() => ownStart.action(args(post("/nop", { procedureCode: "1.004222" }, cookie))))).toMatchObject({ status: 410 });
    const draftId = randomUUID();
    expect(JSON.parse((await routeAnswer(() => ownStep.loader(args(get(`/nop/${draftId}/nguoi-nop`, cookie), { draftId, step: "nguoi-nop" })))).body).closed).toMatchObject({ procedureName: null });
    expect(await routeAnswer(() => ownStep.action(args(post(`/nop/${draftId}/xem-lai`, { intent: "submit", declaration: "on" }, cookie), { draftId, step: "xem-lai" })))).toMatchObject({ status: 410 });
    expect(await routeAnswer(() => ownDiscard.action(args(post(`/nop/${draftId}/huy`, {}, cookie), { draftId })))).toMatchObject({ status: 302, location: "/nop" });
    const [{ n: draftsAfter }] = await t.query<{ n: number }>("select count(*)::int as n from drafts");
    expect(draftsAfter).toBe(draftsBefore);
  });
});

describe("national front: /ho-so", () => {
  it("lists the citizen's dossiers of every origin, each the national portal knows with a link to it there", async () => {
    const idNumber = "022085990002";
    const [c] = await t.db.insert(citizens).values({ sub: "sub-front-list", idNumber, fullName: "Đỗ Thị Hồ Sơ" }).returning();
    const actor = { name: c.fullName, kind: "citizen" as const };
    const base = { procedureCode: "1.004222", agencyCode: "000.01.31.H49", applicantName: c.fullName, applicantIdNumber: idNumber, citizenId: c.id, actor };
    const made = async (extra: Partial<Parameters<typeof createDossier>[1]>) => {
      const r = await createDossier(t.db, { ...base, channel: 2, ...extra });
      if (!r.ok) throw new Error(r.error.code);
      return r.value.code;
    };
    const staffId = randomUUID();
    const online = await made({});
    const onlineSynced = await made({});
    const counter = await made({ channel: 1, initialStatus: 2, helper: { staffId, kioskId: null, agencyCode: "000.01.31.H49" } });
    const kiosk = await made({ helper: { staffId, kioskId: randomUUID(), agencyCode: "000.01.31.H49" } });
    // the sync brought one online dossier to the national side
    await t.db.update(syncState).set({ syncedVersion: 1 }).where(sql`${syncState.dossierId} = (select id from dossiers where code = ${onlineSynced})`);
    // filed on the national portal by the same person (VNeID-verified there): it arrives by push
    const national = "000.01.31.H49-20261207-0000042";
    const inbound = await receiveNationalDossier(t.db, {
      MaHoSo: national, MaTTHC: "1.004222", TenTTHC: "Đăng ký thường trú", KenhThucHien: 2, ChuHoSo: c.fullName, LoaiDoiTuong: 1,
      SoGiayToChuHoSo: idNumber, NgayNopHoSo: "20261207090000", TrangThaiHoSo: 1, DonViXuLy: "000.01.31.H49", TaiKhoanDuocXacThucVoiVNeID: 1,
    }, "push");
    expect(inbound.kind).toBe("created");
    const [arrived] = await t.db.select({ citizenId: dossiers.citizenId }).from(dossiers).where(eq(dossiers.code, national));
    expect(arrived.citizenId).toBe(c.id);

    const token = await createSession(t.db, { kind: "citizen", userId: c.id, stage: "full", ttlMs: 3600_000 });
    const page = await routeAnswer(() => myDossiers.loader(args(get("/ho-so", `qn_citizen=${token}`))));
    expect(page.status).toBe(200);
    const d = JSON.parse(page.body) as { national: boolean; drafts: unknown[]; dossiers: { code: string; filedVia: string; nationalUrl: string | null }[] };
    expect(d.national).toBe(true);
    expect(d.drafts).toEqual([]);
    const byCode = Object.fromEntries(d.dossiers.map((x) => [x.code, { filedVia: x.filedVia, nationalUrl: x.nationalUrl }]));
    const follow = (code: string) => `http://national.test/tra-cuu-ho-so?MaHoSo=${code}`;
    expect(byCode).toEqual({
      [online]: { filedVia: "online", nationalUrl: null },
      [onlineSynced]: { filedVia: "online", nationalUrl: follow(onlineSynced) },
      [counter]: { filedVia: "counter", nationalUrl: null },
      [kiosk]: { filedVia: "kiosk", nationalUrl: null },
      [national]: { filedVia: "national", nationalUrl: follow(national) },
    });
  });

  it("a national dossier whose owner the national side did not verify with VNeID is attached to nobody", async () => {
    const out = await receiveNationalDossier(t.db, {
      MaHoSo: "000.01.31.H49-20261207-0000043", MaTTHC: "1.004222", TenTTHC: "Đăng ký thường trú", KenhThucHien: 2, ChuHoSo: "Người Chưa Xác Thực", LoaiDoiTuong: 1,
      SoGiayToChuHoSo: "022085990003", NgayNopHoSo: "20261207090000", TrangThaiHoSo: 1, DonViXuLy: "000.01.31.H49", TaiKhoanDuocXacThucVoiVNeID: 0,
    }, "push");
    expect(out.kind).toBe("created");
    const [row] = await t.db.select({ citizenId: dossiers.citizenId }).from(dossiers).where(eq(dossiers.code, "000.01.31.H49-20261207-0000043"));
    expect(row.citizenId).toBeNull();
    expect(await t.db.select().from(citizens).where(eq(citizens.idNumber, "022085990003"))).toEqual([]);
  });
});

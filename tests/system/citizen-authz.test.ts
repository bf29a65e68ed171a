// The authorisation matrix of citizen filing, over HTTP against the real server: two citizens sign
// in through the e-ID mock (the real OpenID Connect flow, a cookie jar and manual redirects), B files
// a dossier (upload, submission, receipt) and keeps a paid draft open; then A tries every route with
// B's draft ids, attachment ids, dossier code and payment reference, and nobody signed in tries them
// too. Every answer is a 404 (or 403, 400, or a redirect to sign-in), never a 5xx, never anything
// of B's in the body or the Location, and afterwards not one row of the filing tables and not one
// stored file has changed. Wrong or missing CSRF tokens are refused (403) and change nothing.
//
// The database is compared with the portal stopped (PGlite allows one process per directory), so
// the portal runs twice over the same database and storage directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "~db/client.server";
import { TEST_PASSWORD, testCitizens, type TestCitizen } from "~integrations/population/fixtures";
import { startPopulationMock, type RunningPopulationMock } from "~integrations/population/mock/server";
import { PAYMENT_METHODS } from "~integrations/paygov/mock/page";
import { startPaygovMock, type RunningPaygovMock } from "~integrations/paygov/mock/server";
import { startVneidMock, type RunningVneidMock } from "~integrations/vneid/mock/server";
import { Browser as CookieJarBrowser } from "../support/browser";
import { createScratchDatabase, usingPostgres } from "../support/db";
import { startPortal, type RunningPortal } from "../support/server";

const SECRETS = { vneid: "authz-vneid-secret", population: "authz-population-token", paygov: "authz-paygov-secret" };
const A_ID = "022085004517"; // Nguyễn Văn An
const B_ID = "022190318264"; // Trần Thị Bình
const person = (id: string): TestCitizen => testCitizens.find((c) => c.identityNumber === id)!;
const A = person(A_ID);
const B = person(B_ID);
const B_CHILD = "Phạm Bảo Ngọc";
const B_FILES = ["giay-chung-sinh-binh", "to-khai-ct01-binh", "so-do-binh"];
/** What must never reach A: B's personal data and her documents' names. */
const B_SECRETS = [B.fullName, B.identityNumber, B.phone!, B.email!, B.currentAddress.detail, B_CHILD, ...B_FILES];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "authz-"));
const pgliteDir = path.join(tmp, "pglite");
const storageDir = path.join(tmp, "files");
let databaseUrl = "";
let dropDb: (() => Promise<void>) | undefined;
let op: RunningVneidMock;
let population: RunningPopulationMock;
let paygov: RunningPaygovMock;
let portal: RunningPortal | undefined;

async function start() {
  portal = await startPortal({
    databaseUrl,
    env: {
      PGLITE_DIR: pgliteDir, STORAGE_DIR: storageDir, LOG_LEVEL: "warn", NOTIFICATION_WORKER: "false",
      VNEID_ISSUER: op.url, VNEID_CLIENT_SECRET: SECRETS.vneid,
      POPULATION_URL: population.url, POPULATION_TOKEN: SECRETS.population,
      PAYGOV_URL: paygov.url, PAYGOV_SECRET: SECRETS.paygov,
    },
  });
}
async function stop() {
  await portal?.stop();
  portal = undefined;
}
const base = () => portal!.url;

/** A browser: a cookie jar (every host: the portal and the mocks share 127.0.0.1) and manual redirects; paths are the portal's. */
class Browser extends CookieJarBrowser {
  constructor(readonly name: string) {
    super();
  }
  override fetch(url: string, init: RequestInit = {}): Promise<Response> {
    return super.fetch(new URL(url, base()).href, init);
  }
  post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(form).toString() });
  }
  /** Follows redirects (across hosts) to the first non-redirect answer. */
  async follow(res: Response, from: string): Promise<{ res: Response; url: string }> {
    let url = from;
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      url = new URL(res.headers.get("location")!, url).href;
      res = await this.fetch(url);
    }
    return { res, url };
  }
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1];
const locationOf = (r: Response) => r.headers.get("location") ?? "";

async function signIn(b: Browser, who: TestCitizen) {
  const start = await b.post("/dang-nhap?index", { returnTo: "/ho-so" });
  expect(start.status).toBe(302);
  const login = await b.follow(start, base());
  expect(login.url).toContain(op.url);
  const html = await login.res.text();
  const action = new URL(/<form\b[^>]*\baction="([^"]+)"/.exec(html)![1].replace(/&amp;/g, "&"), op.url).href;
  const done = await b.follow(await b.post(action, { soDinhDanh: who.identityNumber, matKhau: TEST_PASSWORD }), action);
  expect(done.url).toBe(`${base()}/ho-so`);
  expect(done.res.status).toBe(200);
  expect(await done.res.text()).toContain(who.fullName);
}

/** The applicant step every form starts with (the identity fields are locked to the e-ID). */
const applicant = (who: TestCitizen) => ({
  fullName: who.fullName, birthDate: who.birthDate.split("-").reverse().join("/"), sex: who.sex, idNumber: who.identityNumber,
  phone: who.phone ?? "", email: who.email ?? "", currentCommune: who.currentAddress.communeCode, currentDetail: who.currentAddress.detail,
});

const pdf = (label: string) => new Blob([`%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n% ${label}\n`], { type: "application/pdf" });

function multipart(fields: Record<string, string>, files: [slot: string, name: string][]) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  for (const [slot, name] of files) body.append(slot, pdf(name), `${name}.pdf`);
  return body;
}

async function openDraft(b: Browser, procedureCode: string): Promise<{ id: string; csrf: string }> {
  const page = await b.fetch(`/nop?thu-tuc=${procedureCode}`);
  expect(page.status).toBe(200);
  const csrf = csrfOf(await page.text());
  const r = await b.post("/nop?index", { csrf, procedureCode });
  expect(r.status).toBe(302);
  const id = /^\/nop\/([0-9a-f-]{36})\//.exec(locationOf(r))![1];
  return { id, csrf };
}

async function saveStep(b: Browser, draftId: string, step: string, csrf: string, values: Record<string, string>, next: string) {
  const r = await b.post(`/nop/${draftId}/${step}`, { csrf, ...values });
  expect(r.status, `${b.name} ${step}: ${r.status === 200 || r.status === 400 ? await r.text() : ""}`).toBe(302);
  expect(locationOf(r)).toBe(`/nop/${draftId}/${next}`);
}

async function upload(b: Browser, draftId: string, csrf: string, files: [string, string][]) {
  const r = await b.fetch(`/nop/${draftId}/tai-lieu`, { method: "POST", body: multipart({ csrf }, files) });
  expect(r.status).toBe(302);
  expect(locationOf(r)).toBe(`/nop/${draftId}/tai-lieu?da-tai=${files.length}`);
}

// ---- the database and the storage directory, compared with the portal stopped -------------------

const TABLES: [table: string, order: string][] = [
  ["citizens", "id"], ["drafts", "id"], ["attachments", "id"], ["dossiers", "id"], ["dossier_events", "dossier_id, seq"],
  ["payments", "id"], ["notifications", "id"], ["population_lookups", "id"], ["sync_state", "dossier_id"], ["dossier_code_counters", "agency_code, day"],
];

type Snapshot = { rows: Record<string, Record<string, unknown>[]>; files: string[] };

async function snapshot(): Promise<Snapshot> {
  expect(portal, "snapshots are taken with the portal stopped").toBeUndefined();
  const h = await openDb(databaseUrl ? { databaseUrl, poolMax: 2 } : { pgliteDir });
  try {
    const rows: Snapshot["rows"] = {};
    for (const [table, order] of TABLES) {
      rows[table] = JSON.parse(JSON.stringify(await h.query(`select * from ${table} order by ${order}`))) as Record<string, unknown>[];
    }
    const files: string[] = [];
    const walk = (dir: string) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(`${path.relative(storageDir, p)} ${fs.statSync(p).size}`);
      }
    };
    walk(storageDir);
    return { rows, files: files.sort() };
  } finally {
    await h.close();
  }
}

// ---- what A sees ----------------------------------------------------------------------------------

interface Seen { who: string; what: string; status: number; location: string; body: string }
const seen: Seen[] = [];

/** Sends a request as `who`, records the answer for the leak checks, returns it. */
async function attempt(who: Browser, what: string, url: string, init: RequestInit = {}): Promise<Seen> {
  const r = await who.fetch(url, init);
  const s: Seen = { who: who.name, what, status: r.status, location: locationOf(r), body: Buffer.from(await r.arrayBuffer()).toString("utf8") };
  seen.push(s);
  return s;
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(),
});

// soft: one run reports every hole in the matrix, not only the first
const expectRefused = (s: Seen, statuses: number[]) => expect.soft(statuses, `${s.who}: ${s.what} answered ${s.status} ${s.location}`).toContain(s.status);
const expectSignIn = (s: Seen) => {
  expect.soft(s.status, `${s.who}: ${s.what}`).toBe(302);
  expect.soft(s.location, `${s.who}: ${s.what}`).toMatch(/^\/dang-nhap\?returnTo=/);
};

// ---- the scenario ---------------------------------------------------------------------------------

const a = new Browser("A");
const b = new Browser("B");
const ids = {
  bSubmittedDraft: "", bOpenDraft: "", bCode: "", bCsrf: "", aDraft: "", aCsrf: "",
  bPaidReturn: "", bReference: "", bDossierAttachment: "", bDraftAttachment: "", bPaidCode: "", bPaidReference: "",
};
const eReceipt = (code: string, reference: string) => `/ho-so/${code}/bien-lai/${reference}`;
let before: Snapshot;

beforeAll(async () => {
  op = await startVneidMock({ port: 0, clientSecret: SECRETS.vneid, allowAnyLocalRedirect: true, redirectUris: ["http://127.0.0.1:3000/dang-nhap/callback"], postLogoutRedirectUris: ["http://127.0.0.1:3000/"] });
  population = await startPopulationMock({ port: 0, token: SECRETS.population });
  paygov = await startPaygovMock({ port: 0, partners: { QNI: SECRETS.paygov }, callbackRetryDelaysMs: [200] });
  if (usingPostgres()) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "sys");
    databaseUrl = scratch.url;
    dropDb = scratch.drop;
  }
  await start();
  await signIn(b, B);
  await signIn(a, A);

  // B files a birth registration (free): two steps, a document, submission
  const d1 = await openDraft(b, "1.001193");
  ids.bSubmittedDraft = d1.id;
  ids.bCsrf = d1.csrf;
  await saveStep(b, d1.id, "nguoi-nop", d1.csrf, applicant(B), "tre-em");
  await saveStep(b, d1.id, "tre-em", d1.csrf, {
    childName: B_CHILD, childBirthDate: "01/09/2025", childSex: "Nữ", birthPlace: "Bệnh viện Bãi Cháy",
    motherName: B.fullName, fatherName: "", relation: "me", registrationCommune: B.currentAddress.communeCode,
  }, "tai-lieu");
  await upload(b, d1.id, d1.csrf, [["giay-chung-sinh", B_FILES[0]]]);
  expect(locationOf(await b.post(`/nop/${d1.id}/tai-lieu`, { csrf: d1.csrf, intent: "continue" }))).toBe(`/nop/${d1.id}/xem-lai`);
  const submitted = await b.post(`/nop/${d1.id}/xem-lai`, { csrf: d1.csrf, intent: "submit", declaration: "on" });
  expect(submitted.status, portal!.stderr.join("\n").slice(-3000)).toBe(302);
  ids.bCode = decodeURIComponent(/^\/ho-so\/([^?]+)\?moi=1$/.exec(locationOf(submitted))![1]);

  // … and keeps a permanent-residence draft open, its fee paid through PayGov
  const d2 = await openDraft(b, "1.004222");
  ids.bOpenDraft = d2.id;
  await saveStep(b, d2.id, "nguoi-nop", d2.csrf, applicant(B), "noi-cu-tru");
  await saveStep(b, d2.id, "noi-cu-tru", d2.csrf, { newCommune: B.currentAddress.communeCode, newDetail: B.currentAddress.detail, basis: "so-huu", reason: "" }, "tai-lieu");
  await upload(b, d2.id, d2.csrf, [["to-khai-ct01", B_FILES[1]], ["so-huu", B_FILES[2]]]);
  expect(locationOf(await b.post(`/nop/${d2.id}/tai-lieu`, { csrf: d2.csrf, intent: "continue" }))).toBe(`/nop/${d2.id}/xem-lai`);
  const pay = await b.post(`/nop/${d2.id}/xem-lai`, { csrf: d2.csrf, intent: "pay" });
  expect(pay.status).toBe(302);
  expect(locationOf(pay)).toContain(paygov.url);
  const paid = await b.post(locationOf(pay), { action: "pay", PhuongThuc: PAYMENT_METHODS[0].value });
  expect(paid.status).toBe(303);
  const back = new URL(locationOf(paid));
  ids.bPaidReturn = `${back.pathname}${back.search}`;
  ids.bReference = back.searchParams.get("MaThamChieu")!;
  const landed = await b.fetch(ids.bPaidReturn);
  expect(locationOf(landed)).toBe(`/nop/${d2.id}/xem-lai?thanh-toan=ok`);

  // … and files a second permanent residence registration, paid, whose e-receipt A then tries to read
  const d3 = await openDraft(b, "1.004222");
  await saveStep(b, d3.id, "nguoi-nop", d3.csrf, applicant(B), "noi-cu-tru");
  await saveStep(b, d3.id, "noi-cu-tru", d3.csrf, { newCommune: B.currentAddress.communeCode, newDetail: B.currentAddress.detail, basis: "so-huu", reason: "" }, "tai-lieu");
  await upload(b, d3.id, d3.csrf, [["to-khai-ct01", B_FILES[1]], ["so-huu", B_FILES[2]]]); // the same bytes: no new stored file
  expect(locationOf(await b.post(`/nop/${d3.id}/tai-lieu`, { csrf: d3.csrf, intent: "continue" }))).toBe(`/nop/${d3.id}/xem-lai`);
  const pay3 = await b.post(`/nop/${d3.id}/xem-lai`, { csrf: d3.csrf, intent: "pay" });
  const paid3 = await b.post(locationOf(pay3), { action: "pay", PhuongThuc: PAYMENT_METHODS[0].value });
  const back3 = new URL(locationOf(paid3));
  ids.bPaidReference = back3.searchParams.get("MaThamChieu")!;
  expect(locationOf(await b.fetch(`${back3.pathname}${back3.search}`))).toBe(`/nop/${d3.id}/xem-lai?thanh-toan=ok`);
  const submitted3 = await b.post(`/nop/${d3.id}/xem-lai`, { csrf: d3.csrf, intent: "submit", declaration: "on" });
  expect(submitted3.status, portal!.stderr.join("\n").slice(-3000)).toBe(302);
  ids.bPaidCode = decodeURIComponent(/^\/ho-so\/([^?]+)\?moi=1$/.exec(locationOf(submitted3))![1]);

  // A has a draft of her own, at its documents step
  const ad = await openDraft(a, "1.001193");
  ids.aDraft = ad.id;
  ids.aCsrf = ad.csrf;
  await saveStep(a, ad.id, "nguoi-nop", ad.csrf, applicant(A), "tre-em");
  await saveStep(a, ad.id, "tre-em", ad.csrf, {
    childName: "Nguyễn Minh Tuấn", childBirthDate: "02/02/2025", childSex: "Nam", birthPlace: "Hạ Long",
    motherName: "Lê Thị Hoa", fatherName: A.fullName, relation: "cha", registrationCommune: A.currentAddress.communeCode,
  }, "tai-lieu");

  // the callback PayGov fires has landed (or been answered) before the database is compared
  await new Promise((r) => setTimeout(r, 500));
  await stop();
  before = await snapshot();
  const bCitizen = (before.rows.citizens as { id: string; id_number: string }[]).find((c) => c.id_number === B_ID)!;
  const bAttachments = before.rows.attachments as { id: string; citizen_id: string; dossier_id: string | null; draft_id: string }[];
  ids.bDossierAttachment = bAttachments.find((x) => x.citizen_id === bCitizen.id && x.dossier_id)!.id;
  ids.bDraftAttachment = bAttachments.find((x) => x.citizen_id === bCitizen.id && x.draft_id === ids.bOpenDraft)!.id;
  expect((before.rows.payments as { reference: string; status: string }[]).find((p) => p.reference === ids.bReference)?.status).toBe("paid");
  expect(before.files.length).toBe(3);
  await start();
}, 300_000);

afterAll(async () => {
  await stop();
  await Promise.allSettled([op?.close(), population?.close(), paygov?.close()]);
  await dropDb?.();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("citizen A and citizen B's filing", () => {
  it("B sees her own dossier, receipt and draft (the control)", async () => {
    const dossier = await b.fetch(`/ho-so/${ids.bCode}`);
    expect(dossier.status).toBe(200);
    const html = await dossier.text();
    expect(html).toContain(ids.bCode);
    expect(html).toContain(`${B_FILES[0]}.pdf`);
    const receipt = await b.fetch(`/ho-so/${ids.bCode}/bien-nhan.pdf`);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get("content-type")).toBe("application/pdf");
    const paidPage = await (await b.fetch(`/ho-so/${ids.bPaidCode}`)).text();
    expect(paidPage).toContain(`href="${eReceipt(ids.bPaidCode, ids.bPaidReference)}"`);
    const eReceiptPdf = await b.fetch(eReceipt(ids.bPaidCode, ids.bPaidReference));
    expect(eReceiptPdf.status).toBe(200);
    expect(eReceiptPdf.headers.get("content-type")).toBe("application/pdf");
    expect(eReceiptPdf.headers.get("content-disposition")).toBe(`attachment; filename="bien-lai-${ids.bPaidReference}.pdf"`);
    // a free dossier has no payment, and a paid draft not yet filed has no receipt under any dossier
    expect((await b.fetch(eReceipt(ids.bCode, ids.bPaidReference))).status).toBe(404);
    expect((await b.fetch(eReceipt(ids.bPaidCode, ids.bReference))).status).toBe(404);
    for (const step of ["nguoi-nop", "noi-cu-tru", "tai-lieu", "xem-lai"]) expect((await b.fetch(`/nop/${ids.bOpenDraft}/${step}`)).status).toBe(200);
    expect(await (await b.fetch(`/nop/${ids.bOpenDraft}/tai-lieu`)).text()).toContain(`${B_FILES[2]}.pdf`);
  });

  it("A sees her own things, and none of B's in her lists", async () => {
    for (const step of ["nguoi-nop", "tre-em", "tai-lieu"]) expect((await attempt(a, `own ${step}`, `/nop/${ids.aDraft}/${step}`)).status).toBe(200);
    const mine = await attempt(a, "own list", "/ho-so");
    expect(mine.status).toBe(200);
    expect(mine.body).toContain(A.fullName);
    expect(mine.body).toContain(ids.aDraft);
    for (const x of [ids.bCode, ids.bOpenDraft, ids.bSubmittedDraft]) expect(mine.body).not.toContain(x);
    for (const code of ["1.001193", "1.004222"]) {
      const start = await attempt(a, `start ${code}`, `/nop?thu-tuc=${code}`);
      expect(start.status).toBe(200);
      expect(start.body).not.toContain(ids.bOpenDraft);
    }
    // the documents step offers A no document of B's to reuse
    const docs = await attempt(a, "own documents", `/nop/${ids.aDraft}/tai-lieu`);
    expect(docs.body).not.toContain(ids.bDossierAttachment);
  });

  it("A can neither read nor change B's drafts, at any step, by GET or POST", async () => {
    const steps: Record<string, string[]> = { [ids.bOpenDraft]: ["nguoi-nop", "noi-cu-tru", "tai-lieu", "xem-lai"], [ids.bSubmittedDraft]: ["nguoi-nop", "tre-em", "tai-lieu", "xem-lai"] };
    for (const [draft, list] of Object.entries(steps)) {
      for (const step of [...list, "bogus"]) {
        expectRefused(await attempt(a, `GET B ${step}`, `/nop/${draft}/${step}`), [404]);
        expectRefused(await attempt(a, `POST B ${step}`, `/nop/${draft}/${step}`, form({ csrf: ids.aCsrf, ...applicant(A), newCommune: A.currentAddress.communeCode, newDetail: "x", basis: "so-huu" })), [404]);
      }
      expectRefused(await attempt(a, "upload into B's draft", `/nop/${draft}/tai-lieu`, { method: "POST", body: multipart({ csrf: ids.aCsrf }, [["giay-chung-sinh", "a-upload"], ["to-khai-ct01", "a-upload"]]) }), [404]);
      for (const intent of ["continue", "remove"]) {
        expectRefused(await attempt(a, `B tai-lieu ${intent}`, `/nop/${draft}/tai-lieu`, form({ csrf: ids.aCsrf, intent, attachmentId: ids.bDraftAttachment })), [404]);
      }
      for (const intent of ["pay", "submit"]) {
        expectRefused(await attempt(a, `B xem-lai ${intent}`, `/nop/${draft}/xem-lai`, form({ csrf: ids.aCsrf, intent, declaration: "on" })), [404]);
      }
      expectRefused(await attempt(a, "discard B's draft", `/nop/${draft}/huy`, form({ csrf: ids.aCsrf })), [404]);
    }
  });

  it("A cannot remove or reuse B's attachments through her own draft", async () => {
    for (const attachmentId of [ids.bDraftAttachment, ids.bDossierAttachment]) {
      expectRefused(await attempt(a, "remove B's attachment", `/nop/${ids.aDraft}/tai-lieu`, form({ csrf: ids.aCsrf, intent: "remove", attachmentId })), [404]);
      expectRefused(await attempt(a, "reuse B's attachment", `/nop/${ids.aDraft}/tai-lieu`, form({ csrf: ids.aCsrf, intent: "reuse", slot: "giay-chung-sinh", attachmentId })), [404]);
    }
  });

  it("A cannot read B's dossier or its receipt, by its code or anything like it", async () => {
    const codes = [ids.bCode, ids.bCode.toLowerCase(), encodeURIComponent(ids.bCode), `${ids.bCode}%00`, `${ids.bCode}%20`, "%00", "' or '1'='1", "A".repeat(3000)];
    for (const code of codes) {
      expectRefused(await attempt(a, `dossier ${code.slice(0, 30)}`, `/ho-so/${code}`), [404]);
      expectRefused(await attempt(a, `receipt ${code.slice(0, 30)}`, `/ho-so/${code}/bien-nhan.pdf`), [404]);
    }
  });

  it("A cannot read B's payment e-receipt, by its code, its reference or anything like them", async () => {
    const { bPaidCode: code, bPaidReference: ref } = ids;
    for (const [c, r] of [
      [code, ref], [code.toLowerCase(), ref], [code, ref.toLowerCase()], [encodeURIComponent(code), encodeURIComponent(ref)], [`${code}%00`, ref], [code, `${ref}%00`],
      [ids.bCode, ref], ["%00", ref], [code, "' or '1'='1"], [code, "A".repeat(3000)], ["A".repeat(3000), ref], [code, ids.bReference],
    ]) {
      expectRefused(await attempt(a, `e-receipt ${c.slice(0, 30)} ${r.slice(0, 30)}`, eReceipt(c, r)), [404]);
    }
  });

  it("A can neither withdraw, supplement nor rate B's dossier", async () => {
    // 405 where the dossier page has no such action (yet), 404 where it has: never B's dossier
    // (a NUL in the comment is refused by the form reader first: 400)
    for (const code of [ids.bCode, "%00", "A".repeat(3000)]) {
      for (const fields of [{ intent: "withdraw" }, { intent: "rate", rating: "1", comment: "x" }] as Record<string, string>[]) {
        expectRefused(await attempt(a, `${fields.intent} ${code.slice(0, 30)}`, `/ho-so/${code}`, form({ csrf: ids.aCsrf, ...fields })), [404, 405]);
      }
      expectRefused(await attempt(a, `rate with NUL ${code.slice(0, 30)}`, `/ho-so/${code}`, form({ csrf: ids.aCsrf, intent: "rate", rating: "1", comment: "x\u0000" })), [400, 404]);
      // an action or a rating no dossier could take is refused before any look-up
      for (const fields of [{ intent: "bogus" }, { intent: "rate", rating: "9" }] as Record<string, string>[]) {
        expectRefused(await attempt(a, `${fields.intent} ${code.slice(0, 30)}`, `/ho-so/${code}`, form({ csrf: ids.aCsrf, ...fields })), [400, 404, 405]);
      }
      expectRefused(await attempt(a, `supplement ${code.slice(0, 30)}`, `/ho-so/${code}`, { method: "POST", body: multipart({ csrf: ids.aCsrf }, [["bo-sung", "a-supplement"]]) }), [404, 405]);
    }
  });

  it("A cannot pay into, read or redirect to B's payment", async () => {
    // a result without PayGov's signature, naming B's reference
    const forged = new URLSearchParams({ MaDoiTac: "QNI", MaThamChieu: ids.bReference, MaGiaoDich: "PG0", SoTien: "10000", TrangThai: "00", ThoiGianThanhToan: "20261128090000", MaXacThuc: "0".repeat(64) });
    expectRefused(await attempt(a, "forged payment result", `/thanh-toan/ket-qua?${forged}`), [400]);
    forged.set("TrangThai", "02");
    expectRefused(await attempt(a, "forged cancellation", `/thanh-toan/ket-qua?${forged}`), [400]);
    expectRefused(await attempt(a, "reference alone", `/thanh-toan/ket-qua?MaThamChieu=${encodeURIComponent(ids.bReference)}`), [400]);
    // B's own signed return, replayed by A: already applied, and it does not lead A to B's draft
    const replay = await attempt(a, "B's signed return replayed", ids.bPaidReturn);
    expect.soft(replay.status).toBeLessThan(500);
    expect.soft(replay.location).not.toContain(ids.bOpenDraft);
  });

  it("nobody signed in is sent to sign in, whatever the route or id", async () => {
    const anon = new Browser("anonymous");
    const forged = new Browser("forged cookie");
    forged.cookies.set("__Host-qn_citizen", "x".repeat(43));
    for (const who of [anon, forged]) {
      for (const url of [`/nop/${ids.bOpenDraft}/nguoi-nop`, `/nop/${ids.bOpenDraft}/tai-lieu`, `/nop/${ids.bOpenDraft}/xem-lai`, `/ho-so/${ids.bCode}`, `/ho-so/${ids.bCode}/bien-nhan.pdf`, eReceipt(ids.bPaidCode, ids.bPaidReference), "/ho-so", "/nop?thu-tuc=1.001193"]) {
        expectSignIn(await attempt(who, `GET ${url}`, url));
      }
      for (const [url, fields] of [
        [`/nop/${ids.bOpenDraft}/nguoi-nop`, applicant(A)], [`/nop/${ids.bOpenDraft}/tai-lieu`, { intent: "remove", attachmentId: ids.bDraftAttachment }],
        [`/nop/${ids.bOpenDraft}/xem-lai`, { intent: "submit", declaration: "on" }], [`/nop/${ids.bOpenDraft}/huy`, {}], ["/nop?index", { procedureCode: "1.001193" }],
      ] as [string, Record<string, string>][]) {
        expectSignIn(await attempt(who, `POST ${url}`, url, form({ csrf: ids.bCsrf, ...fields })));
      }
      expectSignIn(await attempt(who, "upload", `/nop/${ids.bOpenDraft}/tai-lieu`, { method: "POST", body: multipart({ csrf: ids.bCsrf }, [["so-huu", "anon"]]) }));
      // the dossier page's actions (where it has them: a page without actions answers 405)
      const withdraw = await attempt(who, "withdraw B's dossier", `/ho-so/${ids.bCode}`, form({ csrf: ids.bCsrf, intent: "withdraw" }));
      if (withdraw.status !== 405) expectSignIn(withdraw);
    }
  });

  it("refuses a wrong or missing CSRF token (403), B's token included", async () => {
    for (const csrf of [ids.bCsrf, "", "forged.token", ids.aCsrf.slice(1)]) {
      const fields: Record<string, string> = csrf ? { csrf } : {};
      expectRefused(await attempt(a, "start with bad csrf", "/nop?index", form({ ...fields, procedureCode: "1.001193" })), [403]);
      expectRefused(await attempt(a, "save with bad csrf", `/nop/${ids.aDraft}/nguoi-nop`, form({ ...fields, ...applicant(A), phone: "0912345678" })), [403]);
      expectRefused(await attempt(a, "upload with bad csrf", `/nop/${ids.aDraft}/tai-lieu`, { method: "POST", body: multipart(fields, [["giay-chung-sinh", "csrf-upload"]]) }), [403]);
      expectRefused(await attempt(a, "continue with bad csrf", `/nop/${ids.aDraft}/tai-lieu`, form({ ...fields, intent: "continue" })), [403]);
      expectRefused(await attempt(a, "discard with bad csrf", `/nop/${ids.aDraft}/huy`, form(fields)), [403]);
      if (csrf !== ids.bCsrf) {
        const own = await b.post(`/nop/${ids.bOpenDraft}/xem-lai`, { ...fields, intent: "submit", declaration: "on" });
        expect.soft(own.status, "B submitting with a bad token").toBe(403);
      }
    }
  });

  it("answers hostile ids and bodies with a 4xx, never a 5xx", async () => {
    for (const draft of ["aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "a".repeat(36), "-".repeat(36), "00000000-0000-0000-0000-00000000000g", "%00", "..%2F..%2Fetc%2Fpasswd"]) {
      expectRefused(await attempt(a, `draft id ${draft}`, `/nop/${draft}/nguoi-nop`), [404]);
      expectRefused(await attempt(a, `POST draft id ${draft}`, `/nop/${draft}/tai-lieu`, form({ csrf: ids.aCsrf, intent: "continue" })), [404]);
      expectRefused(await attempt(a, `discard draft id ${draft}`, `/nop/${draft}/huy`, form({ csrf: ids.aCsrf })), [404]);
    }
    expectRefused(await attempt(a, "step traversal", `/nop/${ids.aDraft}/..%2Fxem-lai`), [404]);
    for (const attachmentId of ["", "x", "1' or '1'='1", "a".repeat(36), "-".repeat(36), "0".repeat(32), `${ids.bDossierAttachment}x`]) {
      expectRefused(await attempt(a, `reuse ${attachmentId}`, `/nop/${ids.aDraft}/tai-lieu`, form({ csrf: ids.aCsrf, intent: "reuse", slot: "giay-chung-sinh", attachmentId })), [404]);
      expectRefused(await attempt(a, `remove ${attachmentId}`, `/nop/${ids.aDraft}/tai-lieu`, form({ csrf: ids.aCsrf, intent: "remove", attachmentId })), [404]);
    }
    // bodies that are not forms
    for (const [url, type] of [
      ["/nop?index", "application/json"], [`/nop/${ids.aDraft}/nguoi-nop`, "text/plain"], [`/nop/${ids.aDraft}/tai-lieu`, "application/json"],
      [`/nop/${ids.aDraft}/tre-em`, "text/plain"], [`/nop/${ids.aDraft}/huy`, "application/octet-stream"], [`/nop/${ids.aDraft}/nguoi-nop`, "multipart/form-data"],
      [`/ho-so/${ids.bCode}`, "text/plain"], [`/ho-so/${ids.bCode}`, "multipart/form-data"],
    ]) {
      const s = await attempt(a, `${type} to ${url}`, url, { method: "POST", headers: { "content-type": type }, body: `{"csrf":"${ids.aCsrf}","intent":"withdraw"}` });
      expect.soft(s.status, `${type} to ${url}`).toBeGreaterThanOrEqual(400);
      expect.soft(s.status, `${type} to ${url}`).toBeLessThan(500);
    }
    // payment results that are not PayGov's
    for (const q of ["", "MaThamChieu=%00", "MaThamChieu=x&SoTien=abc", `MaThamChieu=${"x".repeat(5000)}`]) {
      expectRefused(await attempt(a, `payment result ${q.slice(0, 30)}`, `/thanh-toan/ket-qua?${q}`), [400]);
    }
    for (const body of ['{"MaThamChieu":{"toString":1}}', '{"MaThamChieu":"\\u0000"}', '{"MaThamChieu":["x"]}', "[]", "null"]) {
      const s = await attempt(a, `callback ${body}`, "/api/paygov/callback", { method: "POST", headers: { "content-type": "application/json" }, body });
      expectRefused(s, [400]);
    }
  });

  it("shows the signed-in citizen in the header of every public page, and nobody's to anybody else", async () => {
    const accountNav = (html: string) => /<nav class="account" aria-label="Tài khoản">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
    const anon = new Browser("anonymous");
    for (const url of ["/", "/thu-tuc", "/thu-tuc/1.004222", "/don-vi", "/tra-cuu", "/ho-so", `/ho-so/${ids.bCode}`]) {
      const mine = await a.fetch(url);
      const html = await mine.text();
      if (!url.startsWith("/ho-so/")) {
        expect(mine.status, url).toBe(200);
        expect(mine.headers.get("cache-control"), url).toBe("private, no-store");
        const nav = accountNav(html);
        expect(nav, url).toContain(A.fullName);
        expect(nav, url).toMatch(new RegExp(`<form method="post" action="/dang-xuat"><input type="hidden" name="csrf" value="${csrfOf(html)}"/><button [^>]*>Đăng xuất</button></form>`));
      } else {
        expect(mine.status, url).toBe(404); // B's dossier: A's own name only, never B's
        expect(accountNav(html)).toContain(A.fullName);
      }
      expect(html, url).not.toContain(B.fullName);
      const theirs = await attempt(anon, `header ${url}`, url);
      if (theirs.status === 200) {
        expect(theirs.body).not.toContain(A.fullName);
        expect(accountNav(theirs.body), url).toContain(`href="/dang-nhap?returnTo=${encodeURIComponent(url)}">Đăng nhập</a>`);
      }
    }
    // staff pages keep their own sign-in: no citizen account there
    const desk = await a.fetch("/can-bo/dang-nhap");
    expect(accountNav(await desk.text())).toBe("");
  });

  it("signs a citizen out only with her own CSRF token", async () => {
    for (const csrf of [ids.bCsrf, "", "forged.token"]) {
      const refused = await attempt(a, "sign out with a bad csrf", "/dang-xuat", form(csrf ? { csrf } : {}));
      expectRefused(refused, [403]);
      expect.soft(refused.body).toContain("Chưa đăng xuất được");
    }
    const still = await a.fetch("/ho-so");
    expect(still.status).toBe(200);
    const out = await a.post("/dang-xuat", { csrf: csrfOf(await still.text()) });
    expect(out.status).toBe(302);
    expect(locationOf(out)).toContain(`${op.url}/`); // then the provider's session ends too
    expect([...a.cookies.keys()].filter((k) => k.includes("qn_citizen"))).toEqual([]);
    expectSignIn(await attempt(a, "own list after signing out", "/ho-so"));
  });

  it("never answered A (or anybody but B) with a 5xx or anything of B's", () => {
    expect(seen.length).toBeGreaterThan(150);
    for (const s of seen) {
      expect.soft(s.status, `${s.who}: ${s.what}`).toBeLessThan(500);
      for (const secret of B_SECRETS) {
        expect.soft(s.body.includes(secret) || s.location.includes(secret), `${s.who}: ${s.what} shows ${secret}`).toBe(false);
      }
    }
  });

  it("changed nothing: not a row of the filing tables, not a stored file", async () => {
    await stop();
    const after = await snapshot();
    expect(after.files).toEqual(before.files);
    for (const [table] of TABLES) expect(after.rows[table], table).toEqual(before.rows[table]);
  }, 120_000);
});

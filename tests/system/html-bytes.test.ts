// Every kind of page, in Vietnamese and in English, asked by the visitor it is for: the raw bytes
// of the HTML are valid UTF-8 and carry no NUL. React 18.3.1's streaming writer used to send its
// whole 2 KB buffer when a multi-byte character did not fit at its end (react#31134): stray NULs,
// dropped in text, turned into U+FFFD inside an attribute and posted back with the form (a
// mother's name saved as "Phư\uFFFD\uFFFDợng"). Long Vietnamese pages put some character across
// that boundary on many of them; the patch (patches/react-dom+18.3.1.patch, ADR 016) is what
// makes this pass.
//
// In process, like route-fuzz: the Remix handler over `build/` with the production React build
// (what server.ts runs), and this test's own database (PGlite, or PostgreSQL with DATABASE_URL).
import { createRequire } from "node:module";
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormDefinition, RESERVED_STEPS } from "~/modules/forms/forms.schema";
import { dossiers, drafts, formDefinitions, procedures } from "~db/schema";
import { openTestDb, type TestDb } from "../support/db";
import { BIRTH_REGISTRATION } from "../support/filing-drafts";
import { seedVisitors, type Visitors } from "../support/visitors";
import { testContext } from "../support/services";

process.env.LOG_LEVEL ??= "error";

let t: TestDb;
let v: Visitors;
let handle: (request: Request) => Promise<Response>;
/** Path → the visitors who see that page. */
const pages = new Map<string, string[]>();

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  v = await seedVisitors(t.db);
  const codes = (await t.db.select({ code: procedures.code }).from(procedures).orderBy(asc(procedures.code))).map((r) => r.code);
  const dossierCodes = (await t.db.select({ code: dossiers.code }).from(dossiers)).map((r) => r.code);
  const forms = await t.db.select().from(formDefinitions);
  const add = (p: string, ...who: string[]) => pages.set(p, [...(pages.get(p) ?? []), ...who]);

  for (const p of ["/", "/thu-tuc", "/thu-tuc?page=2", "/thu-tuc?q=%C4%91%C4%83ng+k%C3%BD", "/don-vi", "/tra-cuu", "/khong-co-trang-nay"]) add(p, "nobody", "citizen");
  for (const c of codes) add(`/thu-tuc/${c}`, "nobody");
  // the citizen: their dossiers and drafts, every step of the ready draft, the first step of every form
  add("/ho-so", "citizen");
  for (const f of forms) add(`/nop?thu-tuc=${f.procedureCode}`, "citizen");
  const ready = forms.find((f) => f.procedureCode === BIRTH_REGISTRATION);
  for (const s of [...FormDefinition.parse(ready?.definition).steps.map((s) => s.id), ...RESERVED_STEPS]) add(`/nop/${v.draft.draftId}/${s}`, "citizen");
  const opened = await t.db.insert(drafts).values(forms.map((f) => ({
    citizenId: v.draft.citizen.id, procedureCode: f.procedureCode, formVersion: f.version,
    step: FormDefinition.parse(f.definition).steps[0].id, expiresAt: new Date(Date.now() + 86_400_000), data: {},
  }))).returning({ id: drafts.id, step: drafts.step });
  for (const d of opened) add(`/nop/${d.id}/${d.step}`, "citizen");
  // the back office and operations
  for (const p of ["/can-bo/ho-so", "/can-bo/ho-so?status=1"]) add(p, "desk", "leader", "admin");
  for (const c of dossierCodes) add(`/can-bo/ho-so/${c}`, "desk", "leader");
  add("/can-bo/nop", "desk");
  add("/can-bo/bao-cao", "leader", "admin");
  for (const p of ["/can-bo/thu-tuc", "/can-bo/ngay-nghi", "/can-bo/thiet-bi", "/van-hanh/dong-bo"]) add(p, "admin");
  for (const c of dossierCodes) add(`/van-hanh/dong-bo/${c}`, "admin");
  for (const c of codes) add(`/can-bo/thu-tuc/${c}`, "admin");
  add("/can-bo/dang-nhap", "nobody");
  // the kiosk
  for (const p of ["/quay", "/quay/bao-cao", "/quay/thiet-bi"]) add(p, "police");

  // The production React build, as server.ts runs it: react-dom/server picks its build from
  // NODE_ENV when it is first loaded, which is here.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  const build = (await import(path.resolve("build/index.js"))) as ServerBuild;
  process.env.NODE_ENV = env;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, testContext("html-bytes", { clientIp: "10.0.0.8" }) as never);
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

/** Where the body is not clean: the offset of the first NUL, or "invalid UTF-8". */
function fault(bytes: Uint8Array): string | null {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `NUL at byte ${nul}: …${Buffer.from(bytes.subarray(Math.max(0, nul - 40), nul + 8)).toString("utf8").replace(/\0/g, "\\0")}…`;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return "invalid UTF-8";
  }
  return null;
}

describe("the HTML of every page kind", () => {
  it("runs the production React build", () => {
    expect(Object.keys(createRequire(import.meta.url).cache).some((k) => k.endsWith("react-dom-server.node.production.min.js"))).toBe(true);
  });

  for (const lng of ["vi", "en"]) {
    it(`is valid UTF-8 without a NUL byte (?lng=${lng})`, async () => {
      const faults: string[] = [];
      const statuses: Record<number, number> = {};
      let html = 0;
      for (const [p, who] of pages) {
        for (const visitor of who) {
          const url = `http://127.0.0.1${p}${p.includes("?") ? "&" : "?"}lng=${lng}`;
          const cookie = v.cookies[visitor];
          const res = await handle(new Request(url, { headers: cookie ? { cookie } : {} }));
          const bytes = new Uint8Array(await res.arrayBuffer());
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (!(res.headers.get("content-type") ?? "").startsWith("text/html")) continue;
          html++;
          const f = fault(bytes);
          if (f) faults.push(`${visitor} GET ${p} (${res.status}): ${f}`);
        }
      }
      expect(faults).toEqual([]);
      // the pages really rendered (a redirect or an error page proves little): only the made-up path is a 404
      expect(statuses, JSON.stringify(statuses)).toEqual({ 200: html - 2, 404: 2 });
      expect(html).toBeGreaterThan(120);
    }, 600_000);
  }
});

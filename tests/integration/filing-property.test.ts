// Properties of citizen filing under random and hostile input, on a scratch database:
//   - every step of every seeded form, fed records of hostile values (huge, unicode, control and
//     lone-surrogate characters, arrays, numbers, objects, prototype keys, SQL-ish, HTML) mixed with
//     valid answers: saveStep answers ok or field errors, never throws; every error is an i18n key
//     translated in both locales; an invalid record leaves the draft row exactly as it was, a valid
//     one saves strings only, for the step's own fields only, and never a locked identity field;
//   - validateAll and stepSchema never throw, whatever the draft data;
//   - the documents step (handleDocumentsAction, the real action the route calls) fed random and
//     broken multipart bodies, forms with random intents and ids (the other citizen's included)
//     and bodies that are not forms: a redirect or a 4xx with a translated message, never an
//     exception; a refusal adds no attachment row and no stored file; afterwards every stored file
//     has a row and every row its file, no temp file is left, and the other citizen's rows are intact.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import fc from "fast-check";
import { PDFDocument } from "pdf-lib";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { collectGarbage, handleDocumentsAction } from "~/modules/filing/documents.server";
import {
  communeList, draftFor, loadForm, lockedFields, saveStep, startDraft, type Draft, type LoadedForm,
} from "~/modules/filing/filing.server";
import { activeSlots, stepSchema, validateAll, type FieldDef, type FormDefinition, type FormValues } from "~/modules/forms/forms.schema";
import type { Citizen, CitizenSession } from "~/modules/identity/citizen-auth.server";
import { contentKey } from "~/modules/storage/storage.server";
import { attachments, citizens, dossiers, drafts } from "~db/schema";
import { seedCatalog } from "~db/seed";
import type { PopulationRegistry } from "~integrations/population/port";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";
import { testServices } from "../support/services";

// ---- translations ---------------------------------------------------------------------------------

const locales = Object.fromEntries(["vi", "en"].map((l) => [l, JSON.parse(fs.readFileSync(path.resolve("locales", l, "common.json"), "utf8")) as unknown]));

/** The string at a dotted key (own properties only: "__proto__" is not a key), or undefined. */
function resolve(dict: unknown, key: string): string | undefined {
  let node: unknown = dict;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" && node.trim() ? node : undefined;
}

/** The key names a message in both locales, and every {{placeholder}} in it has a value. */
function expectTranslated(key: unknown, params: Record<string, unknown> = {}) {
  expect(typeof key, `message key ${String(key)}`).toBe("string");
  for (const [lng, dict] of Object.entries(locales)) {
    const text = resolve(dict, key as string);
    expect(text, `${key} in locales/${lng}/common.json`).toBeDefined();
    for (const [, name] of text!.matchAll(/{{\s*(\w+)\s*}}/g)) expect(params, `${key} (${lng}) needs {{${name}}}`).toHaveProperty(name);
  }
}

// ---- the database, the storage directory, the citizens --------------------------------------------

const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);
const SEED = Number(process.env.PROPERTY_SEED ?? 20261128);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "filing-property-"));
const storageDir = path.join(tmp, "files");
const uploadTmp = path.join(tmp, "os-tmp", "qn-uploads"); // where receiveUploads writes (os.tmpdir() below)
/** Built on first use: after beforeAll has pointed STORAGE_DIR at storageDir. */
const services = testServices();

let t: TestDb;
let forms: LoadedForm[];
let communeCodes: string[];
let a: Citizen;
let b: Citizen;
let session: CitizenSession;
const CSRF = "csrf-token-of-citizen-a-000000000000000";

const noPopulation: PopulationRegistry = { lookupCitizen: async () => ({ kind: "not_found", message: "test" }) };

async function citizen(idNumber: string, fullName: string, birthDate: string, sex: "Nam" | "Nữ"): Promise<Citizen> {
  const [c] = await t.db.insert(citizens).values({ sub: `sub-${idNumber}`, idNumber, fullName, birthDate, sex, phone: "0912345678", email: "x@example.com" }).returning();
  return c;
}

async function newDraft(who: Citizen, procedureCode: string): Promise<string> {
  const r = await startDraft(t.db, { citizen: who, procedureCode, population: noPopulation });
  if (!r.ok) throw new Error(r.error.code);
  return r.value.draftId;
}

const draftRow = async (id: string) => (await t.db.select().from(drafts).where(eq(drafts.id, id)))[0];

/** Bytes into storage with an attachment row of a submitted dossier (something to reuse). */
async function dossierDocument(who: Citizen, bytes: Buffer, fileName: string): Promise<string> {
  const created = await createDossier(t.db, { procedureCode: "1.001193", agencyCode: "000.01.31.H49", channel: 2, applicantName: who.fullName, actor: { name: who.fullName, kind: "citizen", id: who.id } });
  if (!created.ok) throw new Error(created.error.code);
  await t.db.update(dossiers).set({ citizenId: who.id }).where(eq(dossiers.id, created.value.id));
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  await services.storage.put(contentKey(sha256), bytes, { size: bytes.length, contentType: "application/pdf" });
  const [row] = await t.db.insert(attachments).values({ citizenId: who.id, dossierId: created.value.id, slot: "giay-chung-sinh", fileName, mime: "application/pdf", size: bytes.length, sha256, scan: "clean" }).returning({ id: attachments.id });
  return row.id;
}

async function realPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText(text);
  return Buffer.from(await doc.save());
}

function realPng(): Buffer {
  const image = new PNG({ width: 4, height: 4 });
  image.data.fill(120);
  return PNG.sync.write(image);
}

beforeAll(async () => {
  // uploads' temp files and stored files of this file alone (config() reads the environment once)
  process.env.STORAGE_DIR = storageDir;
  process.env.STORAGE_DRIVER = "local";
  delete process.env.CLAMD;
  process.env.TMPDIR = path.dirname(uploadTmp);
  fs.mkdirSync(process.env.TMPDIR, { recursive: true });
  t = await openTestDb();
  await seedCatalog(t.db);
  const codes = (await t.query<{ code: string }>("select distinct procedure_code as code from form_definitions order by 1")).map((r) => r.code);
  forms = (await Promise.all(codes.map((c) => loadForm(t.db, c)))).filter((f): f is LoadedForm => f !== null);
  communeCodes = (await communeList(t.db)).map((c) => c.code);
  a = await citizen("022190318264", "Trần Thị Bình", "1990-07-22", "Nữ");
  b = await citizen("022085004517", "Nguyễn Văn An", "1985-03-14", "Nam");
  session = { citizen: a, csrf: CSRF };
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// ---- values ---------------------------------------------------------------------------------------

const HOSTILE_STRINGS = [
  "", " ", "\t\n", "\u0000", "a\u0000@b.co", "x\u0000y", "\u0007", "\u001b[31m", "\ud800", "a\udfffb", "\u202eexe.pdf", "\u200b", "\ufeff",
  "'; drop table drafts; --", "' or '1'='1", "1; select pg_sleep(1)", "$1", "\\", "%00", "%s%s%n",
  "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>", "{{constructor.constructor('return 1')()}}", "${7*7}",
  "__proto__", "constructor", "prototype", "toString", "null", "undefined", "NaN", "Infinity", "-1", "1e308", "0x10", "０９１２３４５６７８", "٠٩١٢٣٤٥٦٧٨",
  "Nam", "Nữ", "Nu\u0303", "on", "true", "06673", "99999", "31/02/2020", "01/01/1899", "01/01/2999", "1/1/2000", "2000-01-01",
  "000000000000", "999999999999", "022190318264", "0123", "0912345678", "+84912345678", "a@b", "a@b.c", "a@b.co\n",
  "x".repeat(501), "x".repeat(2001), "ệ".repeat(600), "x".repeat(100_000),
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);

/** Anything a caller could put in a record: strings, and what a form post never carries. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      { toString: 1 }, { toString: () => "Nam" }, { valueOf: () => 1 }, Object.create(null), JSON.parse('{"__proto__":{"polluted":true}}'),
      [{ toString: 1 }], new File(["%PDF-1.4"], "a.pdf"), Symbol("s"), () => "Nam", new Date(0),
    ),
  },
);

const HOSTILE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "_locked", "", " ", "csrf", "intent", "x".repeat(300)];

/** A value that passes the field's rules; dates, sex and id numbers agree (a woman born 15/06/1990). */
function validValue(f: FieldDef): fc.Arbitrary<string> {
  switch (f.type) {
    case "phone": return fc.constantFrom("0912345678", "0983214765", "0356789003");
    case "email": return fc.constantFrom("a@example.com", "nguyen.van.an@example.vn", ...(f.required ? [] : [""]));
    case "date": return fc.constantFrom("15/06/1990", "01/01/2024", "29/02/2024");
    case "pastDate": return fc.constant("15/06/1990");
    case "commune": return fc.constantFrom(...communeCodes.slice(0, 20));
    case "select": return fc.constantFrom(...f.options!.map((o) => o.value));
    case "sex": return fc.constant("Nữ");
    case "checkbox": return fc.constant("on");
    case "number": return fc.integer({ min: f.min ?? 1, max: Math.min(f.max ?? 50, 50) }).map(String);
    case "idNumber": return fc.integer({ min: 0, max: 999_999 }).map((n) => `022190${String(n).padStart(6, "0")}`);
    default: return fc.constantFrom("Nguyễn Thị Hoa", "Số 8, đường Hạ Long", "Hạ Long\nQuảng Ninh", "  có khoảng trắng  ");
  }
}

/** A record for a step: valid, valid with a few hostile values, or hostile through and through. */
function stepRecord(def: FormDefinition, stepId: string): fc.Arbitrary<Record<string, unknown>> {
  const fields = def.steps.find((s) => s.id === stepId)!.fields;
  const allNames = def.steps.flatMap((s) => s.fields.map((f) => f.name));
  const valid = fc.tuple(...fields.map((f) => validValue(f).map((v) => [f.name, v] as [string, unknown])));
  const spoiled = fc.array(fc.tuple(fc.constantFrom(...allNames, ...HOSTILE_KEYS), hostileValue), { minLength: 1, maxLength: 4 });
  const hostile = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...allNames, ...HOSTILE_KEYS), fc.string({ maxLength: 8 })), hostileValue), { maxLength: 14 });
  // Object.fromEntries, as the route builds it: "__proto__" becomes an own key, not the prototype
  return fc.oneof(
    valid.map((pairs) => Object.fromEntries(pairs)),
    fc.tuple(valid, spoiled).map(([pairs, bad]) => Object.fromEntries([...pairs, ...bad])),
    hostile.map((pairs) => Object.fromEntries(pairs)),
  );
}

// ---- the form steps -------------------------------------------------------------------------------

describe("saving a step (property)", () => {
  it("answers ok or translated field errors, and an invalid record changes nothing", async () => {
    let saved = 0;
    let refused = 0;
    for (const form of forms) {
      const draftId = await newDraft(a, form.def.procedureCode);
      for (const step of form.def.steps) {
        const stepFields = new Set(step.fields.map((f) => f.name));
        await fc.assert(
          fc.asyncProperty(stepRecord(form.def, step.id), async (raw) => {
            const before = await draftRow(draftId);
            const r = await saveStep(t.db, { citizenId: a.id, draftId, stepId: step.id, raw });
            const after = await draftRow(draftId);
            if (r.ok) {
              saved++;
              expect(r.value.next).toBeTruthy();
              const data = after.data as Record<string, unknown>;
              const previous = before.data as Record<string, unknown>;
              for (const [k, v] of Object.entries(data)) {
                expect(typeof v, k).toBe("string");
                if (!stepFields.has(k)) expect(v, `${k} is not this step's`).toBe(previous[k]);
              }
              for (const k of Object.keys(previous)) expect(Object.hasOwn(data, k) || stepFields.has(k), `${k} kept`).toBe(true);
              for (const k of lockedFields(previous)) expect(data[k], `locked ${k}`).toBe(previous[k]);
              return;
            }
            refused++;
            const { fieldErrors } = r.error;
            if (!fieldErrors) {
              expect(r.error.status).toBeGreaterThanOrEqual(400);
              expect(r.error.status).toBeLessThan(500);
              expectTranslated(r.error.i18nKey, r.error.params);
            } else {
              expect(Object.keys(fieldErrors).length).toBeGreaterThan(0);
              for (const [field, key] of Object.entries(fieldErrors)) {
                expect(stepFields.has(field) || field === "_", `error on ${field}`).toBe(true); // "_": the record as a whole
                expectTranslated(key);
              }
            }
            expect(after).toEqual(before);
          }),
          { numRuns: RUNS, seed: SEED },
        );
      }
    }
    // both branches were exercised, a good many times
    expect(saved).toBeGreaterThan(forms.length * 2 * RUNS * 0.15);
    expect(refused).toBeGreaterThan(forms.length * 2 * RUNS * 0.3);
  }, 300_000);
});

describe("validating a whole draft (property)", () => {
  it("validateAll and stepSchema never throw, and speak in translated keys", async () => {
    const ctx = { communeCodes: new Set(communeCodes) };
    for (const form of forms) {
      const names = form.def.steps.flatMap((s) => s.fields.map((f) => f.name));
      const anyData = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names, ...HOSTILE_KEYS), fc.string({ maxLength: 6 })), hostileValue), { maxLength: 20 })
        .map((pairs) => Object.fromEntries(pairs) as FormValues);
      const records = fc.tuple(...form.def.steps.map((s) => stepRecord(form.def, s.id))).map((rs) => Object.fromEntries(rs.flatMap((r) => Object.entries(r))) as FormValues);
      fc.assert(
        fc.property(fc.oneof(anyData, records), fc.constantFrom(...form.def.steps.map((s) => s.id)), (data, stepId) => {
          const all = validateAll(form.def, data, ctx);
          if (all.ok) for (const v of Object.values(all.values)) expect(typeof v).toBe("string");
          else expect(form.def.steps.map((s) => s.id)).toContain(all.step);
          // what was answered before is text (saved drafts hold strings); the new answers may be anything
          const answered = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === "string"));
          const one = stepSchema(form.def, stepId, answered, ctx).safeParse(data);
          if (!one.success) for (const issue of one.error.issues) expectTranslated(issue.message);
        }),
        { numRuns: RUNS * 3, seed: SEED },
      );
    }
  }, 120_000);
});

// ---- the documents step ---------------------------------------------------------------------------

type Part = { name: string; filename?: string; type?: string; body: Buffer };

function multipartBody(boundary: string, parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? "" : `; filename="${p.filename}"`}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`, "utf8"), p.body, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

type Reply = { formError: string | null; params?: Record<string, string | number>; fieldErrors: Record<string, string> };

function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.basename(p));
    }
  };
  walk(storageDir);
  return out.sort();
}

describe("the documents step (property)", () => {
  it("answers random uploads and forms with a redirect or a translated 4xx, and leaves no partial row or orphaned file", async () => {
    const pdf = await realPdf("Giay chung sinh");
    const png = realPng();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(300)]);
    const contents: Buffer[] = [
      pdf, png, jpeg, Buffer.alloc(0), Buffer.from("<html><script>alert(1)</script></html>"), Buffer.from("%PDF-1.4\n1 0 obj << /JavaScript (app.alert(1)) >>\n%%EOF"),
      Buffer.concat([png.subarray(0, 8), Buffer.from("%PDF-1.4")]), Buffer.concat([Buffer.from("GIF89a"), pdf]), Buffer.from("MZ\x90\x00 not a document"),
    ];
    const aDossierDoc = await dossierDocument(a, await realPdf("own earlier dossier"), "giay-cu.pdf");
    const bDossierDoc = await dossierDocument(b, await realPdf("the other citizen's"), "cua-nguoi-khac.pdf");
    const bDraft = await newDraft(b, "1.001193");
    const [bDraftDoc] = await t.db.insert(attachments).values({ citizenId: b.id, draftId: bDraft, slot: "giay-chung-sinh", fileName: "b.pdf", mime: "application/pdf", size: 1, sha256: (await t.db.select().from(attachments).where(eq(attachments.id, bDossierDoc)))[0].sha256, scan: "clean" }).returning({ id: attachments.id });
    const bRows = async () => t.db.select().from(attachments).where(eq(attachments.citizenId, b.id)).orderBy(attachments.id);
    const bBefore = await bRows();
    const bShas = new Set(bBefore.map((r) => r.sha256));
    const draftIds = await Promise.all(forms.map((f) => newDraft(a, f.def.procedureCode)));

    const slotNames = [...new Set(forms.flatMap((f) => f.def.documents.map((d) => d.slot)))];
    // a number picks one of the draft's own slots (resolved per run), a string is sent as it is
    const partName = fc.oneof(
      { weight: 6, arbitrary: fc.nat() },
      { weight: 1, arbitrary: fc.constantFrom(...slotNames) },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS, "ảnh", "a\"b", "x; filename=\"y") },
    );
    const fileName = fc.oneof(
      fc.constantFrom("giay-chung-sinh.pdf", "ảnh chụp.png", "scan.jpg", "", "../../etc/passwd.pdf", "a\u0000b.pdf", "\u202efdp.exe", "x.exe", "to-khai.PDF", "a".repeat(400) + ".pdf", "con\"tent.pdf", "%00.pdf"),
      fc.string({ unit: "grapheme", maxLength: 20 }),
    );
    const anyPart = fc.record({
      name: partName,
      filename: fileName,
      type: fc.constantFrom(undefined, "application/pdf", "image/png", "image/jpeg", "text/html", "application/octet-stream", "image/svg+xml"),
      body: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...contents) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1500 }).map((u) => Buffer.from(u)) }),
    });
    // a real document, named and declared as what it is, for one of the draft's slots
    const goodPart = fc.record({
      name: fc.nat(),
      file: fc.constantFrom(
        { filename: "giấy chứng sinh.pdf", type: "application/pdf", body: pdf }, { filename: "anh.png", type: "image/png", body: png },
        { filename: "scan.jpg", type: "image/jpeg", body: jpeg }, { filename: "khong-duoi", type: "application/octet-stream", body: pdf },
      ),
    }).map(({ name, file }) => ({ name: name as number | string, ...file }));
    const part = fc.oneof({ weight: 2, arbitrary: goodPart }, { weight: 1, arbitrary: anyPart });
    const good: Part[] = [{ name: "csrf", body: Buffer.from(CSRF) }];
    const csrfField = fc.oneof({ weight: 8, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: fc.constantFrom<Part[]>([{ name: "csrf", body: Buffer.from("forged") }], []) });
    const multipart = fc.record({
      kind: fc.constant("multipart" as const),
      csrf: csrfField,
      parts: fc.oneof({ weight: 6, arbitrary: fc.array(part, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(part, { maxLength: 5 }) }),
      boundary: fc.constantFrom("----qnBoundary7MA4YWxk", "----qnBoundary7MA4YWxk", "x", "a".repeat(70)),
      header: fc.oneof({ weight: 8, arbitrary: fc.constant("ok") }, { weight: 1, arbitrary: fc.constantFrom("wrong-boundary", "no-boundary", "uppercase") }),
      cut: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
    });
    const urlencoded = fc.record({
      kind: fc.constant("form" as const),
      csrf: fc.oneof({ weight: 8, arbitrary: fc.constant(CSRF) }, { weight: 1, arbitrary: fc.constantFrom("forged", undefined) }),
      intent: fc.oneof({ weight: 8, arbitrary: fc.constantFrom("remove", "reuse", "reuse", "continue") }, { weight: 1, arbitrary: fc.constantFrom("", "upload", "__proto__", undefined) }),
      attachmentId: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(aDossierDoc, "own") }, // A's own: a document to reuse, a file to remove
        { weight: 2, arbitrary: fc.constantFrom(bDossierDoc, bDraftDoc.id) }, // B's
        { weight: 1, arbitrary: fc.constantFrom("", "x", "1' or '1'='1", "a".repeat(36), "-".repeat(36), crypto.randomUUID()) },
        { weight: 1, arbitrary: hostileString },
      ),
      slot: fc.oneof({ weight: 3, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constantFrom(...slotNames) }, { weight: 1, arbitrary: hostileString }),
    });
    const notAForm = fc.record({
      kind: fc.constant("other" as const),
      type: fc.constantFrom("application/json", "text/plain", "", "application/x-www-form-urlencoded; charset=utf-16", "multipart/mixed; boundary=x"),
      body: fc.constantFrom(`{"csrf":"${CSRF}","intent":"continue"}`, "csrf=" + CSRF, "\u0000\u0001", ""),
    });

    let redirects = 0;
    let refusals = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: forms.length - 1 }), fc.oneof({ weight: 4, arbitrary: multipart }, { weight: 3, arbitrary: urlencoded }, { weight: 1, arbitrary: notAForm }), async (which, input) => {
        const draft = (await draftFor(t.db, a.id, draftIds[which])) as Draft;
        const own = await t.db.select().from(attachments).where(eq(attachments.draftId, draft.id));
        let request: Request;
        if (input.kind === "multipart") {
          const slots = activeSlots(forms[which].def, draft.data as FormValues).map((d) => d.slot);
          const parts = input.parts.map((p) => ({ ...p, name: typeof p.name === "number" ? slots[p.name % slots.length] : p.name }));
          let body = multipartBody(input.boundary, [...input.csrf, ...parts]);
          if (input.cut !== null) body = body.subarray(0, input.cut % (body.length + 1));
          const type = { ok: `multipart/form-data; boundary=${input.boundary}`, "wrong-boundary": "multipart/form-data; boundary=other", "no-boundary": "multipart/form-data", uppercase: `Multipart/Form-Data; boundary=${input.boundary}` }[input.header]!;
          request = new Request("http://portal.test/nop/x/tai-lieu", { method: "POST", headers: { "content-type": type }, body: new Uint8Array(body) });
        } else if (input.kind === "form") {
          const slots = activeSlots(forms[which].def, draft.data as FormValues).map((d) => d.slot);
          const fields: Record<string, string> = { slot: typeof input.slot === "number" ? slots[input.slot % slots.length] : input.slot };
          if (input.csrf !== undefined) fields.csrf = input.csrf;
          if (input.intent !== undefined) fields.intent = input.intent;
          fields.attachmentId = input.attachmentId === "own" ? (own[0]?.id ?? "") : input.attachmentId;
          request = new Request("http://portal.test/nop/x/tai-lieu", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
        } else {
          request = new Request("http://portal.test/nop/x/tai-lieu", { method: "POST", headers: input.type ? { "content-type": input.type } : {}, body: input.body });
        }
        const rowsBefore = await t.db.select().from(attachments).orderBy(attachments.id);
        const filesBefore = storedFiles();

        const answer = await routeAnswer(() => handleDocumentsAction(t.db, services.storage, request, session, draft));

        const rowsAfter = await t.db.select().from(attachments).orderBy(attachments.id);
        if (answer.location !== null) {
          redirects++;
          expect(answer.status).toBe(302);
          const location = answer.location;
          expect(location.startsWith(`/nop/${draft.id}/`)).toBe(true);
          const added = rowsAfter.filter((r) => !rowsBefore.some((x) => x.id === r.id));
          const removed = rowsBefore.filter((r) => !rowsAfter.some((x) => x.id === r.id));
          for (const r of [...added, ...removed]) {
            expect(r.citizenId).toBe(a.id);
            expect(bShas.has(r.sha256), "B's document in A's draft").toBe(false);
            expect(r.draftId).toBe(draft.id);
            expect(r.dossierId).toBeNull();
          }
          const uploaded = /da-tai=(\d+)$/.exec(location);
          if (uploaded) expect(added.length).toBe(Number(uploaded[1]));
          else expect(added.length + removed.length).toBeLessThanOrEqual(1);
        } else {
          refusals++;
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          const reply = JSON.parse(answer.body) as Reply;
          if (reply.formError !== null) expectTranslated(reply.formError, reply.params);
          else expect(Object.keys(reply.fieldErrors).length).toBeGreaterThan(0);
          for (const key of Object.values(reply.fieldErrors)) expectTranslated(key);
          // refused: not a row, not a file
          expect(rowsAfter).toEqual(rowsBefore);
          expect(storedFiles()).toEqual(filesBefore);
        }
        // whatever happened: every stored file has a row, every row its file, no temp file is left
        const shas = [...new Set(rowsAfter.map((r) => r.sha256))].sort();
        expect(storedFiles()).toEqual(shas);
        expect(fs.existsSync(uploadTmp) ? fs.readdirSync(uploadTmp) : []).toEqual([]);
        // keep room in the slots: past a few files, the draft starts again empty
        const mine = rowsAfter.filter((r) => r.draftId === draft.id);
        if (mine.length >= 3) {
          await t.db.delete(attachments).where(and(eq(attachments.draftId, draft.id), inArray(attachments.id, mine.map((r) => r.id))));
          await collectGarbage(t.db, services.storage, mine.map((r) => r.sha256));
        }
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    // both outcomes, a good many times
    expect(redirects).toBeGreaterThan(RUNS * 0.4);
    expect(refusals).toBeGreaterThan(RUNS * 2);
    // the other citizen's documents: untouched
    expect(await bRows()).toEqual(bBefore);
  }, 300_000);
});

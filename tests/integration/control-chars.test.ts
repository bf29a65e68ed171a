// A NUL (or another control character) typed or pasted into a text field is refused with a
// translated 400, and nothing is written: not the draft's answers, not a desk note, not a sign-in
// attempt. React 18's stream once put NULs into pages' attributes (ADR 016), and a form posted
// back stored them; PostgreSQL refuses NUL in text and jsonb, so one reaching a query was a 500.
// The form reader refuses them for every action (app/lib/form-data.server.ts); the schemas refuse
// them too (`plainText`), which is what shows the error at the field in the browser.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTROL_CHARS_KEY, hasControlChars } from "~/lib/text";
import { ActionForm } from "~/modules/backoffice/desk.schema";
import { loadForm, validationContext } from "~/modules/filing/filing.server";
import { stepSchema, type FieldDef } from "~/modules/forms/forms.schema";
import * as citizenStep from "~/routes/nop.$draftId.$step";
import * as deskDossier from "~/routes/can-bo.ho-so.$code";
import * as staffSignIn from "~/routes/can-bo.dang-nhap";
import * as lookup from "~/routes/tra-cuu";
import { selectRows } from "~db/client.server";
import { drafts } from "~db/schema";
import viText from "~locales/vi/common.json";
import enText from "~locales/en/common.json";
import { openTestDb, type TestDb } from "../support/db";
import { BIRTH_REGISTRATION } from "../support/filing-drafts";
import { routeAnswer } from "../support/route-answer";
import { seedVisitors, type Visitors } from "../support/visitors";
import { testContext } from "../support/services";

process.env.LOG_LEVEL ??= "error";
// the form step posted here is our own online filing (ADR 025: CITIZEN_FRONT=province)
process.env.CITIZEN_FRONT = "province";
const context = testContext("control-chars", { clientIp: "10.0.0.7" });
type Handler = (args: { request: Request; params: Record<string, string>; context: typeof context }) => unknown;
const TEXT = { vi: viText.errors.controlChars, en: enText.errors.controlChars };

let t: TestDb;
let v: Visitors;

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  v = await seedVisitors(t.db);
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

/** Rows in every table of the app's schema: "nothing written" means none of these moved. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await selectRows<{ name: string }>(t.db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    const [{ n }] = await selectRows<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from "${name}"`));
    out[name] = n;
  }
  expect(Object.keys(out)).toEqual(expect.arrayContaining(["drafts", "dossiers", "dossier_events", "sessions", "audit_log"]));
  return out;
}

async function post(handler: Handler, path: string, params: Record<string, string>, cookie: string, fields: Record<string, string>) {
  const request = new Request(`http://127.0.0.1${path}`, {
    method: "POST", body: new URLSearchParams(fields), headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
  });
  return routeAnswer(() => handler({ request, params, context }));
}

async function draftData(): Promise<unknown> {
  const [row] = await t.db.select({ data: drafts.data, updatedAt: drafts.updatedAt }).from(drafts).where(eq(drafts.id, v.draft.draftId));
  return row;
}

describe("a control character posted in a text field", () => {
  for (const lng of ["vi", "en"] as const) {
    it(`in a form step field (a mother's name): 400, translated (${lng}), the draft unchanged`, async () => {
      const form = await loadForm(t.db, BIRTH_REGISTRATION);
      const step = form!.def.steps.find((s) => s.fields.some((f) => f.name === "motherName"))!;
      const before = await draftData();
      const data = (before as { data: Record<string, string> }).data;
      const fields: Record<string, string> = { csrf: v.csrf.citizen.main };
      for (const f of step.fields) fields[f.name] = data[f.name] ?? "";
      fields.motherName = "Trần Thị Phư\u0000\u0000ợng";
      const counts = await rowCounts();
      const answer = await post(citizenStep.action as Handler, `/nop/${v.draft.draftId}/${step.id}?lng=${lng}`, { draftId: v.draft.draftId, step: step.id }, v.cookies.citizen, fields);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ message: TEXT[lng], formError: CONTROL_CHARS_KEY, fieldErrors: { motherName: CONTROL_CHARS_KEY } });
      expect(await draftData()).toEqual(before);
      expect(await rowCounts()).toEqual(counts);
    });
  }

  it("in a desk note: 400, translated, no event, no letter, the dossier unchanged", async () => {
    const counts = await rowCounts();
    const code = v.dossierCode!;
    const answer = await post(deskDossier.action as Handler, `/can-bo/ho-so/${code}`, { code }, v.cookies.desk, { csrf: v.csrf.desk.main, action: "receive", note: "Đã nhận\u0000 hồ sơ" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ message: TEXT.vi, fieldErrors: { note: CONTROL_CHARS_KEY } });
    expect(await rowCounts()).toEqual(counts);
  });

  it("in the staff username: 400, translated, no session and no attempt recorded", async () => {
    const counts = await rowCounts();
    const answer = await post(staffSignIn.action as Handler, "/can-bo/dang-nhap?lng=en", {}, "", { username: "motcua01\u0000", password: "Demo@2026-QuangNinh" });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ message: TEXT.en, fieldErrors: { username: CONTROL_CHARS_KEY } });
    expect(await rowCounts()).toEqual(counts);
  });

  it("in the tra-cuu code: 400 with the translated code error, nothing looked up or written", async () => {
    const counts = await rowCounts();
    const request = new Request(`http://127.0.0.1/tra-cuu?ma=${encodeURIComponent(`${v.dossierCode}\u0000`)}&so=5001`);
    const answer = await routeAnswer(() => (lookup.loader as Handler)({ request, params: {}, context }));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ errors: { ma: "lookup.errors.code" } });
    expect(await rowCounts()).toEqual(counts);
  });
});

describe("the schemas' text fields", () => {
  it("refuse a control character at the field; a multi-line field keeps tab and line breaks", async () => {
    const form = await loadForm(t.db, BIRTH_REGISTRATION);
    const ctx = await validationContext(t.db);
    const step = form!.def.steps.find((s) => s.fields.some((f) => f.name === "motherName"))!;
    const r = stepSchema(form!.def, step.id, {}, ctx).safeParse({ motherName: "Phư\u0085ợng" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.find((i) => i.path[0] === "motherName")?.message).toBe(CONTROL_CHARS_KEY);
    // a line break in a one-line answer is refused too; in a multi-line one it is text
    const area: FieldDef = { name: "detail", type: "textarea", label: { vi: "Chi tiết", en: "Detail" }, required: true };
    const line: FieldDef = { ...area, name: "line", type: "text" };
    const def = { ...form!.def, steps: [{ id: "thu", title: area.label, fields: [area, line] }] };
    const two = stepSchema(def, "thu", {}, ctx).safeParse({ detail: "dòng 1\n\tdòng 2", line: "a\nb" });
    expect(two.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["line", CONTROL_CHARS_KEY]]);

    const note = ActionForm.safeParse({ csrf: "x", action: "receive", note: "Ghi chú\u0007", legalBasis: "Điều 1\r\nĐiều 2" });
    expect(note.error?.issues.map((i) => [i.path[0], i.message])).toEqual([["note", CONTROL_CHARS_KEY]]);
    expect(ActionForm.parse({ csrf: "x", action: "receive", note: "Dòng 1\nDòng 2" }).note).toBe("Dòng 1\nDòng 2");
  });

  it("hasControlChars: C0, DEL, C1 and lone surrogates; tab, CR, LF only in multi-line text", () => {
    for (const c of ["\u0000", "\u0001", "\u001b", "\u007f", "\u0085", "\u009f", "\ud800", "\udfff"]) {
      expect(hasControlChars(`a${c}b`), JSON.stringify(c)).toBe(true);
      expect(hasControlChars(`a${c}b`, { multiline: true }), JSON.stringify(c)).toBe(true);
    }
    for (const c of ["\t", "\n", "\r"]) {
      expect(hasControlChars(`a${c}b`)).toBe(true);
      expect(hasControlChars(`a${c}b`, { multiline: true })).toBe(false);
    }
    for (const s of ["Nguyễn Thị Phượng", "😀 🧧", "\u00a0", "\u200b", "Đ"]) expect(hasControlChars(s)).toBe(false);
  });
});

// Every back-office route kept for some roles (administration, reports, the counter) asked by a
// signed-in official of each role, with their own valid CSRF token on posts: the roles it is for
// get the page (or, posting an incomplete form, its validation answer); every other role gets a
// 403 with the translated message, never cached, and one desk.refused_access audit entry naming
// the official, the page and what was attempted; nobody signed in is sent to the staff sign-in.
// The operator pages of the national sync (/van-hanh) are administrators' too.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, csrfTokenOf, tokenHash } from "~/modules/identity/sessions.server";
import type { Role } from "~/modules/identity/staff-auth.server";
import { auditLog, sessions, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import viText from "~locales/vi/common.json";
import enText from "~locales/en/common.json";
import { openTestDb, type TestDb } from "../support/db";

import * as holidays from "~/routes/can-bo.ngay-nghi";
import * as devices from "~/routes/can-bo.thiet-bi";
import * as catalog from "~/routes/can-bo.thu-tuc._index";
import * as procedure from "~/routes/can-bo.thu-tuc.$code";
import * as reports from "~/routes/can-bo.bao-cao";
import * as reportCsv from "~/routes/can-bo.bao-cao-csv";
import * as reportXlsx from "~/routes/can-bo.bao-cao-xlsx";
import * as counterStart from "~/routes/can-bo.nop._index";
import * as counterStep from "~/routes/can-bo.nop.$draftId.$step";
import * as counterDiscard from "~/routes/can-bo.nop.$draftId.huy";
import * as ops from "~/routes/van-hanh.dong-bo._index";
import * as opsLedger from "~/routes/van-hanh.dong-bo.$code";
import * as opsLookup from "~/routes/van-hanh.dong-bo.tra-cuu";
import { routeAnswer } from "../support/route-answer";
import { testContext } from "../support/services";

const USERNAME: Record<Role, string> = { desk: "motcua01", specialist: "chuyenvien01", leader: "lanhdao01", admin: "quantri", police: "congan01" };
const ROLES = Object.keys(USERNAME) as Role[];
const DRAFT = "00000000-0000-4000-8000-000000000000";
const context = testContext("staff-role-routes");

type Handler = (args: { request: Request; params: Record<string, string>; context: typeof context }) => unknown;
interface Case {
  name: string; path: string; params?: Record<string, string>; handler: Handler; roles: Role[]; attempted: string;
  /** POST: the form fields besides the official's own CSRF token (incomplete: the allowed role gets a 400). */
  post?: Record<string, string>;
  /** What the allowed roles get (200 unless said). */
  allowed?: number;
}

const CASES: Case[] = [
  { name: "GET holidays", path: "/can-bo/ngay-nghi", handler: holidays.loader, roles: ["admin"], attempted: "holidays.view" },
  { name: "POST holidays", path: "/can-bo/ngay-nghi", handler: holidays.action, roles: ["admin"], attempted: "holidays.edit", post: { intent: "delete" }, allowed: 400 },
  { name: "GET kiosk devices", path: "/can-bo/thiet-bi", handler: devices.loader, roles: ["admin"], attempted: "kiosk.devices" },
  { name: "POST kiosk devices", path: "/can-bo/thiet-bi", handler: devices.action, roles: ["admin"], attempted: "kiosk.devices_edit", post: { intent: "revoke" }, allowed: 400 },
  { name: "GET catalogue", path: "/can-bo/thu-tuc", handler: catalog.loader, roles: ["admin"], attempted: "catalog.view" },
  { name: "GET procedure", path: "/can-bo/thu-tuc/1.004222", params: { code: "1.004222" }, handler: procedure.loader, roles: ["admin"], attempted: "catalog.view" },
  { name: "POST procedure", path: "/can-bo/thu-tuc/1.004222", params: { code: "1.004222" }, handler: procedure.action, roles: ["admin"], attempted: "catalog.edit", post: { intent: "procedure" }, allowed: 400 },
  { name: "GET reports", path: "/can-bo/bao-cao", handler: reports.loader, roles: ["leader", "admin"], attempted: "reports.view" },
  { name: "GET report CSV", path: "/can-bo/bao-cao-csv?from=2026-01-01&to=2026-06-30", handler: reportCsv.loader, roles: ["leader", "admin"], attempted: "reports.export" },
  { name: "GET report XLSX", path: "/can-bo/bao-cao-xlsx?from=2026-01-01&to=2026-06-30", handler: reportXlsx.loader, roles: ["leader", "admin"], attempted: "reports.export" },
  { name: "GET counter", path: "/can-bo/nop", handler: counterStart.loader, roles: ["desk"], attempted: "counter.view" },
  { name: "POST counter", path: "/can-bo/nop", handler: counterStart.action, roles: ["desk"], attempted: "counter.start", post: {}, allowed: 400 },
  // no such draft: the desk officer gets past the role check to the draft look-up
  { name: "GET counter step", path: `/can-bo/nop/${DRAFT}/nguoi-nop`, params: { draftId: DRAFT, step: "nguoi-nop" }, handler: counterStep.loader, roles: ["desk"], attempted: "counter.draft", allowed: 404 },
  { name: "POST counter step", path: `/can-bo/nop/${DRAFT}/nguoi-nop`, params: { draftId: DRAFT, step: "nguoi-nop" }, handler: counterStep.action, roles: ["desk"], attempted: "counter.draft", post: {}, allowed: 404 },
  { name: "POST counter discard", path: `/can-bo/nop/${DRAFT}/huy`, params: { draftId: DRAFT }, handler: counterDiscard.action, roles: ["desk"], attempted: "counter.discard", post: {}, allowed: 404 },
  // the operator pages of the national sync: administrators (an unknown dossier: 404 past the role check)
  { name: "GET sync", path: "/van-hanh/dong-bo", handler: ops.loader, roles: ["admin"], attempted: "sync.view" },
  { name: "POST replay", path: "/van-hanh/dong-bo", handler: ops.action, roles: ["admin"], attempted: "sync.replay", post: { code: "X" }, allowed: 404 },
  { name: "GET ledger", path: "/van-hanh/dong-bo/X", params: { code: "X" }, handler: opsLedger.loader, roles: ["admin"], attempted: "sync.ledger", allowed: 404 },
  { name: "GET ledger lookup", path: "/van-hanh/dong-bo/tra-cuu?code=X", handler: opsLookup.loader, roles: ["admin"], attempted: "sync.ledger", allowed: 302 },
];

let t: TestDb;
const official: Record<string, { cookie: string; csrf: string }> = {};

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  for (const role of ROLES) {
    const [u] = await t.db.select().from(staffUsers).where(eq(staffUsers.username, USERNAME[role]));
    expect(u.role).toBe(role);
    const token = await createSession(t.db, { kind: "staff", userId: u.id, stage: "full", ttlMs: 3600_000 });
    const [row] = await t.db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
    official[role] = { cookie: `qn_staff=${token}`, csrf: csrfTokenOf(row) };
  }
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

function request(c: Pick<Case, "path" | "post">, cookie: string, csrf = "", extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { cookie, "user-agent": "staff-role-routes-test", ...extra };
  if (!c.post) return new Request(`http://127.0.0.1${c.path}`, { headers });
  return new Request(`http://127.0.0.1${c.path}`, {
    method: "POST", body: new URLSearchParams({ csrf, ...c.post }), headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
  });
}


const refusals = async (username: string) =>
  (await t.db.select().from(auditLog).where(eq(auditLog.action, "desk.refused_access"))).filter((r) => r.actorId === username);

describe("back-office routes for some roles", () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.roles.join(", ")} get it; every other role 403, translated and audited; nobody is sent to sign in`, async () => {
      for (const role of ROLES) {
        const me = official[role];
        const before = (await refusals(USERNAME[role])).length;
        const lng = role === "police" ? "en" : "vi"; // one refusal in English, to see the message follows the language
        const got = await routeAnswer(() => c.handler({ request: request(c, `${me.cookie}; lng=${lng}`, me.csrf), params: c.params ?? {}, context }));
        const after = await refusals(USERNAME[role]);
        if (c.roles.includes(role)) {
          expect(got.status, `${c.name} as ${role}`).toBe(c.allowed ?? 200);
          expect(after.length, `${c.name} as ${role}: no refusal`).toBe(before);
        } else {
          expect(got, `${c.name} as ${role}`).toMatchObject({ status: 403, cache: "no-store" });
          expect(JSON.parse(got.body)).toEqual({ message: (lng === "en" ? enText : viText).desk.errors.forbidden });
          expect(after.length, `${c.name} as ${role}: one refusal audited`).toBe(before + 1);
          expect(after[after.length - 1]).toMatchObject({
            actorKind: "official", subjectKind: "page", subjectId: c.path.split("?")[0], device: "staff-role-routes-test", details: { attempted: c.attempted, role },
          });
        }
      }
      const nobody = await routeAnswer(() => c.handler({ request: request(c, ""), params: c.params ?? {}, context }));
      // a page read comes back after the sign-in; a form post does not
      expect(nobody).toMatchObject({ status: 302, location: c.post ? "/can-bo/dang-nhap" : `/can-bo/dang-nhap?returnTo=${encodeURIComponent(c.path)}` });
    });
  }
});

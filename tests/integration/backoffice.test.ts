// Staff sign-in (password + TOTP, lockout, replay) and the desk's authorisation matrix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actOnDossier, listQueue, openDossier } from "~/modules/backoffice/desk.server";
import { QueueQuery } from "~/modules/backoffice/desk.schema";
import { DESK_ACTIONS, mayAct } from "~/modules/backoffice/permissions";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { completeStaffLogin, MAX_FAILURES, startStaffLogin, type StaffUser } from "~/modules/identity/staff-auth.server";
import { totpAt } from "~/modules/identity/totp";
import { staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { DEMO_PASSWORD, DEMO_STAFF, seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let staff: Record<string, StaffUser>;
let own: string; // a dossier of commune 01's police
let other: string; // a dossier of commune 02's committee
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  staff = Object.fromEntries((await t.db.select().from(staffUsers)).map((u) => [u.username, u]));
  const a = await createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn Dân", applicantIdNumber: "022090000123", actor: { name: "Dân", kind: "citizen" } });
  const b = await createDossier(t.db, { procedureCode: "1.001193", agencyCode: "000.02.30.H49", channel: 2, applicantName: "Trần Thị Khác", actor: { name: "Khác", kind: "citizen" } });
  if (!a.ok || !b.ok) throw new Error("seed dossiers");
  own = a.value.code;
  other = b.value.code;
}, 60_000);
afterAll(() => t?.cleanup());

const secretOf = (u: string) => DEMO_STAFF.find((s) => s.username === u)!.totpSecret;

describe("staff sign-in", () => {
  it("needs the password and then a fresh TOTP code; the code cannot be replayed", async () => {
    const first = await startStaffLogin(t.db, { username: "motcua01", password: DEMO_PASSWORD, ip: "10.0.0.1" });
    if (!first.ok) throw new Error(first.error.code);
    const code = totpAt(secretOf("motcua01"), Date.now());
    const done = await completeStaffLogin(t.db, first.value.token, code);
    expect(done.ok).toBe(true);
    // the pre-auth token is gone (rotated), and the same code does not work twice
    expect(await completeStaffLogin(t.db, first.value.token, code)).toMatchObject({ ok: false, error: { code: "auth.expired" } });
    const again = await startStaffLogin(t.db, { username: "motcua01", password: DEMO_PASSWORD, ip: "10.0.0.1" });
    if (!again.ok) throw new Error(again.error.code);
    expect(await completeStaffLogin(t.db, again.value.token, code)).toMatchObject({ ok: false, error: { code: "auth.bad_code" } });
  });

  it("locks the account after repeated failures, even with the right password afterwards", async () => {
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await startStaffLogin(t.db, { username: "chuyenvien01", password: "wrong", ip: "10.0.0.2" })).toMatchObject({ ok: false, error: { code: "auth.invalid" } });
    }
    expect(await startStaffLogin(t.db, { username: "chuyenvien01", password: DEMO_PASSWORD, ip: "10.0.0.2" })).toMatchObject({ ok: false, error: { code: "auth.locked", status: 423 } });
    const [row] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'staff.locked' and subject_id = 'chuyenvien01'");
    expect(row.n).toBe(1);
    await t.query("update staff_users set locked_until = null where username = 'chuyenvien01'");
  });

  it("counts wrong passwords sent all at once: the account locks and the right password is refused", async () => {
    const wrong = await Promise.all(Array.from({ length: 8 }, (_, i) => startStaffLogin(t.db, { username: "lanhdao01", password: `wrong-${i}`, ip: "10.0.0.5" })));
    for (const r of wrong) expect(r).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^auth\.(invalid|locked)$/) } });
    const [user] = await t.query<{ locked: boolean }>("select locked_until > now() as locked from staff_users where username = 'lanhdao01'");
    expect(user.locked).toBe(true);
    expect(await startStaffLogin(t.db, { username: "lanhdao01", password: DEMO_PASSWORD, ip: "10.0.0.5" })).toMatchObject({ ok: false, error: { code: "auth.locked", status: 423 } });
    const [row] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'staff.locked' and subject_id = 'lanhdao01'");
    expect(row.n).toBe(1);
    await t.query("update staff_users set locked_until = null where username = 'lanhdao01'");
  });

  it("answers an unknown user like a wrong password, and rate-limits by address", async () => {
    expect(await startStaffLogin(t.db, { username: "khongco", password: "x", ip: "10.0.0.3" })).toMatchObject({ ok: false, error: { code: "auth.invalid" } });
    let limited = false;
    for (let i = 0; i < 35 && !limited; i++) {
      const r = await startStaffLogin(t.db, { username: `u${i}`, password: "x", ip: "10.0.0.4" });
      limited = !r.ok && r.error.code === "auth.rate_limited";
    }
    expect(limited).toBe(true);
  }, 60_000);
});

describe("desk authorisation matrix", () => {
  it("an official lists only their own agency's dossiers", async () => {
    const mine = await listQueue(t.db, staff.motcua01, { q: "" });
    expect(mine.items.map((d) => d.code)).toEqual([own]);
    const theirs = await listQueue(t.db, staff.motcua02, { q: "" });
    expect(theirs.items.map((d) => d.code)).toEqual([other]);
    // searching for the other agency's dossier by code finds nothing
    expect((await listQueue(t.db, staff.motcua01, { q: other })).items).toEqual([]);
  });

  it("finds an applicant typed in full-width letters (the search box's text is NFKC-normalised)", async () => {
    const { q } = QueueQuery.parse({ q: "Ｎguyễn Ｖăn" });
    expect((await listQueue(t.db, staff.motcua01, { q })).items.map((d) => d.code)).toEqual([own]);
  });

  it("cannot open or act on another commune's dossier, and each refusal is audited", async () => {
    expect(await openDossier(t.db, staff.motcua01, other)).toMatchObject({ ok: false, error: { status: 404 } });
    for (const action of DESK_ACTIONS) {
      expect(await actOnDossier(t.db, staff.lanhdao01, other, action, "lý do")).toMatchObject({ ok: false, error: { status: 404 } });
    }
    const [row] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'desk.refused_access' and subject_id = $1", [other]);
    expect(row.n).toBe(1 + DESK_ACTIONS.length);
    const [status] = await t.query<{ status: number }>("select status from dossiers where code = $1", [other]);
    expect(status.status).toBe(1);
  });

  it("each role may do exactly its actions; a specialist cannot return results", async () => {
    expect(mayAct("specialist", "returnResult")).toBe(false);
    expect(mayAct("desk", "complete")).toBe(false);
    expect(mayAct("leader", "stop")).toBe(true);
    expect(await actOnDossier(t.db, staff.chuyenvien01, own, "returnResult", "")).toMatchObject({ ok: false, error: { code: "desk.forbidden", status: 403 } });
    expect(await actOnDossier(t.db, staff.motcua01, own, "refuse", "")).toMatchObject({ ok: false, error: { code: "desk.note_required" } });
  });

  it("walks a dossier from receipt to returned result, each step by the right role", async () => {
    const steps: [string, (typeof DESK_ACTIONS)[number], string][] = [
      ["motcua01", "receive", ""], ["chuyenvien01", "process", ""], ["chuyenvien01", "requestSupplement", "Thiếu giấy tờ chứng minh chỗ ở"],
      ["chuyenvien01", "process", ""], ["chuyenvien01", "complete", ""], ["motcua01", "returnResult", ""],
    ];
    for (const [who, action, note] of steps) {
      const r = await actOnDossier(t.db, staff[who], own, action, note);
      expect(r, `${who} ${action}`).toMatchObject({ ok: true });
    }
    const opened = await openDossier(t.db, staff.motcua01, own);
    if (!opened.ok) throw new Error("open");
    expect(opened.value.events.map((e) => e.status)).toEqual([1, 2, 4, 5, 4, 9, 10]);
    expect(opened.value.actions).toEqual([]); // returned: nothing left to do
    const [views] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action = 'personal_data.view' and subject_id = $1", [own]);
    expect(views.n).toBeGreaterThan(0);
  });
});

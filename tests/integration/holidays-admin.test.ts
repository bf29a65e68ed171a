// The holiday table is administrators' data: edits change deadlines, survive re-seeding, are audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HolidayForm } from "~/modules/calendar/holidays.schema";
import { listHolidays, saveHoliday } from "~/modules/calendar/holidays.server";
import { calendarFrom, isWorkingDay } from "~/modules/deadlines/working-time";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import { staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let admin: StaffUser;
let desk: StaffUser;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  const users = await t.db.select().from(staffUsers);
  admin = users.find((u) => u.role === "admin")!;
  desk = users.find((u) => u.username === "motcua01")!;
}, 60_000);
afterAll(() => t?.cleanup());

const form = (f: Record<string, string>) => HolidayForm.parse({ csrf: "x", ...f });
const calendar = async () => calendarFrom(await t.db.select().from((await import("~db/schema")).holidays));

describe("holiday administration", () => {
  it("an administrator adds a make-up Saturday and deletes a day off; deadlines follow", async () => {
    const sat = new Date("2027-01-09T03:00:00Z"); // Saturday
    expect(isWorkingDay(await calendar(), sat)).toBe(false);
    expect((await saveHoliday(t.db, admin, form({ intent: "save", date: "2027-01-09", name: "Làm bù", kind: "make_up_working_day" }))).ok).toBe(true);
    expect(isWorkingDay(await calendar(), sat)).toBe(true);
    expect((await saveHoliday(t.db, admin, form({ intent: "delete", date: "2026-11-24" }))).ok).toBe(true);
    expect(isWorkingDay(await calendar(), new Date("2026-11-24T03:00:00Z"))).toBe(true);
    const [audit] = await t.query<{ n: number }>("select count(*)::int as n from audit_log where action like 'holiday.%'");
    expect(audit.n).toBe(2);
  });
  it("edits survive re-seeding", async () => {
    await seedCatalog(t.db);
    expect((await listHolidays(t.db, 2026)).some((h) => h.date === "2026-11-24")).toBe(false);
    expect((await listHolidays(t.db, 2027)).find((h) => h.date === "2027-01-09")?.isWorkingDay).toBe(true);
  });
  it("only administrators may edit; bad input is refused", async () => {
    expect(await saveHoliday(t.db, desk, form({ intent: "save", date: "2027-01-16", name: "x" }))).toMatchObject({ ok: false, error: { status: 403 } });
    expect(HolidayForm.safeParse({ csrf: "x", intent: "save", date: "2027-02-30", name: "x" }).success).toBe(false);
    expect(HolidayForm.safeParse({ csrf: "x", intent: "save", date: "2027-01-16", name: "x", kind: "party" }).success).toBe(false);
    expect(await saveHoliday(t.db, admin, form({ intent: "save", date: "2027-01-16" }))).toMatchObject({ ok: false, error: { status: 400 } });
  });
});

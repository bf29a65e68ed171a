// The holiday table is data an administrator edits (days off, make-up working Saturdays); the
// deadline calculator reads it. Every edit is audited.
import { asc, eq, like } from "drizzle-orm";
import { appError, err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { holidays } from "~db/schema";
import type { HolidayForm } from "./holidays.schema";

export async function listHolidays(db: AppDb, year: number) {
  return db.select().from(holidays).where(like(holidays.date, `${year}-%`)).orderBy(asc(holidays.date));
}

const forbidden = () => appError("holidays.forbidden", 403, "desk.errors.forbidden");

export async function saveHoliday(db: AppDb, staff: StaffUser, f: HolidayForm): Promise<Result<{ date: string }>> {
  if (staff.role !== "admin") return err(forbidden());
  if (f.intent === "save" && !f.name) return err(appError("holidays.name_required", 400, "holidays.errors.name"));
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(holidays).where(eq(holidays.date, f.date));
    if (f.intent === "delete") {
      await tx.delete(holidays).where(eq(holidays.date, f.date));
    } else {
      const row = { date: f.date, name: f.name, kind: f.kind === "day_off" ? "admin_day_off" : "make_up_working_day", isWorkingDay: f.kind === "make_up_working_day", official: true };
      await tx.insert(holidays).values(row).onConflictDoUpdate({ target: holidays.date, set: row });
    }
    await appendAudit(tx, { actorKind: "official", actorId: staff.username, action: `holiday.${f.intent}`, subjectKind: "holiday", subjectId: f.date, details: { before: before ?? null, name: f.name, kind: f.kind } });
  });
  return ok({ date: f.date });
}

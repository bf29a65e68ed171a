// Deadlines against hand-checked cases, on the seeded 2026 holiday table.
import { describe, expect, it } from "vitest";
import { addWorkingTime, calendarFrom, clockStart, dueDate, endOfWorkingDay, isWorkingDay, vnDay, workingMsBetween } from "~/modules/deadlines/working-time";
import { readHolidays } from "~db/seed";

const cal = calendarFrom(readHolidays());
/** Local Vietnam time. */
const vn = (s: string) => new Date(`${s}+07:00`);
const iso = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
const HOUR = 3600_000;

describe("working days", () => {
  it("knows weekends, Tết 2026, a swapped day off and the make-up Saturday", () => {
    expect(isWorkingDay(cal, vn("2026-02-13T10:00"))).toBe(true); // Friday before Tết
    for (const d of ["14", "15", "16", "17", "18", "19", "20", "21", "22"]) expect(isWorkingDay(cal, vn(`2026-02-${d}T10:00`))).toBe(false);
    expect(isWorkingDay(cal, vn("2026-02-23T10:00"))).toBe(true);
    expect(isWorkingDay(cal, vn("2026-08-22T10:00"))).toBe(true); // make-up Saturday
    expect(isWorkingDay(cal, vn("2026-08-29T10:00"))).toBe(false); // an ordinary Saturday
    expect(isWorkingDay(cal, vn("2026-08-31T10:00"))).toBe(false); // swapped Monday off
  });
});

describe("when the clock starts", () => {
  it("inside working hours: at once; at lunch: 13:30; after 17:00: the next working morning", () => {
    expect(iso(clockStart(cal, vn("2026-11-27T09:15")))).toBe("2026-11-27 09:15");
    expect(iso(clockStart(cal, vn("2026-11-27T12:00")))).toBe("2026-11-27 13:30");
    expect(iso(clockStart(cal, vn("2026-11-27T17:01")))).toBe("2026-11-30 07:00"); // Friday → Monday
    expect(iso(clockStart(cal, vn("2026-11-30T06:10")))).toBe("2026-11-30 07:00");
  });
});

describe("appointment dates", () => {
  it("Friday before Tết 2026 at 16:59, one working day: one minute that Friday, the rest on Monday 23/02", () => {
    expect(iso(dueDate(cal, { receivedAt: vn("2026-02-13T16:59"), amount: 1, unit: "working_days" }))).toBe("2026-02-23 16:59");
  });
  it("Friday before Tết 2026 at 17:01, one working day: counts from Monday 23/02 07:00", () => {
    expect(iso(dueDate(cal, { receivedAt: vn("2026-02-13T17:01"), amount: 1, unit: "working_days" }))).toBe("2026-02-23 17:00");
  });
  it("seven working days for permanent residence, received Friday before Tết at 16:59", () => {
    // Feb 23..27 (Mon–Fri) are five working days, then Mar 2 (Mon), Mar 3 (Tue)
    expect(iso(dueDate(cal, { receivedAt: vn("2026-02-13T16:59"), amount: 7, unit: "working_days" }))).toBe("2026-03-03 16:59");
  });
  it("the make-up Saturday 22/08/2026 is a working day", () => {
    // Friday 16:00: one hour that day, seven hours on Saturday 22/08 (07:00–11:30, 13:30–16:00)
    expect(iso(dueDate(cal, { receivedAt: vn("2026-08-21T16:00"), amount: 1, unit: "working_days" }))).toBe("2026-08-22 16:00");
    // and Monday 31/08 – Wednesday 02/09 are off: Friday 28/08 10:00 + 1 day → Thursday 03/09 10:00
    expect(iso(dueDate(cal, { receivedAt: vn("2026-08-28T10:00"), amount: 1, unit: "working_days" }))).toBe("2026-09-03 10:00");
  });
  it("half a working day is four working hours, across lunch", () => {
    // 09:00–11:30 is 2.5 h, the other 1.5 h from 13:30
    expect(iso(dueDate(cal, { receivedAt: vn("2026-11-27T09:00"), amount: 0.5, unit: "working_days" }))).toBe("2026-11-27 15:00");
  });
  it("a supplement pause does not count", () => {
    // received Mon 23/11 09:00, 3 working days (24 h): Mon 6 h, Tue 24/11 off (Vietnam Culture
    // Day), Wed 8 h, Thu 8 h, Fri 2 h → Fri 27/11 09:00
    const base = dueDate(cal, { receivedAt: vn("2026-11-23T09:00"), amount: 3, unit: "working_days" });
    expect(iso(base)).toBe("2026-11-27 09:00");
    // waiting for the citizen from Mon 23/11 15:00 to Wed 25/11 10:00: 2 h Monday + 3 h Wednesday = 5 working hours
    const pauses = [{ from: vn("2026-11-23T15:00"), to: vn("2026-11-25T10:00") }];
    expect(workingMsBetween(cal, pauses[0].from, pauses[0].to)).toBe(5 * HOUR);
    // Fri 09:00 + 5 h: 2.5 h to 11:30, 2.5 h from 13:30
    expect(iso(dueDate(cal, { receivedAt: vn("2026-11-23T09:00"), amount: 3, unit: "working_days", pauses }))).toBe("2026-11-27 16:00");
  });
  it("calendar days land on the next working moment when they end on a day off", () => {
    // judicial record certificate: 10 days; received Fri 06/11/2026 10:00 → Mon 16/11 10:00
    expect(iso(dueDate(cal, { receivedAt: vn("2026-11-06T10:00"), amount: 10, unit: "days" }))).toBe("2026-11-16 10:00");
    // received Wed 04/11 10:00 + 10 days = Sat 14/11 → Mon 16/11 07:00
    expect(iso(dueDate(cal, { receivedAt: vn("2026-11-04T10:00"), amount: 10, unit: "days" }))).toBe("2026-11-16 07:00");
  });
  it("adds working time across nights and weekends exactly", () => {
    expect(iso(addWorkingTime(cal, vn("2026-11-27T16:30"), HOUR))).toBe("2026-11-30 07:30");
    expect(workingMsBetween(cal, vn("2026-11-27T07:00"), vn("2026-11-30T17:00"))).toBe(16 * HOUR);
  });
});

describe("a new appointment day", () => {
  it("is due at 17:00 of a working day; weekends, holidays and impossible dates have none", () => {
    expect(iso(endOfWorkingDay(cal, "2026-11-25")!)).toBe("2026-11-25 17:00");
    expect(iso(endOfWorkingDay(cal, "2026-08-22")!)).toBe("2026-08-22 17:00"); // make-up Saturday
    for (const day of ["2026-11-24", "2026-11-28", "2026-02-17", "2026-02-30", "2026-13-01", "25/11/2026"]) expect(endOfWorkingDay(cal, day), day).toBeNull();
  });
  it("reads today in Viet Nam, whatever the server's clock zone", () => {
    expect(vnDay(new Date("2026-11-27T16:59:00Z"))).toBe("2026-11-27");
    expect(vnDay(new Date("2026-11-27T17:00:00Z"))).toBe("2026-11-28");
  });
});

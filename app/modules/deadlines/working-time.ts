// Legal deadlines in working time (Asia/Ho_Chi_Minh, UTC+7 all year).
// Working hours 07:00–11:30 and 13:30–17:00 (8 h a day); weekends and public holidays off,
// make-up working Saturdays on; a dossier received outside working hours counts from the next
// working moment (after 17:00: the next working morning); time waiting for a citizen's
// supplement does not count.

const TZ_OFFSET_MS = 7 * 3600_000;
const MINUTE = 60_000;
/** Working periods of a day, in minutes since local midnight. */
const PERIODS: readonly [number, number][] = [[7 * 60, 11 * 60 + 30], [13 * 60 + 30, 17 * 60]];
export const WORKING_MS_PER_DAY = PERIODS.reduce((s, [a, b]) => s + (b - a), 0) * MINUTE;

export interface WorkCalendar {
  /** yyyy-MM-dd → false for a day off, true for a make-up working day; absent: by weekday. */
  overrides: ReadonlyMap<string, boolean>;
}

export function calendarFrom(rows: { date: string; isWorkingDay: boolean }[]): WorkCalendar {
  return { overrides: new Map(rows.map((r) => [r.date, r.isWorkingDay])) };
}

const localDay = (t: number) => new Date(t + TZ_OFFSET_MS).toISOString().slice(0, 10);
const localMidnight = (t: number) => Math.floor((t + TZ_OFFSET_MS) / 86_400_000) * 86_400_000 - TZ_OFFSET_MS;

export function isWorkingDay(cal: WorkCalendar, t: number | Date): boolean {
  const ms = typeof t === "number" ? t : t.getTime();
  const o = cal.overrides.get(localDay(ms));
  if (o !== undefined) return o;
  const dow = new Date(ms + TZ_OFFSET_MS).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The working intervals [start, end) of the local day containing t (empty on a day off). */
function intervalsOf(cal: WorkCalendar, t: number): [number, number][] {
  if (!isWorkingDay(cal, t)) return [];
  const midnight = localMidnight(t);
  return PERIODS.map(([a, b]) => [midnight + a * MINUTE, midnight + b * MINUTE]);
}

/** Adds `ms` of working time to `from` (which need not be inside working hours). */
export function addWorkingTime(cal: WorkCalendar, from: Date, ms: number): Date {
  let t = from.getTime();
  let left = ms;
  for (let guard = 0; guard < 3660; guard++) {
    for (const [a, b] of intervalsOf(cal, t)) {
      if (t >= b) continue;
      const start = Math.max(t, a);
      if (start + left <= b) return new Date(start + left);
      left -= b - start;
      t = b;
    }
    t = localMidnight(t) + 86_400_000; // next local day, 00:00
  }
  throw new Error("addWorkingTime: no working time within ten years");
}

/** yyyy-MM-dd of the day in Viet Nam that contains t. */
export const vnDay = (t: Date) => localDay(t.getTime());

/**
 * The end of working hours (17:00) on `day` (yyyy-MM-dd, Viet Nam): the moment a result promised
 * for that day is due. Null when the day is not a working day (weekend or holiday, unless a
 * make-up working day) or not a date.
 */
export function endOfWorkingDay(cal: WorkCalendar, day: string): Date | null {
  const midnight = Date.parse(`${day}T00:00:00Z`) - TZ_OFFSET_MS;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(midnight) || localDay(midnight) !== day) return null;
  if (!isWorkingDay(cal, midnight)) return null;
  return new Date(midnight + PERIODS[PERIODS.length - 1][1] * MINUTE);
}

/** Working time between a and b (0 if b <= a). */
export function workingMsBetween(cal: WorkCalendar, a: Date, b: Date): number {
  let t = a.getTime();
  const end = b.getTime();
  let total = 0;
  while (t < end) {
    for (const [s, e] of intervalsOf(cal, t)) total += Math.max(0, Math.min(e, end) - Math.max(s, t));
    t = localMidnight(t) + 86_400_000;
  }
  return total;
}

/** When the clock starts for a dossier received at `receivedAt`: the next working moment. */
export function clockStart(cal: WorkCalendar, receivedAt: Date): Date {
  return addWorkingTime(cal, receivedAt, 0);
}

export type TimeUnit = "working_days" | "days" | "immediate";

export interface DueInput {
  receivedAt: Date;
  amount: number;
  unit: TimeUnit;
  /** Periods waiting for the citizen (supplement requested → supplement received). */
  pauses?: { from: Date; to: Date }[];
}

/**
 * The appointment date. Working days: the working time N × 8 h after the clock starts.
 * Calendar days: N × 24 h after the clock starts, moved to the next working moment if it falls
 * outside working time. Pauses add back the working time they covered.
 */
export function dueDate(cal: WorkCalendar, input: DueInput): Date {
  const start = clockStart(cal, input.receivedAt);
  const paused = (input.pauses ?? []).reduce((s, p) => s + workingMsBetween(cal, p.from, p.to), 0);
  if (input.unit === "immediate") return addWorkingTime(cal, start, paused);
  if (input.unit === "working_days") return addWorkingTime(cal, start, Math.round(input.amount * WORKING_MS_PER_DAY) + paused);
  const calendarDue = new Date(start.getTime() + input.amount * 86_400_000);
  // a calendar deadline that lands outside working time moves to the next working moment
  const landed = insideWorkingTime(cal, calendarDue) ? calendarDue : addWorkingTime(cal, calendarDue, 0);
  return addWorkingTime(cal, landed, paused);
}

export function insideWorkingTime(cal: WorkCalendar, t: Date): boolean {
  return intervalsOf(cal, t.getTime()).some(([a, b]) => t.getTime() >= a && t.getTime() < b);
}

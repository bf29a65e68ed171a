import { z } from "zod";

// a real calendar day: the pattern alone lets "2026-13-45" through, and an invalid Date must not
// reach toISOString (which throws); zod runs the refinement even after the pattern failed
const realDay = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(d);
};
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(realDay);
export const ReportQuery = z
  .object({ from: day, to: day })
  .refine((q) => q.from <= q.to && Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: "reports.badRange" });

export function defaultRange(now = new Date()) {
  const d = new Date(now.getTime() + 7 * 3600_000);
  const to = d.toISOString().slice(0, 10);
  const from = `${to.slice(0, 4)}-01-01`;
  return { from, to };
}

/** The period asked for in a query string (from/to), or this year so far when absent. */
export function parseReportRange(params: URLSearchParams) {
  const asked = Object.fromEntries([...params].filter(([k]) => k === "from" || k === "to"));
  return ReportQuery.safeParse({ ...defaultRange(), ...asked });
}

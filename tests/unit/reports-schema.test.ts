// The report period comes from the query string: any text at all must parse to a result
// (never throw — it used to, with a RangeError and a 500, for "not-a-date" or "2026-13-45").
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseReportRange } from "~/modules/reports/reports.schema";

const parse = (q: Record<string, string>) => parseReportRange(new URLSearchParams(q));

describe("report period", () => {
  it("accepts a real period of at most a year", () => {
    expect(parse({ from: "2026-01-01", to: "2026-12-31" }).success).toBe(true);
    expect(parse({ from: "2024-02-29", to: "2024-03-01" }).success).toBe(true);
  });

  it.each([
    ["not a date", { from: "not-a-date" }],
    ["month 13", { from: "2026-13-45", to: "2026-12-31" }],
    ["30 February", { from: "2026-02-30", to: "2026-03-01" }],
    ["reversed", { from: "2026-06-30", to: "2026-01-01" }],
    ["longer than a year", { from: "2024-01-01", to: "2026-01-01" }],
    ["empty", { from: "", to: "" }],
  ])("refuses %s", (_, q) => {
    expect(parse(q).success).toBe(false);
  });

  it("never throws, whatever the query string holds", () => {
    fc.assert(fc.property(fc.string(), fc.string(), (from, to) => {
      const r = parse({ from, to });
      expect(typeof r.success).toBe("boolean");
    }), { numRuns: 2000 });
  });
});

// One CSV escaping rule for every export (kiosk report, indicators): no cell a spreadsheet would
// run as a formula, quotes and line breaks kept inside their cell.
import { describe, expect, it } from "vitest";
import { csvCell, csvDocument } from "~/lib/csv";
import { toCsv, type IndicatorRow } from "~/modules/reports/indicators.server";
import { reportCsv } from "~/modules/kiosk/reports.server";

describe("csvCell", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+84912345678", "'+84912345678"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=1", "'\t=1"],
  ])("neutralises the formula start of %j", (given, expected) => expect(csvCell(given)).toBe(expected));
  it("quotes a cell that starts with a carriage return (and neutralises it)", () => expect(csvCell("\r=1")).toBe(`"'\r=1"`));
  it("doubles quotes and quotes cells with commas or line breaks", () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvCell("line 1\r\nline 2")).toBe('"line 1\r\nline 2"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
  it("leaves plain text and numbers alone; null is empty", () => {
    expect(csvCell("Xã Hạ Long")).toBe("Xã Hạ Long");
    expect(csvCell(12)).toBe("12");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
  it("writes a BOM, CRLF line ends and a final CRLF", () => {
    expect(csvDocument(["a", "b"], [["=x", 1]])).toBe("\uFEFFa,b\r\n'=x,1\r\n");
  });
});

describe("both exports escape the same way", () => {
  const hostile = "\t=cmd|' /C calc'!A0";
  it("the indicators export", () => {
    const row: IndicatorRow = { agencyCode: "X", agencyName: hostile, month: "2026-11", received: 1, finished: 0, finishedOnTime: 0, online: 1, digitised: 0, rated: 0, satisfied: 0, onTimeRate: null, onlineRate: 100, digitisationRate: null, satisfaction: null };
    expect(toCsv([row]).split("\r\n")[1]).toBe(`X,${csvCell(hostile)},2026-11,1,0,0,1,,100,,`);
  });
  it("the kiosk report", () => {
    const report = { rows: [{ procedure_code: "1.1", procedure_name: hostile, kiosk: "K", officer: '"O"', today: 1, month: 2 }] } as Parameters<typeof reportCsv>[0];
    expect(reportCsv(report).split("\r\n")[1]).toBe(`1.1,${csvCell(hostile)},K,"""O""",1,2`);
  });
});

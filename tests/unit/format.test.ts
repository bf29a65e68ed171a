import { describe, expect, it } from "vitest";
import { formatDate, formatVnd, vndInWords } from "~/lib/format";

describe("formatVnd", () => {
  it("writes Vietnamese dong the Vietnamese way", () => expect(formatVnd(20000, "vi")).toBe("20.000 ₫"));
  it("writes VND 20,000 in English", () => expect(formatVnd(20000, "en")).toBe("VND 20,000"));
});

describe("formatDate", () => {
  it("formats ISO dates as dd/MM/yyyy", () => expect(formatDate("2026-02-16")).toBe("16/02/2026"));
  it("reads instants in Vietnam time", () => expect(formatDate(new Date("2026-11-27T18:30:00Z"))).toBe("28/11/2026"));
});

describe("vndInWords", () => {
  it("reads amounts the way Vietnamese receipts write them", () => {
    const cases: [number, string][] = [
      [0, "Không đồng"], [10_000, "Mười nghìn đồng"], [15_000, "Mười lăm nghìn đồng"], [21_000, "Hai mươi mốt nghìn đồng"],
      [24_000, "Hai mươi tư nghìn đồng"], [105, "Một trăm linh năm đồng"], [200_000, "Hai trăm nghìn đồng"],
      [1_005_000, "Một triệu không trăm linh năm nghìn đồng"], [1_234_567, "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"],
      [2_000_000_000, "Hai tỷ đồng"], [1_000_000_001, "Một tỷ không trăm linh một đồng"],
    ];
    for (const [n, words] of cases) expect(vndInWords(n), String(n)).toBe(words);
  });
  it("refuses what is not a whole, non-negative amount", () => {
    for (const n of [-1, 1.5, Number.NaN]) expect(() => vndInWords(n)).toThrow(RangeError);
  });
});

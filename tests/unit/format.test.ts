import { describe, expect, it } from "vitest";
import { formatDate, formatVnd } from "~/lib/format";

describe("formatVnd", () => {
  it("writes Vietnamese dong the Vietnamese way", () => expect(formatVnd(20000, "vi")).toBe("20.000 ₫"));
  it("writes VND 20,000 in English", () => expect(formatVnd(20000, "en")).toBe("VND 20,000"));
});

describe("formatDate", () => {
  it("formats ISO dates as dd/MM/yyyy", () => expect(formatDate("2026-02-16")).toBe("16/02/2026"));
  it("reads instants in Vietnam time", () => expect(formatDate(new Date("2026-11-27T18:30:00Z"))).toBe("28/11/2026"));
});

// The kiosk's idle warning scales with the timeout, and the VNeID wait button says what it does
// (it checks again; it does not "continue") — issue 21 item 13.
import { describe, expect, it } from "vitest";
import { warnSeconds } from "~/components/kiosk/IdleLock";
import en from "../../locales/en/common.json";
import vi from "../../locales/vi/common.json";

describe("the idle warning", () => {
  it("lasts a quarter of the timeout, 30 s at most", () => {
    expect(warnSeconds(15)).toBe(3);
    expect(warnSeconds(60)).toBe(15);
    expect(warnSeconds(120)).toBe(30);
    expect(warnSeconds(3600)).toBe(30);
  });
});

describe("the VNeID wait button", () => {
  it("says it checks again", () => {
    expect(vi.kiosk.eid.check).toBe("Kiểm tra lại");
    expect(en.kiosk.eid.check).toBe("Check again");
  });
});

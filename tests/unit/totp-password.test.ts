import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "~/modules/identity/password.server";
import { base32Decode, base32Encode, totpAt, verifyTotp } from "~/modules/identity/totp";

describe("TOTP (RFC 6238)", () => {
  // RFC 6238 appendix B, SHA-1 seed "12345678901234567890", 8 digits there; 6 digits here are the last six
  const secret = base32Encode(Buffer.from("12345678901234567890"));
  it.each([[59, "287082"], [1111111109, "081804"], [1111111111, "050471"], [1234567890, "005924"], [2000000000, "279037"]])(
    "at %i s gives %s",
    (t, code) => expect(totpAt(secret, t * 1000)).toBe(code),
  );
  it("accepts one step of drift each way, and nothing further or malformed", () => {
    const now = 1_700_000_000_000;
    expect(verifyTotp(secret, totpAt(secret, now - 30_000), now)).not.toBeNull();
    expect(verifyTotp(secret, totpAt(secret, now + 30_000), now)).not.toBeNull();
    expect(verifyTotp(secret, totpAt(secret, now - 90_000), now)).toBeNull();
    expect(verifyTotp(secret, "12345", now)).toBeNull();
    expect(verifyTotp(secret, "abcdef", now)).toBeNull();
  });
  it("round-trips base32", () => {
    const b = Buffer.from([0, 1, 2, 250, 255, 17, 99]);
    expect(base32Decode(base32Encode(b))).toEqual(b);
  });
});

describe("staff passwords", () => {
  it("verifies the right password and refuses a wrong one; salts differ", async () => {
    const h1 = await hashPassword("Mật khẩu rất dài 2026!");
    const h2 = await hashPassword("Mật khẩu rất dài 2026!");
    expect(h1).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(h1).not.toBe(h2);
    expect(await verifyPassword("Mật khẩu rất dài 2026!", h1)).toBe(true);
    expect(await verifyPassword("Mật khẩu rất dài 2026?", h1)).toBe(false);
    expect(await verifyPassword("x", "md5$abc")).toBe(false);
  });
});

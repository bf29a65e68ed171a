import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "~/config.server";

describe("configuration", () => {
  it("has working defaults for a one-command start", () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.PGLITE_DIR).toBe("data/pglite");
    expect(c.SEED_ON_START).toBe(true);
  });
  it("names the variable and what it expects when a value is wrong", () => {
    try {
      parseConfig({ PORT: "abc", DATABASE_URL: "mysql://x" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/PORT: expected a TCP port number \(1-65535\) \(got "abc"\)/);
      expect(msg).toMatch(/DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ connection URL/);
    }
  });
  it("treats an empty DATABASE_URL as unset (embedded database)", () => {
    expect(parseConfig({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });
  it("rejects unknown enumerations", () => {
    expect(() => parseConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseConfig({ NODE_ENV: "staging" })).toThrow(/NODE_ENV/);
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError, nationalCitizenPages, parseConfig } from "~/config.server";

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
  it("refuses the development credentials of the national services in production", () => {
    const prod = { NODE_ENV: "production", START_MOCKS: "false", NATIONAL_INBOUND_TOKEN: "own-inbound-token-0123456789" };
    try {
      parseConfig(prod);
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      for (const name of ["VNEID_CLIENT_SECRET", "POPULATION_TOKEN", "PAYGOV_SECRET", "SMS_TOKEN"]) expect(msg).toContain(`${name}: expected a secret of your own in production`);
    }
    const own = { ...prod, VNEID_CLIENT_SECRET: "own-vneid", POPULATION_TOKEN: "own-population", PAYGOV_SECRET: "own-paygov", SMS_TOKEN: "own-sms-token", CLAMD: "clamd:3310" };
    expect(parseConfig(own).VNEID_CLIENT_SECRET).toBe("own-vneid");
  });
  it("refuses to run in production without a virus scanner unless unscanned uploads are allowed in so many words", () => {
    const prod = { NODE_ENV: "production", START_MOCKS: "true" };
    expect(() => parseConfig(prod)).toThrow(ConfigError);
    expect(() => parseConfig(prod)).toThrow(/CLAMD: expected host:port of clamd in production/);
    expect(() => parseConfig({ ...prod, CLAMD: "" })).toThrow(/CLAMD/);
    expect(() => parseConfig({ ...prod, ALLOW_UNSCANNED_UPLOADS: "false" })).toThrow(/CLAMD/);
    expect(parseConfig({ ...prod, CLAMD: "127.0.0.1:3310" }).CLAMD).toBe("127.0.0.1:3310");
    expect(parseConfig({ ...prod, ALLOW_UNSCANNED_UPLOADS: "true" }).ALLOW_UNSCANNED_UPLOADS).toBe(true);
    expect(() => parseConfig({ ...prod, ALLOW_UNSCANNED_UPLOADS: "yes" })).toThrow(/ALLOW_UNSCANNED_UPLOADS: expected true or false/);
    // development and tests keep the one-command start
    expect(parseConfig({}).CLAMD).toBeUndefined();
  });
  it("runs several web processes on PostgreSQL only, without the mock services", () => {
    expect(parseConfig({}).WEB_CONCURRENCY).toBe(1);
    const pg = { DATABASE_URL: "postgres://app:app@db/app", START_MOCKS: "false" };
    expect(parseConfig({ ...pg, WEB_CONCURRENCY: "2" }).WEB_CONCURRENCY).toBe(2);
    expect(() => parseConfig({ START_MOCKS: "false", WEB_CONCURRENCY: "2" })).toThrow(/WEB_CONCURRENCY: more than one web process needs PostgreSQL/);
    expect(() => parseConfig({ DATABASE_URL: pg.DATABASE_URL, WEB_CONCURRENCY: "2" })).toThrow(/WEB_CONCURRENCY: .*START_MOCKS=false/);
    expect(() => parseConfig({ ...pg, WEB_CONCURRENCY: "0" })).toThrow(/WEB_CONCURRENCY/);
  });
  it("needs every S3 setting with the S3 storage driver", () => {
    expect(() => parseConfig({ STORAGE_DRIVER: "s3", S3_ENDPOINT: "http://127.0.0.1:9000" })).toThrow(/S3_BUCKET/);
    expect(parseConfig({ STORAGE_DRIVER: "s3", S3_ENDPOINT: "http://127.0.0.1:9000", S3_BUCKET: "b", S3_ACCESS_KEY: "a", S3_SECRET_KEY: "s" }).STORAGE_DRIVER).toBe("s3");
  });
  it("files citizens online on the national portal unless told CITIZEN_FRONT=province (ADR 025)", () => {
    expect(parseConfig({}).CITIZEN_FRONT).toBe("national");
    expect(parseConfig({ CITIZEN_FRONT: "province" }).CITIZEN_FRONT).toBe("province");
    expect(() => parseConfig({ CITIZEN_FRONT: "both" })).toThrow(/CITIZEN_FRONT: expected national or province \(got "both"\)/);
  });
  it("finds the national portal's citizen pages beside its API unless given, and refuses a URL that is none", () => {
    expect(nationalCitizenPages(parseConfig({}))).toEqual({ filing: "http://127.0.0.1:4010/nop-ho-so", dossier: "http://127.0.0.1:4010/tra-cuu-ho-so" });
    expect(nationalCitizenPages(parseConfig({ NATIONAL_PORTAL_URL: "http://mock:4135/" }))).toEqual({ filing: "http://mock:4135/nop-ho-so", dossier: "http://mock:4135/tra-cuu-ho-so" });
    const own = parseConfig({ NATIONAL_FILING_URL: "https://dichvucong.gov.vn/p/nop-ho-so", NATIONAL_DOSSIER_URL: "https://dichvucong.gov.vn/p/ho-so" });
    expect(nationalCitizenPages(own)).toEqual({ filing: "https://dichvucong.gov.vn/p/nop-ho-so", dossier: "https://dichvucong.gov.vn/p/ho-so" });
    expect(() => parseConfig({ NATIONAL_FILING_URL: "dichvucong" })).toThrow(/NATIONAL_FILING_URL: expected the national portal's filing page URL/);
    expect(() => parseConfig({ NATIONAL_DOSSIER_URL: "ho-so" })).toThrow(/NATIONAL_DOSSIER_URL: expected the national portal's dossier page URL/);
  });
});

// The mock national population database as the portal (and testers) use it: its seeded citizens
// follow the CCCD rule and the province's real communes, every lookup answers as the contract says
// and lands in the lookup log, and the real client (integrations/population/http.ts) classifies
// each answer, a timeout included.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERR } from "~integrations/population/contract";
import { testCitizens } from "~integrations/population/fixtures";
import { PopulationRegistryHttp } from "~integrations/population/http";
import { type RunningPopulationMock, startPopulationMock } from "~integrations/population/mock/server";
import { freePort } from "../support/server";

const TOKEN = "test-population-token";
let mock: RunningPopulationMock;
beforeAll(async () => { mock = await startPopulationMock({ port: 0, token: TOKEN }); });
afterAll(() => mock?.close());

const lookup = (body: unknown, token: string | null = TOKEN) =>
  fetch(`${mock.url}/api/cong-dan/tra-cuu`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const adminLookups = async () => {
  const r = await fetch(`${mock.url}/__admin/lookups`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { lookups: { MaCanBo: string | null; MaYeuCau: string | null; SoDinhDanh: string | null; outcome: string; status: number; at: string }[] }).lookups;
};

const binh = testCitizens.find((c) => c.identityNumber === "022190318264")!;
const asker = { MaCanBo: "staff-42", MaYeuCau: "draft-0001" };

describe("seeded citizens", () => {
  it("have identity numbers that follow the CCCD rule (022, century and sex, birth year)", () => {
    expect(testCitizens.length).toBeGreaterThanOrEqual(8);
    for (const c of testCitizens) {
      const year = Number(c.birthDate.slice(0, 4));
      const centuryAndSex = (year < 2000 ? 0 : 2) + (c.sex === "Nữ" ? 1 : 0);
      expect(c.identityNumber, c.fullName).toMatch(new RegExp(`^022${centuryAndSex}${String(year).slice(2)}\\d{6}$`));
    }
  });

  it("live in real communes of Quảng Ninh, with the names the portal's commune list gives them", () => {
    const communes = new Map(
      fs.readFileSync("db/data/quang-ninh-communes.csv", "utf8").trim().split(/\r?\n/).slice(1).map((l) => l.split(",") as [string, string]),
    );
    for (const c of testCitizens) {
      for (const a of [c.permanentAddress, c.currentAddress]) expect(communes.get(a.communeCode), `${c.fullName} ${a.communeCode}`).toBe(a.communeName);
    }
  });

  it("include a child and someone living away from their permanent address", () => {
    const age = (iso: string) => (Date.now() - Date.parse(iso)) / (365.25 * 24 * 3600 * 1000);
    expect(testCitizens.some((c) => age(c.birthDate) < 14)).toBe(true);
    expect(testCitizens.some((c) => c.permanentAddress.communeCode !== c.currentAddress.communeCode)).toBe(true);
  });
});

describe("POST /api/cong-dan/tra-cuu", () => {
  it("answers a known number with the record (dates dd/MM/yyyy, both addresses with commune codes)", async () => {
    const r = await lookup({ SoDinhDanh: binh.identityNumber, ...asker });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      error_code: 0,
      data: {
        SoDinhDanh: "022190318264",
        HoVaTen: "Trần Thị Bình",
        NgayThangNamSinh: "22/07/1990",
        GioiTinh: "Nữ",
        SoDienThoai: "0912457380",
        Email: "tranthibinh@example.com",
        ThuongTru: { MaXa: "06793", TenXa: "Phường Cẩm Phả", ChiTiet: "Tổ 5, khu 3" },
        NoiOHienNay: { MaXa: "06673", TenXa: "Phường Bãi Cháy", ChiTiet: "Số 8, đường Hạ Long" },
      },
    });
  });

  it("matches a name typed in decomposed Unicode and with spaces around it, and the birth date", async () => {
    const r = await lookup({ SoDinhDanh: binh.identityNumber, HoVaTen: `  ${binh.fullName.normalize("NFD")} `, NgayThangNamSinh: "22/07/1990", ...asker });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { data: { HoVaTen: string } }).data.HoVaTen).toBe("Trần Thị Bình");
  });

  it("refuses a malformed request with 400 and a Vietnamese message naming each problem", async () => {
    const r = await lookup({ SoDinhDanh: "02219031826", MaCanBo: "staff-42", NgayThangNamSinh: "31/02/1990", Extra: 1 });
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error_code: number; message: string };
    expect(body.error_code).toBe(ERR.INVALID_REQUEST);
    expect(body.error_code).not.toBe(0);
    expect(body.message).toMatch(/^Yêu cầu tra cứu không hợp lệ: /);
    expect(body.message).toContain("Số định danh cá nhân phải gồm đúng 12 chữ số");
    expect(body.message).toContain("Ngày tháng năm sinh");
    expect(body.message).toContain("MaYeuCau");
    expect(body.message).toContain("Trường không được hỗ trợ: Extra");
    const notJson = await lookup("{not json");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toContain("không phải JSON");
  });

  it("refuses a wrong or missing token with 401", async () => {
    for (const token of ["wrong-token", null]) {
      const r = await lookup({ SoDinhDanh: binh.identityNumber, ...asker }, token);
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await r.json()) as { error_code: number }).error_code).toBe(ERR.UNAUTHORIZED);
    }
  });

  it("answers an unknown number with 404", async () => {
    const r = await lookup({ SoDinhDanh: "022099999999", ...asker });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error_code: ERR.NOT_FOUND, message: expect.stringContaining("Không tìm thấy") });
  });

  it("answers 409 when the name or the birth date does not match (names compare exactly, not case-insensitively)", async () => {
    const wrongName = await lookup({ SoDinhDanh: binh.identityNumber, HoVaTen: "trần thị bình", ...asker });
    expect(wrongName.status).toBe(409);
    expect(await wrongName.json()).toMatchObject({ error_code: ERR.MISMATCH, message: expect.stringContaining("họ và tên") });
    const wrongDate = await lookup({ SoDinhDanh: binh.identityNumber, HoVaTen: binh.fullName, NgayThangNamSinh: "23/07/1990", ...asker });
    expect(wrongDate.status).toBe(409);
    const body = (await wrongDate.json()) as { message: string };
    expect(body.message).toContain("ngày tháng năm sinh");
    expect(body.message).not.toContain("họ và tên");
  });
});

describe("the lookup log", () => {
  it("records every lookup, answered or refused, with who asked and why", async () => {
    await fetch(`${mock.url}/__admin/lookups`, { method: "DELETE", headers: { authorization: `Bearer ${TOKEN}` } });
    await lookup({ SoDinhDanh: binh.identityNumber, MaCanBo: "citizen-sub-1", MaYeuCau: "draft-7" });
    await lookup({ SoDinhDanh: "123", MaCanBo: "citizen-sub-1", MaYeuCau: "draft-7" });
    await lookup({ SoDinhDanh: binh.identityNumber, MaCanBo: "intruder", MaYeuCau: "x" }, "wrong-token");
    await lookup({ SoDinhDanh: "022099999999", MaCanBo: "staff-42", MaYeuCau: "HS-2025-001" });
    await lookup({ SoDinhDanh: binh.identityNumber, HoVaTen: "Trần Văn Bình", MaCanBo: "staff-42", MaYeuCau: "HS-2025-001" });
    const log = await adminLookups();
    expect(log.map(({ MaCanBo, MaYeuCau, SoDinhDanh, outcome, status }) => ({ MaCanBo, MaYeuCau, SoDinhDanh, outcome, status }))).toEqual([
      { MaCanBo: "citizen-sub-1", MaYeuCau: "draft-7", SoDinhDanh: binh.identityNumber, outcome: "found", status: 200 },
      { MaCanBo: "citizen-sub-1", MaYeuCau: "draft-7", SoDinhDanh: "123", outcome: "invalid", status: 400 },
      { MaCanBo: "intruder", MaYeuCau: "x", SoDinhDanh: binh.identityNumber, outcome: "unauthorized", status: 401 },
      { MaCanBo: "staff-42", MaYeuCau: "HS-2025-001", SoDinhDanh: "022099999999", outcome: "not_found", status: 404 },
      { MaCanBo: "staff-42", MaYeuCau: "HS-2025-001", SoDinhDanh: binh.identityNumber, outcome: "mismatch", status: 409 },
    ]);
    for (const e of log) expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    expect(mock.lookups()).toHaveLength(5);
  });

  it("is not readable without the token", async () => {
    expect((await fetch(`${mock.url}/__admin/lookups`)).status).toBe(401);
  });

  it("keeps only the last 1000 lookups", async () => {
    await fetch(`${mock.url}/__admin/lookups`, { method: "DELETE", headers: { authorization: `Bearer ${TOKEN}` } });
    for (let batch = 0; batch < 21; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => lookup({ SoDinhDanh: binh.identityNumber, MaCanBo: "bulk", MaYeuCau: `req-${batch * 50 + i}` })));
    }
    const log = await adminLookups();
    expect(log).toHaveLength(1000);
    expect(new Set(log.map((e) => e.MaYeuCau)).size).toBe(1000);
    // 1050 sent: the first 50 fell out of the ring
    expect(log.some((e) => e.MaYeuCau === "req-0")).toBe(false);
  });
});

describe("the real client against the mock", () => {
  const client = () => new PopulationRegistryHttp({ baseUrl: mock.url, token: TOKEN, timeoutMs: 5_000 });
  const input = { identityNumber: binh.identityNumber, requestedBy: "staff-42", requestId: "HS-2025-002" };

  it("turns each answer into a typed result", async () => {
    const found = await client().lookupCitizen({ ...input, fullName: binh.fullName, birthDate: "1990-07-22" });
    expect(found).toEqual({
      kind: "found",
      citizen: {
        identityNumber: "022190318264", fullName: "Trần Thị Bình", birthDate: "1990-07-22", sex: "Nữ",
        phone: "0912457380", email: "tranthibinh@example.com",
        permanentAddress: { communeCode: "06793", communeName: "Phường Cẩm Phả", detail: "Tổ 5, khu 3" },
        currentAddress: { communeCode: "06673", communeName: "Phường Bãi Cháy", detail: "Số 8, đường Hạ Long" },
      },
    });
    expect(await client().lookupCitizen({ ...input, identityNumber: "022099999999" })).toMatchObject({ kind: "not_found" });
    expect(await client().lookupCitizen({ ...input, birthDate: "1990-07-23" })).toMatchObject({ kind: "mismatch" });
    expect(await client().lookupCitizen({ ...input, identityNumber: "12" })).toMatchObject({ kind: "rejected", status: 400, code: ERR.INVALID_REQUEST });
    const wrongToken = new PopulationRegistryHttp({ baseUrl: mock.url, token: "nope" });
    expect(await wrongToken.lookupCitizen(input)).toMatchObject({ kind: "rejected", status: 401, code: ERR.UNAUTHORIZED });
  });

  it("gives up after its timeout on a slow database, and reports a closed port as unavailable", async () => {
    const slow = await startPopulationMock({ port: 0, token: TOKEN, latencyMs: 1_000 });
    try {
      const started = Date.now();
      const r = await new PopulationRegistryHttp({ baseUrl: slow.url, token: TOKEN, timeoutMs: 100 }).lookupCitizen(input);
      expect(r).toEqual({ kind: "unavailable", reason: "timeout" });
      expect(Date.now() - started).toBeLessThan(900);
    } finally {
      await slow.close();
    }
    const closed = await freePort();
    expect(await new PopulationRegistryHttp({ baseUrl: `http://127.0.0.1:${closed}`, token: TOKEN }).lookupCitizen(input)).toMatchObject({ kind: "unavailable", reason: "ECONNREFUSED" });
  });
});

describe("npm run mock:population", () => {
  it("starts on the given port with the token from the environment, logs JSON and stops on SIGTERM", async () => {
    const port = await freePort();
    const proc = spawn(process.execPath, ["--import", "tsx", "integrations/population/mock/cli.ts", "--port", String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, POPULATION_TOKEN: "from-env" },
    });
    let out = "";
    proc.stdout.on("data", (c: Buffer) => { out += c.toString(); });
    const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
    for (let i = 0; i < 200 && !out.includes('"listening"'); i++) await new Promise((r) => setTimeout(r, 50));
    const first = JSON.parse(out.split("\n")[0]) as { service: string; msg: string; url: string };
    expect(first).toMatchObject({ service: "mock-population", msg: "listening", url: `http://127.0.0.1:${port}` });
    const r = await fetch(`http://127.0.0.1:${port}/api/cong-dan/tra-cuu`, {
      method: "POST",
      headers: { authorization: "Bearer from-env" },
      body: JSON.stringify({ SoDinhDanh: binh.identityNumber, ...asker }),
    });
    expect(r.status).toBe(200);
    proc.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

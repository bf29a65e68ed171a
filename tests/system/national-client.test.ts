// The national portal client (integrations/national-portal/http.ts) against the mock's transport
// faults, one at a time and always on: what each one comes to for the sync engine.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NationalPortalHttp } from "~integrations/national-portal/http";
import type { CallRecord } from "~integrations/national-portal/port";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ port: 0 });
});
afterAll(async () => {
  await mock?.close();
});

const client = (baseUrl = mock.url, timeoutMs = 300) => new NationalPortalHttp({ baseUrl, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs });
const faults = (probabilities: Record<string, number>, extra: Record<string, unknown> = {}) =>
  fetch(`${mock.url}/__admin/faults`, { method: "POST", body: JSON.stringify({ seed: 1, hangMs: 5_000, retryAfterS: 7, ...extra, probabilities }) });
const lookUp = (c: NationalPortalHttp, records: CallRecord[] = []) => c.call("TraCuuHoSo", { mahoso: "000.01.31.H49-261128-0001" }, (r) => records.push(r));

describe("national portal client", () => {
  it("reads an unknown dossier as a refusal with the mock's code, after logging in once", async () => {
    await faults({});
    const c = client();
    const records: CallRecord[] = [];
    const first = await lookUp(c, records);
    expect(first).toMatchObject({ kind: "refused", code: 4 });
    await lookUp(c, records);
    expect(records.map((r) => r.service)).toEqual(["login", "TraCuuHoSo", "TraCuuHoSo"]);
    expect((records[1].request as { session: string }).session).toBe("…");
  });

  it("gives up on a call that hangs at its deadline, as a retry", async () => {
    const c = client();
    await lookUp(c); // logged in before the fault
    await faults({ hang: 1 });
    const started = Date.now();
    const o = await lookUp(c);
    const took = Date.now() - started;
    await faults({});
    expect(o).toEqual({ kind: "retry", reason: "timeout" });
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(4_000);
    // the pool still works after the aborted call
    expect((await lookUp(c)).kind).toBe("refused");
  });

  it("reads a reset connection and gateway errors as retries", async () => {
    const c = client();
    await lookUp(c);
    await faults({ reset: 1 });
    const reset = await lookUp(c);
    await faults({ http502: 1 });
    const bad = await lookUp(c);
    await faults({ http504: 1 });
    const gone = await lookUp(c);
    await faults({});
    expect(reset.kind).toBe("retry");
    expect(bad).toEqual({ kind: "retry", reason: "HTTP 502", afterMs: undefined });
    expect(gone).toEqual({ kind: "retry", reason: "HTTP 504", afterMs: undefined });
  });

  it("honours Retry-After on maintenance (503) and rate limiting (429)", async () => {
    const c = client();
    await lookUp(c);
    await faults({ maintenance: 1 });
    const down = await lookUp(c);
    await faults({ rateLimit: 1 }, { retryAfterS: 3 });
    const slow = await lookUp(c);
    await faults({});
    expect(down).toEqual({ kind: "retry", reason: "HTTP 503", afterMs: 7_000 });
    expect(slow).toEqual({ kind: "retry", reason: "HTTP 429", afterMs: 3_000 });
  });

  it("logs in again, once, when the session expires early", async () => {
    const c = client();
    const records: CallRecord[] = [];
    await lookUp(c, records);
    await faults({ sessionExpiry: 1 });
    const o = await lookUp(c, records);
    await faults({});
    // every call meets the fault: one new login, then it stops instead of looping
    expect(o).toEqual({ kind: "retry", reason: "session expired twice" });
    expect(records.map((r) => r.service)).toEqual(["login", "TraCuuHoSo", "TraCuuHoSo", "login", "TraCuuHoSo"]);
  });

  it("reads a closed port as a retry naming the cause", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    });
    const o = await lookUp(client(`http://127.0.0.1:${port}`));
    expect(o.kind).toBe("retry");
    expect((o as { reason: string }).reason).toMatch(/login: .*ECONNREFUSED/);
  });

  it("sends its calls under the base URL's path, and refuses an answer larger than its limit", async () => {
    const paths: string[] = [];
    const big = JSON.stringify({ error_code: 0, message: "ok", result: "x".repeat(200_000) });
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? "");
      req.resume().on("end", () => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url === "/gw/mapi/login" ? JSON.stringify({ error_code: 0, session: "s" }) : big);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/gw/`;
      const roomy = new NationalPortalHttp({ baseUrl: base, username: "u", password: "p", madonvi: "000.00.00.H49", timeoutMs: 2_000 });
      expect((await lookUp(roomy)).kind).toBe("ok");
      expect(paths).toEqual(["/gw/mapi/login", "/gw/mapi/service"]);
      const tight = new NationalPortalHttp({ baseUrl: base, username: "u", password: "p", madonvi: "000.00.00.H49", timeoutMs: 2_000, maxAnswerBytes: 100_000 });
      expect(await lookUp(tight)).toEqual({ kind: "retry", reason: "ANSWER_TOO_LARGE" });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

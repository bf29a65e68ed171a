// The mock national portal as integrators run it (its own process, npm run mock:national):
// the conformance suite passes against it, its state survives a restart, CLI faults apply.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mock-national-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function startMockProcess(args: string[] = []) {
  const port = await freePort();
  const proc = spawn(process.execPath, ["--import", "tsx", "integrations/national-portal/mock/cli.ts", "--port", String(port), "--dir", path.join(dir, "db"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${url}/__admin/stats`)).ok) break; } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => new Promise<void>((r) => { proc.once("exit", () => r()); proc.kill("SIGTERM"); }) };
}

describe("mock national portal process", () => {
  it("passes the conformance suite, and keeps its state across a restart", async () => {
    const mock = await startMockProcess();
    const run = spawnSync(process.execPath, ["--import", "tsx", "integrations/national-portal/conformance.ts", "--base-url", mock.url], { encoding: "utf8", timeout: 60_000 });
    // 18 canonical checks, then each of the 37 vendor payloads and its defect
    expect(run.stdout).toMatch(/^92 passed, 0 failed$/m);
    expect(run.status).toBe(0);
    const before = await (await fetch(`${mock.url}/__admin/stats`)).json();
    expect(before.dossiers).toBeGreaterThan(0);
    await mock.stop();
    const again = await startMockProcess();
    expect(await (await fetch(`${again.url}/__admin/stats`)).json()).toMatchObject({ dossiers: before.dossiers, progress: before.progress });
    await again.stop();
  }, 120_000);

  it("runs the strict profile given on the command line: the conformance suite's strict expectations hold", async () => {
    const mock = await startMockProcess(["--profile", "strict"]);
    try {
      expect(await (await fetch(`${mock.url}/__admin/profile`)).json()).toEqual({ profile: "strict" });
      const run = spawnSync(process.execPath, ["--import", "tsx", "integrations/national-portal/conformance.ts", "--base-url", mock.url, "--profile", "strict"], { encoding: "utf8", timeout: 60_000 });
      expect(run.stdout).toMatch(/^PASS vendor 02-opencps-insert-received .* is refused naming isUpdating/m);
      expect(run.stdout).toMatch(/^\d+ passed, 0 failed$/m);
      expect(run.status).toBe(0);
    } finally {
      await mock.stop();
    }
  }, 120_000);

  it("refuses an unknown profile at start", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "integrations/national-portal/mock/cli.ts", "--profile", "lax"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--profile: expected production or strict/);
  });

  it("applies faults given on the command line, reproducibly from the seed", async () => {
    const mock = await startMockProcess(["--fault", "http502=1"]);
    const r = await fetch(`${mock.url}/mapi/login`, { method: "POST", body: JSON.stringify({ username: "h49", password: "h49-secret" }) });
    expect(r.status).toBe(502);
    await mock.stop();
  }, 60_000);

  it("refuses an unknown fault name at start", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "integrations/national-portal/mock/cli.ts", "--fault", "meteor=1"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/unknown fault "meteor"/);
  });
});

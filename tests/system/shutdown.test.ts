// SIGTERM under load: the server stops within 5 s, every request it accepted gets its answer,
// and no client sees a connection reset — after the listener closes, new connections are
// refused instead.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type RunningPortal } from "../support/server";

let portal: RunningPortal;
beforeAll(async () => { portal = await startPortal(); }, 120_000);
afterAll(() => portal?.stop());

function request(agent: http.Agent, url: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode }));
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

describe("graceful shutdown", () => {
  it("drains in-flight requests and exits within 5 s of SIGTERM", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const paths = ["/thu-tuc?q=tam%20tru", "/thu-tuc/1.004222", "/don-vi", "/healthz"];
    const outcomes: { status?: number; error?: string; afterTerm: boolean }[] = [];
    let termAt = 0;
    let done = false;
    const worker = async (i: number) => {
      for (let n = 0; !done; n++) {
        const r = await request(agent, portal.url + paths[(i + n) % paths.length]);
        outcomes.push({ ...r, afterTerm: termAt > 0 });
        if (r.error === "ECONNREFUSED") return; // the listener is closed: this client is done
      }
    };
    const workers = Array.from({ length: 16 }, (_, i) => worker(i));
    // under load (shared CI cores) requests are slower: stop once traffic is flowing, not at a fixed time
    for (const start = Date.now(); outcomes.length < 30 && Date.now() - start < 30_000;) await new Promise((r) => setTimeout(r, 100));
    termAt = Date.now();
    portal.proc.kill("SIGTERM");
    const exit = await portal.exited;
    done = true;
    await Promise.all(workers);
    agent.destroy();

    const stopMs = exit.at - termAt;
    expect(exit.code).toBe(0);
    expect(stopMs).toBeLessThan(5000);
    const before = outcomes.filter((o) => !o.afterTerm);
    expect(before.length).toBeGreaterThan(20);
    expect(before.every((o) => o.status === 200)).toBe(true);
    const errors = outcomes.filter((o) => o.error && o.error !== "ECONNREFUSED");
    expect(errors).toEqual([]);
    // requests accepted after SIGTERM were still answered in full
    expect(outcomes.filter((o) => o.afterTerm && o.status === 200).length).toBeGreaterThan(0);
    expect(portal.stdout.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  }, 60_000);
});

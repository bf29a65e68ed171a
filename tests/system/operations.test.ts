// The interim operator pages: HTTP Basic, CSRF on replay, ledger lookups.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type RunningPortal } from "../support/server";

let portal: RunningPortal;
beforeAll(async () => { portal = await startPortal(); }, 120_000);
afterAll(() => portal?.stop());

const auth = { authorization: `Basic ${Buffer.from("operator:operator-test-password").toString("base64")}` };

describe("operator sync page", () => {
  it("asks for credentials and refuses wrong ones", async () => {
    const r = await fetch(`${portal.url}/van-hanh/dong-bo`);
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toMatch(/Basic/);
    const wrong = await fetch(`${portal.url}/van-hanh/dong-bo`, { headers: { authorization: `Basic ${Buffer.from("operator:nope").toString("base64")}` } });
    expect(wrong.status).toBe(401);
  });
  it("shows the queue to an operator, uncached", async () => {
    const r = await fetch(`${portal.url}/van-hanh/dong-bo`, { headers: auth });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    const html = await r.text();
    expect(html).toContain("Đồng bộ với Cổng DVC quốc gia");
    expect(html).toContain("Đang chờ đồng bộ");
  });
  it("refuses a replay without a valid CSRF token", async () => {
    const r = await fetch(`${portal.url}/van-hanh/dong-bo?index`, {
      method: "POST", headers: { ...auth, "content-type": "application/x-www-form-urlencoded" }, body: "csrf=forged.token&code=x", redirect: "manual",
    });
    expect(r.status).toBe(403);
  });
  it("answers the ledger of an unknown dossier with 404", async () => {
    const r = await fetch(`${portal.url}/van-hanh/dong-bo/000.01.31.H49-261128-9999`, { headers: auth });
    expect(r.status).toBe(404);
  });
});

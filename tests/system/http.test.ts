// The real server process over the production build: headers, health, metrics, logs, language.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type RunningPortal } from "../support/server";

let portal: RunningPortal;
beforeAll(async () => { portal = await startPortal(); }, 120_000);
afterAll(() => portal?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${portal.url}${path}`, { headers, redirect: "manual" });

describe("security headers", () => {
  it("sends a nonce-based CSP whose nonce every inline script carries", async () => {
    const r = await get("/thu-tuc");
    const csp = r.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    const html = await r.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    // a fresh nonce per response
    const again = (await get("/thu-tuc")).headers.get("content-security-policy");
    expect(again).not.toBe(csp);
  });
  it("sets nosniff, a referrer policy and refuses framing", async () => {
    const r = await get("/");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    expect(r.headers.get("x-powered-by")).toBeNull();
    expect(r.headers.get("strict-transport-security")).toMatch(/max-age=31536000/); // NODE_ENV=production
  });
  it("compresses HTML", async () => {
    const r = await get("/thu-tuc", { "accept-encoding": "gzip" });
    expect(r.headers.get("content-encoding")).toBe("gzip");
  });
});

describe("health, readiness and metrics", () => {
  it("answers /healthz and /readyz", async () => {
    expect((await get("/healthz")).status).toBe(200);
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", database: { ok: true } });
  });
  it("counts requests and latency per route", async () => {
    // read the bodies: the metrics are recorded when a response has finished
    await (await get("/thu-tuc/1.004222")).text();
    await (await get("/thu-tuc/9.999999")).text();
    const text = await (await get("/metrics")).text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="routes\/thu-tuc\.\$code",status="200"\} [1-9]/);
    expect(text).toMatch(/http_requests_total\{method="GET",route="routes\/thu-tuc\.\$code",status="404"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="routes\/thu-tuc\.\$code"\}/);
    expect(text).not.toContain('route="/thu-tuc/9.999999"');
  });
  it("writes one JSON object per log line, with the request id it answered with", async () => {
    const r = await get("/don-vi", { "x-request-id": "test-req-123" });
    expect(r.headers.get("x-request-id")).toBe("test-req-123");
    await new Promise((res) => setTimeout(res, 100));
    const entries = portal.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = entries.find((e) => e.requestId === "test-req-123");
    expect(line).toMatchObject({ level: "info", msg: "request", path: "/don-vi", status: 200 });
    // a hostile request id is replaced, not echoed
    const hostile = await get("/healthz", { "x-request-id": "<script>" });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("language", () => {
  it("is Vietnamese by default whatever the browser asks for", async () => {
    const html = await (await get("/thu-tuc", { "accept-language": "en-US,en;q=0.9" })).text();
    expect(html).toContain('<html lang="vi"');
    expect(html).toContain("Thủ tục hành chính");
  });
  it("switches with ?lng=en and remembers it in a cookie", async () => {
    const r = await get("/thu-tuc?lng=en");
    expect(await r.text()).toContain('<html lang="en"');
    const cookie = r.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^lng=en;/);
    expect(cookie).toMatch(/HttpOnly/i);
    const next = await (await get("/thu-tuc/1.004222", { cookie: "lng=en" })).text();
    expect(next).toContain('<html lang="en"');
    expect(next).toContain("Permanent residence registration");
    expect(next).toContain("VND 20,000");
  });
  it("formats money the Vietnamese way in Vietnamese", async () => {
    const html = await (await get("/thu-tuc/1.004222")).text();
    expect(html).toContain("20.000 ₫");
    expect(html).toContain("10.000 ₫");
  });
});

describe("errors", () => {
  it("answers an unknown procedure with a translated 404 page", async () => {
    const r = await get("/thu-tuc/9.999999");
    expect(r.status).toBe(404);
    expect(await r.text()).toContain("Không tìm thấy thủ tục có mã 9.999999");
  });
  it("answers an unknown path with a 404 page", async () => {
    const r = await get("/khong-co-trang-nay");
    expect(r.status).toBe(404);
    expect(await r.text()).toContain("Không tìm thấy trang");
  });
  it("answers invalid filters with 400 and a translated explanation, still showing results", async () => {
    const r = await get("/thu-tuc?level=zzz&q=tam%20tru");
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain("Cấp thực hiện không hợp lệ.");
    expect(html).toContain("Đăng ký tạm trú");
  });
  it("keeps the bench routes closed unless configured", async () => {
    expect((await get("/bench/bare")).status).toBe(404);
  });
});

// Request bodies over the real server process: bodies a route does not read must not stall the
// keep-alive connection, bodies past a limit are cut off, and 429s say when to come back.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type RunningPortal } from "../support/server";

let portal: RunningPortal;
beforeAll(async () => { portal = await startPortal(); }, 120_000);
afterAll(() => portal?.stop());

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string; reusedSocket: boolean }

/**
 * One request through `agent`, settled once the answer has ended and the body is written (the
 * answer may come first); rejects when no answer comes within 10 s (the socket timeout is 65 s).
 */
function send(agent: http.Agent, method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, portal.url);
    const req = http.request(url, { method, agent, headers: body ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(body.length), ...headers } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => void written.then(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), reusedSocket: req.reusedSocket })));
    });
    const written = new Promise((r) => req.once("finish", r));
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${method} ${path} within 10 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

describe("a body the route does not read", () => {
  const paths = ["/healthz", "/tra-cuu", "/thu-tuc", "/api/dvcqg/ho-so", "/nop/00000000-0000-0000-0000-000000000000/huy"];
  for (const path of paths) {
    it(`POST ${path} with 200 KB, then a GET on the same connection is answered`, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await send(agent, "POST", path, Buffer.alloc(200 * 1024, "a"));
        expect(first.status).toBeGreaterThanOrEqual(200);
        const next = await send(agent, "GET", "/healthz");
        expect(next.status).toBe(200);
        // drained, not closed: the connection was kept
        expect(next.reusedSocket).toBe(true);
      } finally {
        agent.destroy();
      }
    }, 30_000);
  }

  it("an upload-sized body (12 MB) a route refuses unread is drained too, keeping the connection", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // not signed in: the upload step redirects to sign-in without reading the files
      const first = await send(agent, "POST", "/nop/00000000-0000-0000-0000-000000000000/tai-lieu", Buffer.alloc(12 * 1024 * 1024, "a"), { "content-type": "multipart/form-data; boundary=x" });
      expect(first.status).toBeLessThan(500);
      const next = await send(agent, "GET", "/healthz");
      expect(next.status).toBe(200);
      expect(next.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it("refuses a declared body past the limit at once, and closes the connection", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const req = http.request(new URL("/thu-tuc", portal.url), { method: "POST", agent, headers: { "content-length": String(1024 * 1024 * 1024) } }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString("utf8")));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, reusedSocket: false }));
        });
        req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
        req.on("error", reject);
        req.write(Buffer.alloc(64 * 1024));
      });
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe("close");
      expect(answer.body).toContain("quá lớn");
    } finally {
      agent.destroy();
    }
  });
});

/**
 * Streams `total` bytes chunked (no Content-Length) until the answer comes; resolves with it and
 * the bytes written by then, or rejects with the socket error and the bytes written.
 */
function streamChunked(path: string, total: number, headers: Record<string, string>, opening = '{"dossier":"'): Promise<{ status: number; body: string; written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = http.request(new URL(path, portal.url), { method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      answered = true;
      const at = written;
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => { resolve({ status: res.statusCode ?? 0, body: text, written: at }); req.destroy(); });
    });
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", (e) => { if (!answered) reject(Object.assign(e, { written })); });
    const chunk = Buffer.alloc(64 * 1024, "a");
    req.write(opening);
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end('"}');
    };
    pump();
  });
}

describe("a body that does not end", () => {
  it("is cut off at the request limit (64 MiB) even while a route reads it, and the server goes on", async () => {
    // the sign-in action reads its whole form body: without a limit it would read 100 MB into memory
    const outcome = await streamChunked("/can-bo/dang-nhap", 100 * 1024 * 1024, { "content-type": "application/x-www-form-urlencoded" }, "username=")
      .then((r) => ({ answered: r.status, written: r.written }), (e: NodeJS.ErrnoException & { written?: number }) => ({ error: e.code ?? e.message, written: e.written ?? 0 }));
    expect(outcome).toMatchObject({ error: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect(outcome.written).toBeLessThan(100 * 1024 * 1024);
    expect((await fetch(`${portal.url}/healthz`)).status).toBe(200);
  }, 60_000);
});

describe("the inbound push", () => {
  it("stops reading a chunked 30 MB body at its 2 MB limit and answers 413 in the national shape", async () => {
    const r = await streamChunked("/api/dvcqg/ho-so", 30 * 1024 * 1024, { authorization: "Bearer test-inbound-token-0123456789" });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error_code: 413, message: "Dữ liệu quá lớn" });
    // answered while the client was still writing: the server did not read the 30 MB
    expect(r.written).toBeLessThan(20 * 1024 * 1024);
  }, 60_000);
});

describe("rate limits", () => {
  it("a 429 from /tra-cuu says when to come back (Retry-After)", async () => {
    const agent = new http.Agent({ keepAlive: false });
    let last: Answer | undefined;
    // 10 look-ups per code per 10 minutes: the 11th is refused
    for (let i = 0; i < 12; i++) {
      last = await send(agent, "GET", "/tra-cuu?ma=000.00.00.H00-261201-0001&so=1234");
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    const seconds = Number(last?.headers["retry-after"]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(600);
  }, 60_000);

  it("a 429 from staff sign-in says when to come back (Retry-After)", async () => {
    const agent = new http.Agent({ keepAlive: false });
    const form = Buffer.from("username=no-such-officer&password=wrong");
    let last: Answer | undefined;
    // 10 attempts per user name per 15 minutes
    for (let i = 0; i < 12; i++) {
      last = await send(agent, "POST", "/can-bo/dang-nhap", form);
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    const seconds = Number(last?.headers["retry-after"]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
  }, 60_000);

  it("a 429 from kiosk enrolment says when to come back (Retry-After)", async () => {
    const agent = new http.Agent({ keepAlive: false });
    const form = Buffer.from("code=WRONG-CODE");
    let last: Answer | undefined;
    // 30 enrolment attempts per 15 minutes, from anywhere
    for (let i = 0; i < 32; i++) {
      last = await send(agent, "POST", "/quay/thiet-bi", form);
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    const seconds = Number(last?.headers["retry-after"]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
  }, 60_000);
});

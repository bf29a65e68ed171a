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
  /** POSTs `body` to `path`, then asks for /healthz on the same connection. */
  async function thenOnSameConnection(path: string, body: Buffer, headers: Record<string, string> = {}) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, "POST", path, body, headers);
      expect(first.status).toBeGreaterThanOrEqual(200);
      expect(first.status).toBeLessThan(500);
      const next = await send(agent, "GET", "/healthz");
      expect(next.status).toBe(200);
      // drained, not closed: the connection was kept
      expect(next.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  }

  for (const path of paths) {
    it(`POST ${path} with 200 KB, then a GET on the same connection is answered`, () => thenOnSameConnection(path, Buffer.alloc(200 * 1024, "a")), 30_000);
  }

  it("an upload-sized body (12 MB) a route refuses unread is drained too, keeping the connection", () =>
    // not signed in: the upload step redirects to sign-in without reading the files
    thenOnSameConnection("/nop/00000000-0000-0000-0000-000000000000/tai-lieu", Buffer.alloc(12 * 1024 * 1024, "a"), { "content-type": "multipart/form-data; boundary=x" }), 30_000);

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
  // each place, what it takes to hit its limit, and its window
  const limited = [
    { what: "/tra-cuu (10 look-ups per code)", method: "GET", path: "/tra-cuu?ma=000.00.00.H00-261201-0001&so=1234", form: undefined, tries: 12, windowS: 10 * 60 },
    { what: "staff sign-in (10 attempts per user name)", method: "POST", path: "/can-bo/dang-nhap", form: "username=no-such-officer&password=wrong", tries: 12, windowS: 15 * 60 },
    { what: "kiosk enrolment (30 attempts from one address)", method: "POST", path: "/quay/thiet-bi", form: "code=WRONG-CODE", tries: 32, windowS: 15 * 60 },
  ];
  for (const l of limited) {
    it(`a 429 from ${l.what} says when to come back (Retry-After)`, async () => {
      const agent = new http.Agent({ keepAlive: false });
      let last: Answer | undefined;
      for (let i = 0; i < l.tries && last?.status !== 429; i++) last = await send(agent, l.method, l.path, l.form ? Buffer.from(l.form) : undefined);
      expect(last?.status).toBe(429);
      const seconds = Number(last?.headers["retry-after"]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(l.windowS);
    }, 60_000);
  }
});

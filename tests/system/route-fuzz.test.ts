// Every route of the production build, asked by every kind of visitor (nobody, a citizen, a desk
// officer, a leader, an administrator, a commune police officer at an enrolled kiosk), with hostile
// path parameters and query strings (GET), and hostile form bodies carrying the visitor's valid
// CSRF token (POST): the answer is never a 5xx. Query strings are how a bad link, a bookmarklet or
// a scanner reaches a loader; a loader that throws on one (a RangeError from a date, a ZodError from
// `.parse`) shows citizens the error page and pages the operators. Form posts get past the CSRF
// check here, so each action's own validation is what is tested.
//
// In process: the Remix request handler over `build/` (the system tests run after the build) and
// this test's own database, with sessions written straight into it. The generator is seeded
// (QUERY_FUZZ_SEED to explore another part or replay a run; the seed is printed with any failure).
// Every path parameter of every route also gets each control character (NUL first: PostgreSQL
// refuses it in text), whoever asks, and no answer may carry a stack trace or SQL. Last, the real
// server process in development mode (where Express and Remix would print stacks) gets hostile
// Origin headers on posts (403, never 5xx) and broken percent-encodings.
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDb } from "../support/db";
import { testContext, testServices } from "../support/services";
import { seedVisitors } from "../support/visitors";
import { startPortal, type RunningPortal } from "../support/server";

process.env.LOG_LEVEL ??= "error"; // the refusals are expected; their warnings would drown the report
// a fixed seed by default, so a CI run is repeatable; any other seed explores further
const SEED = Number(process.env.QUERY_FUZZ_SEED ?? 20_261_128);
const QUERIES_PER_ROUTE = Number(process.env.QUERY_FUZZ_RUNS ?? 4);

/** Names the loaders read (and some they do not): every one gets hostile values. */
const NAMES = ["q", "page", "trang", "status", "channel", "due", "after", "from", "to", "ma", "code", "state", "error", "returnTo",
  "lng", "nam", "kho", "pham-vi", "thu-tuc", "moi", "da-ket-thuc", "linh-vuc", "cap", "field", "level", "online", "agency", "sort", "__proto__"];
const HOSTILE = ["", "%", "%00", "\u0000", "-1", "0", "1e309", "NaN", "Infinity", "2026-13-45", "2026-02-30", "9999-99-99", "1767139200000_x",
  "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "'; drop table dossiers;--", "<script>alert(1)</script>", "javascript:alert(1)",
  "//evil.example/", "https://evil.example/", "__proto__", "constructor", "ạ́̀ Ồ", "🧧🎆", "a".repeat(5000), "9".repeat(400), "[]", "{}", "true", "en", "vi", "xx"];

const hostile = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 }), fc.integer().map(String));
const query = fc.array(fc.tuple(fc.constantFrom(...NAMES), hostile), { minLength: 0, maxLength: 6 })
  .map((pairs) => { const u = new URLSearchParams(); for (const [k, v] of pairs) u.append(k, v); return u.toString(); });

/** Form fields the pages post (and a few they do not). */
const FIELDS = ["intent", "code", "q", "procedureCode", "date", "attachmentId", "username", "password", "to", "status", "slot", "returnTo",
  "reason", "rating", "qr", "processingUnit", "onlineMode", "online", "note", "newDate", "name", "nam", "ma", "level", "legalBasis", "label",
  "kind", "keepDraft", "idNumber", "fullName", "from", "field", "fee", "due", "deviceId", "definition", "declaration", "comment", "channel",
  "birthDate", "agencyCode", "agency", "action", "via", "enrolCode", "totp", "lng", "__proto__"];
const INTENTS = ["submit", "save", "pay", "upload", "remove", "reschedule", "identify", "verify", "send", "start", "end", "keep", "discard",
  "publish", "edit", "add", "delete", "revoke", "register", "withdraw", "supplement", "rate", "receive", "refuse", "process", "requestSupplement",
  "requestPayment", "stop", "complete", "returnResult", "next", "back"];
const body = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.constant("intent"), fc.constant("action")), fc.oneof(hostile, fc.constantFrom(...INTENTS))), { minLength: 0, maxLength: 8 });

/** Query strings that give every name the same value: the values that once made a loader throw. */
const EVERY_NAME = ["a\u0000b", "2026-13-45", "9".repeat(400)].map((v) => new URLSearchParams(NAMES.map((n) => [n, v])).toString());

/** Control characters, percent-encoded as a hand-typed or hostile URL carries them. */
const CONTROL = ["%00", "a%00b", "%01", "%09", "%0A", "%1F", "%7F", "%C2%80", "%C2%9F"];

/** What an answer must never show: a stack trace (frames with file paths) or SQL and its errors. */
const LEAKS: [string, RegExp][] = [
  ["stack frame", /\n\s+at .*[/\\]|&nbsp;at /], ["node_modules", /node_modules/], ["source position", /\.tsx?:\d+/], ["stack field", /"stack"\s*:\s*"/],
  ["select", /\bselect "|\bselect [\w"*(].* from "/], ["insert into", /insert into/i], ["PostgresError", /PostgresError|Failed query/], ["violates", /violates/],
  ["encoding error", /invalid byte sequence/],
];
/** The leaks in an answer's body (binary files are not read as text). */
async function leaksOf(res: Response): Promise<string[]> {
  const type = res.headers.get("content-type") ?? "";
  if (!/text|json|html|turbo-stream|^$/.test(type)) {
    await res.arrayBuffer(); // read to the end: a cancelled stream makes React log "destination closed early"
    return [];
  }
  const text = await res.text();
  return LEAKS.filter(([, re]) => re.test(text)).map(([name]) => name);
}

let t: TestDb;
let build: ServerBuild;
const services = testServices();
/** What server.ts hands every loader and action. */
const context = testContext("fuzz", { clientIp: "10.0.0.9", services });
let handle: (request: Request, context: unknown) => Promise<Response>;
const visitors: Record<string, string> = { nobody: "" };
/** Each visitor's valid CSRF token (the police officer's kiosk session has its own, for /quay). */
const csrfOf: Record<string, { main: string; quay?: string }> = { nobody: { main: "" } };
const real: Record<string, string[]> = {};

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  const v = await seedVisitors(t.db);
  Object.assign(visitors, v.cookies);
  Object.assign(csrfOf, v.csrf);
  real.code = v.dossierCode ? [v.dossierCode] : [];
  real.draftId = [v.draft.draftId];
  real.step = ["xem-lai", "giay-to", "le-phi"];
  build = (await import(path.resolve("build/index.js"))) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request, context) => handler(request, context as never);
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

/**
 * 503 by design: /readyz when an outside system it checks is down, and the e-ID sign-in when the
 * VNeID provider cannot be reached (a translated "temporarily unavailable" page). No outside
 * system runs beside this test.
 */
const byDesign = (p: string, status: number) => status === 503 && ["/readyz", "/dang-nhap"].includes(p.split("?")[0]);

/** Each route of the build (but the benchmark's) with its full path pattern ("/ho-so/:code/phieu/:letterId"). */
function patternsOf(b: ServerBuild): { id: string; pattern: string }[] {
  const full = (id: string): string => {
    const r = b.routes[id];
    if (!r) return "";
    const parent = r.parentId ? full(r.parentId) : "";
    return r.path ? `${parent.replace(/\/$/, "")}/${r.path}` : parent;
  };
  return Object.keys(b.routes).filter((id) => id !== "routes/bench.bare").map((id) => ({ id, pattern: full(id) || "/" }));
}

/** The GET paths of the build, with each dynamic segment filled by a real value or a hostile one. */
function pathsOf(b: ServerBuild, rnd: () => number, withAction = false): string[] {
  const out = new Set<string>();
  for (const { id, pattern } of patternsOf(b)) {
    if (withAction && !b.routes[id].module.action) continue;
    for (const variant of [0, 1]) {
      const filled = pattern.replace(/:(\w+)|\*/g, (_m, name?: string) => {
        const pool = variant === 0 && name && real[name]?.length ? real[name] : HOSTILE.filter((h) => h.length < 200 && h !== "");
        return encodeURIComponent(pool[Math.floor(rnd() * pool.length)]);
      });
      // a form posts to an index route's action with ?index (without it, the post goes to the layout)
      out.add(withAction && b.routes[id].index ? `${filled}?index` : filled);
    }
  }
  return [...out].sort();
}

describe("every GET route with hostile path parameters and query strings", () => {
  it("never answers with a 5xx, whoever asks", async () => {
    const rnd = fc.sample(fc.double({ min: 0, max: 0.999999, noNaN: true }), { numRuns: 2000, seed: SEED });
    let k = 0;
    const paths = pathsOf(build, () => rnd[k++ % rnd.length]);
    const queries = fc.sample(query, { numRuns: QUERIES_PER_ROUTE * paths.length, seed: SEED });
    expect(paths.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let asked = 0;
    for (const [v, cookie] of Object.entries(visitors)) {
      for (const [i, p] of paths.entries()) {
        // no query, then every name at once with each of the values that broke loaders before, then random ones
        const asks = ["", ...EVERY_NAME, ...Array.from({ length: QUERIES_PER_ROUTE - 1 }, (_, j) => queries[(i * QUERIES_PER_ROUTE + j) % queries.length])];
        for (const q of asks) {
          const url = `http://127.0.0.1${p}${q ? `?${q}` : ""}`;
          const res = await handle(new Request(url, { headers: cookie ? { cookie } : {} }), context);
          asked++;
          if (res.status >= 500 && !byDesign(p, res.status)) failures.push(`${v} GET ${url.slice(17, 300)} → ${res.status}`);
          const leaks = await leaksOf(res);
          if (leaks.length) failures.push(`${v} GET ${url.slice(17, 300)} shows ${leaks.join(", ")}`);
        }
      }
    }
    expect(asked).toBeGreaterThan(200);
    expect(failures, `seed ${SEED}`).toEqual([]);
  }, 600_000);

  it("never answers a form post with a 5xx, even with a valid CSRF token", async () => {
    const rnd = fc.sample(fc.double({ min: 0, max: 0.999999, noNaN: true }), { numRuns: 2000, seed: SEED + 1 });
    let k = 0;
    // the routes that end a session go last, so the others are asked while signed in
    const ending = (p: string) => /dang-xuat|ket-thuc/.test(p);
    const paths = pathsOf(build, () => rnd[k++ % rnd.length], true).sort((a, b) => Number(ending(a)) - Number(ending(b)));
    const bodies = fc.sample(body, { numRuns: QUERIES_PER_ROUTE * paths.length, seed: SEED });
    expect(paths.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const [v, cookie] of Object.entries(visitors)) {
      for (const [i, p] of paths.entries()) {
        for (let j = 0; j < QUERIES_PER_ROUTE; j++) {
          const form = new URLSearchParams();
          const csrf = p.startsWith("/quay") ? csrfOf[v].quay ?? csrfOf[v].main : csrfOf[v].main;
          if (j < QUERIES_PER_ROUTE - 1) form.append("csrf", csrf); // and once without
          for (const [name, value] of bodies[(i * QUERIES_PER_ROUTE + j) % bodies.length]) form.append(name, value);
          const multipart = j % 2 === 1;
          const payload = multipart ? new FormData() : form;
          if (payload instanceof FormData) for (const [name, value] of form) payload.append(name, value);
          const headers: Record<string, string> = cookie ? { cookie } : {};
          if (!multipart) headers["content-type"] = "application/x-www-form-urlencoded";
          const res = await handle(new Request(`http://127.0.0.1${p}`, { method: "POST", body: payload, headers }), context);
          const leaks = await leaksOf(res);
          const asked = `${v} POST ${p} ${multipart ? "multipart" : "urlencoded"} ${form.toString().slice(0, 300)}`;
          if (res.status >= 500 && !byDesign(p, res.status)) failures.push(`${asked} → ${res.status}`);
          if (leaks.length) failures.push(`${asked} shows ${leaks.join(", ")}`);
        }
      }
    }
    expect(failures, `seed ${SEED}`).toEqual([]);
  }, 600_000);
});

/**
 * Every route with a path parameter, that parameter carrying each control character in turn (the
 * others real values, so the check reaches past the first one), as a GET and — for routes with an
 * action — a form post with the visitor's CSRF token.
 */
function controlPathsOf(b: ServerBuild): { path: string; post: boolean }[] {
  const out: { path: string; post: boolean }[] = [];
  for (const { id, pattern } of patternsOf(b)) {
    const names = [...pattern.matchAll(/:(\w+)|\*/g)].map((m) => m[1] ?? "*");
    for (const [i] of names.entries()) {
      for (const c of CONTROL) {
        let k = 0;
        const path = pattern.replace(/:(\w+)|\*/g, (_m, name?: string) => (k++ === i ? c : encodeURIComponent((name && real[name]?.[0]) || "x")));
        out.push({ path, post: false });
        if (b.routes[id].module.action) out.push({ path, post: true });
      }
    }
  }
  return out;
}

describe("every path parameter with control characters", () => {
  it("is refused with a 4xx (or passed over), never a 5xx, and no answer shows a stack or SQL, whoever asks", async () => {
    const asks = controlPathsOf(build);
    expect(asks.length).toBeGreaterThan(150);
    const failures: string[] = [];
    for (const [v, cookie] of Object.entries(visitors)) {
      for (const { path: p, post } of asks) {
        const headers: Record<string, string> = cookie ? { cookie } : {};
        let init: RequestInit = { headers };
        if (post) {
          headers["content-type"] = "application/x-www-form-urlencoded";
          const csrf = p.startsWith("/quay") ? csrfOf[v].quay ?? csrfOf[v].main : csrfOf[v].main;
          init = { method: "POST", headers, body: new URLSearchParams({ csrf, intent: "save" }).toString() };
        }
        const res = await handle(new Request(`http://127.0.0.1${p}`, init), context);
        const leaks = await leaksOf(res);
        if (res.status >= 500 && !byDesign(p, res.status)) failures.push(`${v} ${post ? "POST" : "GET"} ${p} → ${res.status}`);
        if (leaks.length) failures.push(`${v} ${post ? "POST" : "GET"} ${p} shows ${leaks.join(", ")}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it("in every form field of every action is refused with a 4xx, never a 5xx or a leak, whoever asks", async () => {
    // the real values where a route has them, so each action reads its form
    const paths = pathsOf(build, () => 0, true).filter((p) => !/dang-xuat|ket-thuc/.test(p));
    const failures: string[] = [];
    for (const [v, cookie] of Object.entries(visitors)) {
      for (const p of paths) {
        for (const c of ["a\u0000b", "\u0001", "\u007f\u0085"]) {
          const form = new URLSearchParams([["csrf", p.startsWith("/quay") ? csrfOf[v].quay ?? csrfOf[v].main : csrfOf[v].main], ...FIELDS.filter((f) => f !== "intent").map((f) => [f, c])]);
          for (const intent of ["", ...INTENTS.slice(0, 6)]) {
            if (intent) form.set("intent", intent);
            const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) };
            const res = await handle(new Request(`http://127.0.0.1${p}`, { method: "POST", headers, body: form.toString() }), context);
            const leaks = await leaksOf(res);
            if (res.status >= 500 && !byDesign(p, res.status)) failures.push(`${v} POST ${p} intent=${intent} ${JSON.stringify(c)} → ${res.status}`);
            if (leaks.length) failures.push(`${v} POST ${p} intent=${intent} ${JSON.stringify(c)} shows ${leaks.join(", ")}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});

/** Origin values a browser never sends for this site, or sends for a sandboxed or opaque page. */
const HOSTILE_ORIGINS = ["foo", "null", "http://", "://x", "http://[", "https://evil.example", `http://${"a".repeat(5000)}.example`, "http://127.0.0.1:1/\u0000"];

describe("the real server process in development mode", () => {
  let portal: RunningPortal;
  beforeAll(async () => {
    // development: where Express's default error page and Remix's error data would carry stacks
    portal = await startPortal({ env: { NODE_ENV: "development", LOG_LEVEL: "error" } });
  }, 120_000);
  afterAll(async () => {
    await portal?.stop();
  });

  it("refuses a state-changing request with a hostile or opaque Origin with 403, never a 5xx or a stack", async () => {
    const failures: string[] = [];
    for (const origin of HOSTILE_ORIGINS) {
      for (const p of ["/can-bo/dang-nhap", "/tra-cuu", "/api/dvcqg/ho-so", "/dang-xuat", "/nowhere"]) {
        const res = await fetch(`${portal.url}${p}`, { method: "POST", headers: { origin, "content-type": "application/x-www-form-urlencoded" }, body: "username=a&password=b" })
          .catch((e: unknown) => e as Error);
        // fetch itself refuses a header value it cannot send: no request left this test then
        if (res instanceof Error) continue;
        const leaks = await leaksOf(res);
        if (res.status !== 403) failures.push(`POST ${p} Origin ${origin.slice(0, 40)} → ${res.status}`);
        if (leaks.length) failures.push(`POST ${p} Origin ${origin.slice(0, 40)} shows ${leaks.join(", ")}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers broken percent-encodings and control characters in paths with a 4xx that shows no stack or SQL", async () => {
    const failures: string[] = [];
    const paths = ["/%", "/thu-tuc/%", "/thu-tuc/%E0%A4%A", "/build/%", "/build/%E0%A4%A", "/favicon.svg%00", ...CONTROL.map((c) => `/thu-tuc/${c}`), ...CONTROL.map((c) => `/ho-so/${c}`)];
    for (const p of paths) {
      for (const method of ["GET", "POST"]) {
        const res = await fetch(`${portal.url}${p}`, { method, headers: method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}, body: method === "POST" ? "a=b" : undefined, redirect: "manual" });
        const leaks = await leaksOf(res);
        if (res.status >= 500) failures.push(`${method} ${p} → ${res.status}`);
        if (leaks.length) failures.push(`${method} ${p} shows ${leaks.join(", ")}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

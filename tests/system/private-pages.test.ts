// Every page of the production build asked by every signed-in visitor (a citizen, a desk officer,
// a leader, an administrator, a commune police officer at an enrolled kiosk) answers with
// `Cache-Control: private, no-store` — the document and its data requests (single fetch `.data`;
// `?_data=` for the staff pages of issue 20) — whatever the route's own `headers` export says, so
// no shared cache or back-forward cache keeps a dossier, a report or a one-time kiosk code. The
// staff pages reach their real content (200) as the right role; public catalogue pages asked by
// nobody stay cacheable. In process: the Remix request handler over `build/` and this test's own
// database, with sessions written straight into it.
import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, csrfTokenOf, tokenHash } from "~/modules/identity/sessions.server";
import { enrolDevice } from "~/modules/kiosk/devices.server";
import { requireKiosk } from "~/modules/kiosk/guard.server";
import { startSession } from "~/modules/kiosk/sessions.server";
import { dossiers, sessions, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { DEMO_KIOSKS, seedDemoDossiers, seedDemoKiosks, seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { communeCommittees, insertCitizens, insertReadyDrafts } from "../support/filing-drafts";
import { testContext, testServices } from "../support/services";

process.env.LOG_LEVEL ??= "error";

/** The outside systems server.ts would hand the routes. */
const services = testServices();
let t: TestDb;
let build: ServerBuild;
let handle: (request: Request) => Promise<Response>;
/** Cookie header and CSRF token per signed-in visitor. */
const signedIn: Record<string, { cookie: string; csrf: string }> = {};
const real: Record<string, string> = {};

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  await seedDemoDossiers(t.db);
  await seedDemoKiosks(t.db);
  const signIn = async (kind: "citizen" | "staff", userId: string) => {
    const token = await createSession(t.db, { kind, userId, stage: "full", ttlMs: 3600_000 });
    const [row] = await t.db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
    return { cookie: `qn_${kind}=${token}`, csrf: csrfTokenOf(row) };
  };
  const [citizen] = await insertCitizens(t.db, 1);
  const [draft] = await insertReadyDrafts(t.db, [citizen], await communeCommittees(t.db));
  signedIn.citizen = await signIn("citizen", citizen.id);
  for (const [who, username] of [["desk", "motcua01"], ["leader", "lanhdao01"], ["admin", "quantri"], ["police", "congan01"]]) {
    const [u] = await t.db.select().from(staffUsers).where(eq(staffUsers.username, username));
    signedIn[who] = await signIn("staff", u.id);
  }
  const device = await enrolDevice(t.db, DEMO_KIOSKS[0].enrolCode);
  if (!device.ok) throw new Error(device.error.code);
  const atKiosk = `qn_kiosk_device=${device.value.token}; ${signedIn.police.cookie}`;
  const officer = await requireKiosk(t.db, services.storage, new Request("http://127.0.0.1/quay", { headers: { cookie: atKiosk } }), "officer");
  signedIn.police.cookie = `${atKiosk}; qn_kiosk=${(await startSession(t.db, services.storage, officer)).token}`;
  const [dossier] = await t.db.select({ code: dossiers.code }).from(dossiers).where(and(eq(dossiers.agencyCode, "000.01.31.H49"))).limit(1);
  real.code = dossier.code;
  real.draftId = draft.draftId;
  build = (await import(path.resolve("build/index.js"))) as ServerBuild;
  const handler = createRequestHandler(build, "production");
  handle = (request) => handler(request, testContext("private-pages", { clientIp: "10.0.0.9", services }) as never);
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

/** Every page route of the build (it renders: a default export), its path filled with real values where there are any. */
function pages(b: ServerBuild): { id: string; path: string }[] {
  const full = (id: string): string => {
    const r = b.routes[id];
    const parent = r.parentId ? full(r.parentId) : "";
    return r.path ? `${parent.replace(/\/$/, "")}/${r.path}` : parent;
  };
  return Object.keys(b.routes)
    .filter((id) => id !== "root" && id !== "routes/bench.bare" && b.routes[id].module.default)
    .map((id) => ({ id, path: (full(id) || "/").replace(/:(\w+)|\*/g, (_m, name?: string) => (name && real[name]) || (name === "step" ? "xem-lai" : "khong-co")) }));
}

/** The staff pages, each with the role that may see it. */
const STAFF_PAGES: [path: () => string, who: string, routeId: string][] = [
  [() => "/can-bo/ho-so", "desk", "routes/can-bo.ho-so._index"],
  [() => `/can-bo/ho-so/${real.code}`, "desk", "routes/can-bo.ho-so.$code"],
  [() => "/can-bo/bao-cao", "leader", "routes/can-bo.bao-cao"],
  [() => "/can-bo/thu-tuc", "admin", "routes/can-bo.thu-tuc._index"],
  [() => "/can-bo/ngay-nghi", "admin", "routes/can-bo.ngay-nghi"],
  [() => "/can-bo/thiet-bi", "admin", "routes/can-bo.thiet-bi"],
  [() => "/van-hanh/dong-bo", "admin", "routes/van-hanh.dong-bo._index"],
];

const isRedirect = (status: number) => status >= 300 && status < 400;

async function ask(url: string, cookie: string, init: RequestInit = {}) {
  const res = await handle(new Request(`http://127.0.0.1${url}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string> | undefined) } }));
  const body = await res.text();
  return { status: res.status, cache: res.headers.get("cache-control"), body };
}

describe("pages behind a sign-in are private and never stored", () => {
  it("every page, as every signed-in visitor: the document and its single-fetch data", async () => {
    const all = pages(build);
    expect(all.length).toBeGreaterThan(30);
    const wrong: string[] = [];
    let ok = 0;
    for (const [who, { cookie }] of Object.entries(signedIn)) {
      for (const p of all) {
        const doc = await ask(p.path, cookie);
        if (doc.status === 200) ok++;
        // a redirect (to sign-in, to the visitor's own home) carries no page; Remix sends a
        // loader's redirect as it is: it must just not be kept for others
        const fine = isRedirect(doc.status) ? !/public|max-age|s-maxage/.test(doc.cache ?? "") : doc.cache === "private, no-store";
        if (!fine) wrong.push(`${who} GET ${p.path} → ${doc.status} ${doc.cache}`);
        const dataUrl = `${p.path === "/" ? "/_root" : p.path.replace(/\/$/, "")}.data`;
        const viaData = await ask(dataUrl, cookie);
        if (viaData.cache !== "private, no-store") wrong.push(`${who} GET ${dataUrl} → ${viaData.status} ${viaData.cache}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(ok, "real pages were reached, not only redirects").toBeGreaterThan(40);
  }, 300_000);

  it("the staff pages of issue 20, as their role: 200 and private, no-store (document, .data, ?_data=)", async () => {
    for (const [pathOf, who, routeId] of STAFF_PAGES) {
      const url = pathOf();
      const doc = await ask(url, signedIn[who].cookie);
      expect(doc.status, url).toBe(200);
      expect(doc.cache, url).toBe("private, no-store");
      const viaData = await ask(`${url}.data`, signedIn[who].cookie);
      expect(viaData.status, `${url}.data`).toBe(200);
      expect(viaData.cache, `${url}.data`).toBe("private, no-store");
      const legacy = await ask(`${url}?_data=${encodeURIComponent(routeId)}`, signedIn[who].cookie);
      expect(legacy.status, `${url}?_data`).toBe(200);
      expect(legacy.cache, `${url}?_data`).toBe("private, no-store");
    }
  });

  it("the answer that shows a new kiosk's one-time code is private, no-store (document and .data)", async () => {
    const { cookie, csrf } = signedIn.admin;
    const form = (label: string) => ({
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf, intent: "register", label, agencyCode: "000.01.31.H49" }).toString(),
    });
    const doc = await ask("/can-bo/thiet-bi", cookie, form("Quầy thử 1"));
    expect(doc.status).toBe(200);
    expect(doc.body).toMatch(/data-testid="enrol-code"/);
    expect(doc.cache).toBe("private, no-store");
    const viaData = await ask("/can-bo/thiet-bi.data", cookie, form("Quầy thử 2"));
    expect(viaData.status).toBe(200);
    expect(viaData.cache).toBe("private, no-store");
  });

  it("keeps public catalogue pages cacheable for anonymous visitors", async () => {
    for (const url of ["/", "/thu-tuc", "/thu-tuc/1.004222", "/don-vi"]) {
      const doc = await ask(url, "lng=vi");
      expect(doc.status, url).toBe(200);
      expect(doc.cache ?? "", url).not.toMatch(/private|no-store/);
    }
  });
});

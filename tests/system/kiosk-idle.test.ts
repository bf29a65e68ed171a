// The kiosk's idle lock against the real server with real time passing (issue 21 item 12): the
// server ends an assisted session idle for KIOSK_IDLE_SECONDS on its own; when the screen's
// countdown then reaches zero, the lock's POST to /quay/ket-thuc must still answer the "session
// ended" page — not 403 — with Clear-Site-Data and the citizen-scoped cookies expired. The
// keep-alive answers with the server's deadline, which is what the screen counts down to.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/modules/identity/sessions.server";
import { enrolDevice } from "~/modules/kiosk/devices.server";
import { openDb, type DbHandle } from "~db/client.server";
import { kioskSessions, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { DEMO_KIOSKS, seedDemoKiosks, seedDemoStaff } from "~db/seed-demo";
import { Browser } from "../support/browser";
import { createScratchDatabase, usingPostgres } from "../support/db";
import { startPortal, type RunningPortal } from "../support/server";

const IDLE_S = 15; // the configuration's minimum
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kiosk-idle-"));
const pgliteDir = path.join(tmp, "pglite");
let databaseUrl = "";
let dropDb: (() => Promise<void>) | undefined;
let portal: RunningPortal | undefined;
const kiosk = new Browser();
/** The server runs as in production: its cookies are __Host- cookies. */
const PREFIX = "__Host-qn_";

const openStore = (): Promise<DbHandle> => openDb(databaseUrl ? { databaseUrl, poolMax: 2 } : { pgliteDir });
const at = (p: string) => `${portal!.url}${p}`;
/** The token in the idle lock's form (the hidden end-of-session form it submits at zero). */
const lockFormCsrf = (html: string) => /<form method="post" action="\/quay\/ket-thuc" hidden=""[^]*?name="csrf" value="([^"]+)"/.exec(html)?.[1];

beforeAll(async () => {
  if (usingPostgres()) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "sys");
    databaseUrl = scratch.url;
    dropDb = scratch.drop;
  }
  // the device and the officer's sign-in are made in the database before the server starts (the
  // database is the server's afterwards); the assisted session is started over HTTP
  const h = await openStore();
  try {
    await seedCatalog(h.db);
    await seedDemoStaff(h.db);
    await seedDemoKiosks(h.db);
    const device = await enrolDevice(h.db, DEMO_KIOSKS[0].enrolCode);
    if (!device.ok) throw new Error(device.error.code);
    const [officer] = await h.db.select().from(staffUsers).where(eq(staffUsers.username, "congan01"));
    kiosk.cookies.set(`${PREFIX}kiosk_device`, device.value.token);
    kiosk.cookies.set(`${PREFIX}staff`, await createSession(h.db, { kind: "staff", userId: officer.id, stage: "full", ttlMs: 3600_000 }));
  } finally {
    await h.close();
  }
  portal = await startPortal({ databaseUrl, env: { PGLITE_DIR: pgliteDir, KIOSK_IDLE_SECONDS: String(IDLE_S), LOG_LEVEL: "warn" } });
}, 180_000);

afterAll(async () => {
  await portal?.stop();
  await dropDb?.();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("a citizen's choices stay with their session (issue 21 item 13)", () => {
  it("the kiosk's language link sets no lasting cookie; display choices survive a full page load; ending the session expires both", async () => {
    const switched = await kiosk.fetch(at("/quay?lng=en"));
    expect(switched.status).toBe(200);
    const lng = switched.headers.getSetCookie().find((c) => c.startsWith("lng="));
    expect(lng).toBeDefined();
    expect(lng).not.toMatch(/max-age|expires/i);
    // the page wrote the citizen's choice; a full page load (an upload, PayGov's return) keeps it
    kiosk.cookies.set("kiosk_view", "large.contrast");
    const page = await (await kiosk.fetch(at("/quay"))).text();
    expect(page).toContain('aria-pressed="true">Large text');
    expect(page).toContain('aria-pressed="true">High contrast');
    const officerCsrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    const ended = await kiosk.postForm(at("/quay/ket-thuc"), { csrf: officerCsrf!, keepDraft: "0" });
    expect(ended.status).toBe(302);
    const expired = ended.headers.getSetCookie().filter((c) => /max-age=0/i.test(c)).map((c) => c.split("=")[0]);
    expect(expired).toEqual(expect.arrayContaining(["lng", "kiosk_view"]));
    expect([...kiosk.cookies.keys()].filter((k) => k === "lng" || k === "kiosk_view")).toEqual([]);
  }, 60_000);
});

describe("the idle lock with real time passing on the server", () => {
  it("ends on the 'session ended' page, not 403, and clears the site", async () => {
    const start = await kiosk.fetch(at("/quay"));
    expect(start.status).toBe(200);
    const officerCsrf = /name="csrf" value="([^"]+)"/.exec(await start.text())?.[1];
    expect(officerCsrf).toBeTruthy();
    const started = await kiosk.postForm(at("/quay?index"), { csrf: officerCsrf!, intent: "start" });
    expect(started.status).toBe(302);
    expect(kiosk.cookies.has(`${PREFIX}kiosk`)).toBe(true);

    const page = await (await kiosk.fetch(at("/quay"))).text();
    const lockCsrf = lockFormCsrf(page);
    const sessionCsrf = /name="csrf" value="([^"]+)"/.exec(page.slice(page.indexOf('id="main"')))?.[1];
    expect(lockCsrf).toBeTruthy();
    expect(sessionCsrf).toBeTruthy();

    // the keep-alive tells the screen the server's deadline
    const ping = await kiosk.postForm(at("/quay/giu-phien"), { csrf: sessionCsrf! });
    expect.soft(ping.status).toBe(200);
    const { idleLeftMs } = ping.status === 200 ? ((await ping.json()) as { idleLeftMs?: number }) : {};
    expect.soft(idleLeftMs).toBe(IDLE_S * 1000);

    // no activity: the server's idle limit passes (real time)
    await new Promise((r) => setTimeout(r, (IDLE_S + 2) * 1000));

    const ended = await kiosk.postForm(at("/quay/ket-thuc"), { csrf: lockCsrf!, keepDraft: "0" });
    expect(ended.status, portal!.stderr.join("\n").slice(-2000)).toBe(302);
    expect(ended.headers.get("location")).toBe("/quay?da-ket-thuc=1");
    expect(ended.headers.get("clear-site-data")).toBe('"cache", "storage"');
    const expired = ended.headers.getSetCookie().filter((c) => /max-age=0/i.test(c)).map((c) => c.split("=")[0]);
    expect(expired).toEqual(expect.arrayContaining([`${PREFIX}kiosk`, `${PREFIX}kiosk_approval`, `${PREFIX}citizen`]));
    expect(kiosk.cookies.has(`${PREFIX}kiosk`)).toBe(false);
    const after = await kiosk.fetch(at("/quay?da-ket-thuc=1"));
    expect(after.status).toBe(200);
    expect(await after.text()).toContain("Đã kết thúc phiên.");

    await portal!.stop();
    portal = undefined;
    const h = await openStore();
    try {
      expect(await h.db.select().from(kioskSessions)).toEqual([]);
    } finally {
      await h.close();
    }
  }, 120_000);
});

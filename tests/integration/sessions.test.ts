// Session look-up per request: a signed-in page asks for its session twice (the root loader for
// the header, the page's loader to authorise), side by side with the same Request — one query
// answers both. Staff sessions read the session and the account in one query.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citizenFromRequest, requireCitizen } from "~/modules/identity/citizen-auth.server";
import { cookieNameFor, createSession, endSession, tokenHash, type SessionKind } from "~/modules/identity/sessions.server";
import { requireStaff, staffFromRequest } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { sessions, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { insertCitizens } from "../support/filing-drafts";

let t: TestDb;
let citizenId: string;
let staffId: string;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  [{ id: citizenId }] = await insertCitizens(t.db, 1);
  [{ id: staffId }] = await t.db.select().from(staffUsers).where(eq(staffUsers.username, "motcua01"));
}, 120_000);
afterAll(() => t?.cleanup());

/** The database, counting the statements started through it. */
function counting(db: AppDb) {
  const n = { select: 0, update: 0 };
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "select" || prop === "update") n[prop]++;
      return Reflect.get(target, prop, receiver);
    },
  });
  return { db: proxy, n };
}

const signIn = (kind: SessionKind, userId: string, stage: "full" | "password" = "full", ttlMs = 3600_000) =>
  createSession(t.db, { kind, userId, stage, ttlMs });
const page = (kind: SessionKind, token: string, path = "/ho-so") =>
  new Request(`http://127.0.0.1${path}`, { headers: { cookie: `lng=vi; ${cookieNameFor(kind)}=${token}` } });
const idleFor = (token: string, ms: number) =>
  t.db.update(sessions).set({ lastSeenAt: sql`now() - ${`${ms} milliseconds`}::interval` }).where(eq(sessions.tokenHash, tokenHash(token)));

describe("citizen sessions", () => {
  it("the root loader and the page share one query and one touch per request; the next request looks again", async () => {
    const token = await signIn("citizen", citizenId);
    await idleFor(token, 5 * 60_000); // due for a touch
    const { db, n } = counting(t.db);
    const request = page("citizen", token);
    const [header, guard] = await Promise.all([citizenFromRequest(db, request), requireCitizen(db, request)]);
    expect(header?.citizen.id).toBe(citizenId);
    expect(guard).toBe(header);
    expect(n).toEqual({ select: 1, update: 1 });

    const next = await requireCitizen(db, page("citizen", token));
    expect(next.citizen.id).toBe(citizenId);
    expect(n).toEqual({ select: 2, update: 1 }); // touched a moment ago: not again
  });

  it("a session ended, idle or of the wrong kind is no session (each on a request of its own)", async () => {
    const ended = await signIn("citizen", citizenId);
    await endSession(t.db, "citizen", page("citizen", ended));
    expect(await citizenFromRequest(t.db, page("citizen", ended))).toBeNull();
    const idle = await signIn("citizen", citizenId);
    await idleFor(idle, 2 * 3600_000);
    expect(await citizenFromRequest(t.db, page("citizen", idle))).toBeNull();
    const staffToken = await signIn("staff", staffId);
    await expect(requireCitizen(t.db, page("citizen", staffToken))).rejects.toMatchObject({ status: 302 });
  });
});

describe("staff sessions", () => {
  it("session and account in one query, once per request", async () => {
    const token = await signIn("staff", staffId);
    await idleFor(token, 5 * 60_000);
    const { db, n } = counting(t.db);
    const request = page("staff", token, "/can-bo/ho-so");
    const [a, b] = await Promise.all([staffFromRequest(db, request), requireStaff(db, request)]);
    expect(a?.user.username).toBe("motcua01");
    expect(b).toBe(a);
    expect(a?.csrf).toMatch(/^[\w-]{40,}$/);
    expect(n).toEqual({ select: 1, update: 1 });
  });

  it("refuses a disabled account, an idle, pending or expired session", async () => {
    const token = await signIn("staff", staffId);
    await t.db.update(staffUsers).set({ disabled: true }).where(eq(staffUsers.id, staffId));
    expect(await staffFromRequest(t.db, page("staff", token))).toBeNull();
    await t.db.update(staffUsers).set({ disabled: false }).where(eq(staffUsers.id, staffId));
    expect((await staffFromRequest(t.db, page("staff", token)))?.user.id).toBe(staffId);

    const idle = await signIn("staff", staffId);
    await idleFor(idle, 31 * 60_000);
    expect(await staffFromRequest(t.db, page("staff", idle))).toBeNull();
    const pending = await signIn("staff", staffId, "password");
    expect(await staffFromRequest(t.db, page("staff", pending))).toBeNull();
    const expired = await signIn("staff", staffId, "full", -1000);
    await expect(requireStaff(t.db, page("staff", expired))).rejects.toMatchObject({ status: 302 });
  });
});

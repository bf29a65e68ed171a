// The operator pages of the national sync (/van-hanh/dong-bo), as an administrator: the queue,
// uncached; a dead letter replayed (back in the queue, and audited); forged forms refused; an
// unknown dossier's ledger a 404. Who may see them is in staff-role-routes.test.ts.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, csrfTokenOf, tokenHash } from "~/modules/identity/sessions.server";
import * as ops from "~/routes/van-hanh.dong-bo._index";
import * as opsLedger from "~/routes/van-hanh.dong-bo.$code";
import { auditLog, sessions, staffUsers, syncState } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";
import { routeAnswer } from "../support/route-answer";
import { makeDossiers } from "../support/sync-fixtures";
import { testContext } from "../support/services";

let t: TestDb;
let admin: { cookie: string; csrf: string };
const context = testContext("sync-operations");

beforeAll(async () => {
  t = await openTestDb();
  (globalThis as unknown as { __appDb?: Promise<unknown> }).__appDb = Promise.resolve(t);
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  const [u] = await t.db.select().from(staffUsers).where(eq(staffUsers.username, "quantri"));
  const token = await createSession(t.db, { kind: "staff", userId: u.id, stage: "full", ttlMs: 3600_000 });
  const [row] = await t.db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
  admin = { cookie: `qn_staff=${token}`, csrf: csrfTokenOf(row) };
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

const get = (path: string) => new Request(`http://127.0.0.1${path}`, { headers: { cookie: admin.cookie } });
const post = (fields: Record<string, string>) => new Request("http://127.0.0.1/van-hanh/dong-bo", {
  method: "POST", body: new URLSearchParams(fields), headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded", "user-agent": "sync-operations-test" },
});

describe("sync operator pages", () => {
  it("show the queue and its dead letters to an administrator, uncached", async () => {
    const [d] = await makeDossiers(t.db, 1);
    await t.db.update(syncState).set({ deadAt: new Date(), lastError: "DongBoHoSoMC: [6] Mã thủ tục không tồn tại" }).where(eq(syncState.dossierId, d.id));
    const page = await routeAnswer(() => ops.loader({ request: get("/van-hanh/dong-bo"), params: {}, context }));
    expect(page).toMatchObject({ status: 200, cache: "no-store" });
    const body = JSON.parse(page.body) as { queue: { dead: number }; dead: { code: string; lastError: string }[]; csrf: string };
    expect(body.queue.dead).toBe(1);
    expect(body.dead).toEqual([expect.objectContaining({ code: d.code, lastError: "DongBoHoSoMC: [6] Mã thủ tục không tồn tại" })]);
    expect(body.csrf).toBe(admin.csrf);
  });

  it("replays a dead letter: back in the queue, and who did it in the audit log", async () => {
    const [state] = await t.db.select().from(syncState).where(eq(syncState.lastError, "DongBoHoSoMC: [6] Mã thủ tục không tồn tại"));
    const [{ code }] = await t.query<{ code: string }>("select code from dossiers where id = $1", [state.dossierId]);
    const forged = await routeAnswer(() => ops.action({ request: post({ csrf: "forged", code }), params: {}, context }));
    expect(forged.status).toBe(403);
    expect((await t.db.select().from(syncState).where(eq(syncState.dossierId, state.dossierId)))[0].deadAt).not.toBeNull();

    const replayed = await routeAnswer(() => ops.action({ request: post({ csrf: admin.csrf, code }), params: {}, context }));
    expect(replayed).toMatchObject({ status: 302, location: `/van-hanh/dong-bo?replayed=${encodeURIComponent(code)}` });
    const [after] = await t.db.select().from(syncState).where(eq(syncState.dossierId, state.dossierId));
    expect(after).toMatchObject({ deadAt: null, attempts: 0, lastError: null });
    const audited = await t.db.select().from(auditLog).where(eq(auditLog.action, "sync.replayed"));
    expect(audited.map((a) => [a.actorKind, a.actorId, a.subjectKind, a.subjectId, a.device])).toEqual([["official", "quantri", "dossier", code, "sync-operations-test"]]);
  });

  it("answers the ledger of an unknown dossier with an uncached 404", async () => {
    const r = await routeAnswer(() => opsLedger.loader({ request: get("/van-hanh/dong-bo/000.01.31.H49-261128-9999"), params: { code: "000.01.31.H49-261128-9999" }, context }));
    expect(r).toMatchObject({ status: 404, cache: "no-store" });
  });
});

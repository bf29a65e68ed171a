// A citizen sees who in government viewed their dossier (issue 5: "a citizen can see who accessed
// their dossier"), from the audit log, and nothing about anybody else's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDossier, openDossierFile } from "~/modules/backoffice/desk.server";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { citizenDossier } from "~/modules/dossiers/citizen-view.server";
import { citizens, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let citizenId: string;
let mine: string;
let theirs: string;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  const [c] = await t.db.insert(citizens).values({ sub: "sub-access", idNumber: "022090000123", fullName: "Nguyễn Văn Dân" }).returning();
  const [o] = await t.db.insert(citizens).values({ sub: "sub-other", idNumber: "022090000124", fullName: "Trần Thị Khác" }).returning();
  citizenId = c.id;
  const make = (cid: string, name: string) => createDossier(t.db, { procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: name, citizenId: cid, actor: { name, kind: "citizen" } });
  const a = await make(c.id, c.fullName);
  const b = await make(o.id, o.fullName);
  if (!a.ok || !b.ok) throw new Error("seed dossiers");
  mine = a.value.code;
  theirs = b.value.code;
}, 60_000);
afterAll(() => t?.cleanup());

describe("who accessed my dossier", () => {
  it("is empty until an official opens it", async () => {
    expect((await citizenDossier(t.db, citizenId, mine))?.accessLog).toEqual([]);
  });

  it("lists each view by an official — name, title, agency, dossier or file — newest first, and only this dossier's", async () => {
    const [desk] = (await t.db.select().from(staffUsers)).filter((u) => u.agencyCode === "000.01.31.H49");
    expect(desk).toBeDefined();
    expect((await openDossier(t.db, desk, mine, "kiosk-ua")).ok).toBe(true);
    expect((await openDossier(t.db, desk, theirs, "kiosk-ua")).ok).toBe(true);
    // a file id that does not exist: refused, and not a view
    expect((await openDossierFile(t.db, desk, mine, "00000000-0000-0000-0000-000000000000")).ok).toBe(false);

    const log = (await citizenDossier(t.db, citizenId, mine))!.accessLog;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ name: desk.fullName, title: desk.title, what: "dossier" });
    expect(log[0].agencyVi).toBeTruthy();
    expect(log[0].at.getTime()).toBeGreaterThan(Date.now() - 60_000);

    await openDossier(t.db, desk, mine);
    expect((await citizenDossier(t.db, citizenId, mine))!.accessLog).toHaveLength(2);
  });

  it("another citizen's dossier, and its log, stay out of reach", async () => {
    expect(await citizenDossier(t.db, citizenId, theirs)).toBeNull();
  });
});

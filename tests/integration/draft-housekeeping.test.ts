import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { draftHousekeeping } from "~/modules/filing/housekeeping.server";
import { seedCatalog } from "~db/seed";
import { attachments, drafts, notifications } from "~db/schema";
import { openTestDb, type TestDb } from "../support/db";
import { BIRTH_REGISTRATION, insertCitizens } from "../support/filing-drafts";
import { testServices } from "../support/services";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
});
afterAll(() => t?.cleanup());

describe("draft housekeeping", () => {
  it("reminds once a few days before expiry, then removes the expired draft and its files", async () => {
    const [c] = await insertCitizens(t.db, 1);
    const now = new Date("2026-11-28T03:00:00Z");
    const day = 86_400_000;
    const draft = (expiresAt: Date) => ({ citizenId: c.id, procedureCode: BIRTH_REGISTRATION, formVersion: 1, step: "nguoi-nop", expiresAt, data: {} });
    const [soon] = await t.db.insert(drafts).values(draft(new Date(now.getTime() + 2 * day))).returning();
    const [later] = await t.db.insert(drafts).values(draft(new Date(now.getTime() + 20 * day))).returning();
    const [old] = await t.db.insert(drafts).values(draft(new Date(now.getTime() - day))).returning();
    await t.db.insert(attachments).values({ citizenId: c.id, draftId: old.id, slot: "giay-chung-sinh", fileName: "a.pdf", mime: "application/pdf", size: 10, sha256: "a".repeat(64), scan: "clean" });

    expect(await draftHousekeeping(t.db, testServices().storage, now)).toEqual({ reminded: 1, expired: 1 });
    const messages = await t.db.select().from(notifications).where(eq(notifications.template, "draftReminder"));
    expect(messages.map((m) => m.recipient).sort()).toEqual([c.email, c.phone].filter(Boolean).sort());
    expect(messages.every((m) => (m.params as { date: string }).date === "30/11/2026")).toBe(true);
    const left = (await t.db.select({ id: drafts.id }).from(drafts)).map((d) => d.id).sort();
    expect(left).toEqual([soon.id, later.id].sort());
    expect(await t.db.select().from(attachments).where(eq(attachments.sha256, "a".repeat(64)))).toEqual([]);

    // a second run (another instance, an hour later) sends nothing again
    expect(await draftHousekeeping(t.db, testServices().storage, new Date(now.getTime() + 3600_000))).toEqual({ reminded: 0, expired: 0 });
    expect(await t.db.select().from(notifications).where(eq(notifications.template, "draftReminder"))).toHaveLength(messages.length);
  });
});

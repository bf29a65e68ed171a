// The files the notification worker attaches to an email (wired into the senders by server.ts):
// the receipt slip with "submitted", the refusal notice with "refused", nothing otherwise.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actOnDossier } from "~/modules/backoffice/desk.server";
import { createDossier } from "~/modules/dossiers/dossiers.server";
import { emailAttachments } from "~/modules/notifications/attachments.server";
import { citizens, notifications, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let owner: string;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  const [a] = await t.db.insert(citizens).values({ sub: "sub-mail", idNumber: "022085004517", fullName: "Nguyễn Văn An", phone: "0912345678", email: "an@example.com" }).returning();
  owner = a.id;
}, 60_000);
afterAll(() => t?.cleanup());

const pdfText = (b: Uint8Array) => Buffer.from(b.subarray(0, 5)).toString("latin1");

describe("emailAttachments", () => {
  it("the receipt slip with 'submitted', the notice with 'refused', nothing with other templates or without a dossier", async () => {
    const d = await createDossier(t.db, {
      procedureCode: "1.004222", agencyCode: "000.01.31.H49", channel: 2, applicantName: "Nguyễn Văn An", applicantIdNumber: "022085004517",
      applicantPhone: "0912345678", applicantEmail: "an@example.com", citizenId: owner, actor: { name: "Nguyễn Văn An", kind: "citizen" },
    });
    if (!d.ok) throw new Error(d.error.code);
    const [desk] = await t.db.select().from(staffUsers).where(eq(staffUsers.username, "motcua01"));
    const refused = await actOnDossier(t.db, desk, d.value.code, "refuse", "Hồ sơ không thuộc thẩm quyền", "test");
    if (!refused.ok) throw new Error(refused.error.code);
    const [email] = await t.db.select().from(notifications).where(eq(notifications.dossierId, d.value.id)).then((rows) => rows.filter((n) => n.template === "refused" && n.channel === "email"));
    const attach = emailAttachments(t.db);

    const notice = await attach(email);
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({ contentType: "application/pdf" });
    expect(pdfText(notice[0].content)).toBe("%PDF-");

    const receipt = await attach({ ...email, template: "submitted" });
    expect(receipt.map((f) => [f.filename, f.contentType])).toEqual([[`bien-nhan-${d.value.code}.pdf`, "application/pdf"]]);
    expect(pdfText(receipt[0].content)).toBe("%PDF-");

    expect(await attach({ ...email, template: "received" })).toEqual([]);
    expect(await attach({ ...email, dossierId: null })).toEqual([]);
  });
});

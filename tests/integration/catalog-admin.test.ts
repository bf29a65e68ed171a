// Administrators edit procedures and publish form versions without code (issue 5): validated,
// audited, versions kept, and never undone by the seed at the next start.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { procedureForAdmin, publishFormVersion, updateProcedure } from "~/modules/catalog/admin.server";
import { ProcedureEdit } from "~/modules/catalog/catalog.schema";
import { searchProceduresCached } from "~/modules/catalog/catalog.server";
import { loadForm } from "~/modules/filing/filing.server";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import { auditLog, formDefinitions, procedures, staffUsers } from "~db/schema";
import { seedCatalog } from "~db/seed";
import { seedDemoStaff } from "~db/seed-demo";
import { openTestDb, type TestDb } from "../support/db";

let t: TestDb;
let admin: StaffUser;
let leader: StaffUser;
beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  await seedDemoStaff(t.db);
  const users = await t.db.select().from(staffUsers);
  admin = users.find((u) => u.username === "quantri")!;
  leader = users.find((u) => u.username === "lanhdao01")!;
}, 60_000);
afterAll(() => t?.cleanup());

const CODE = "1.004222";
const editOf = async (over: Record<string, unknown>) => {
  const p = (await procedureForAdmin(t.db, CODE))!.procedure;
  return ProcedureEdit.parse({
    csrf: "x", nameVi: p.nameVi, nameEn: p.nameEn, field: p.field, agencyText: p.agencyText, processingText: p.processingText ?? "",
    processingValue: p.processingValue ?? "", processingUnit: p.processingUnit ?? "", feeAmountVnd: p.feeAmountVnd ?? "", feeText: p.feeText ?? "", onlineMode: p.onlineMode, ...over,
  });
};

describe("procedure edits", () => {
  it("the form's rules refuse bad values with translated messages", () => {
    const base = { csrf: "x", nameVi: "A", nameEn: "A", field: "F", agencyText: "", processingText: "", processingValue: "5", processingUnit: "working_days", feeAmountVnd: "", feeText: "", onlineMode: "full" };
    const msg = (over: Record<string, unknown>) => ProcedureEdit.safeParse({ ...base, ...over }).error?.issues[0]?.message;
    expect(msg({})).toBeUndefined();
    expect(msg({ feeAmountVnd: "-1" })).toBe("catalogAdmin.errors.fee");
    expect(msg({ feeAmountVnd: "1.5" })).toBe("catalogAdmin.errors.fee");
    expect(msg({ processingValue: "400" })).toBe("catalogAdmin.errors.processingValue");
    expect(msg({ processingUnit: "" })).toBe("catalogAdmin.errors.processingPair");
    expect(msg({ onlineMode: "everything" })).toBe("catalogAdmin.errors.onlineMode");
    expect(msg({ nameVi: "   " })).toBe("catalogAdmin.errors.name");
  });

  it("only an administrator may edit", async () => {
    expect(await updateProcedure(t.db, leader, CODE, await editOf({ feeAmountVnd: 1 }))).toMatchObject({ ok: false, error: { status: 403 } });
  });

  it("saves what changed, audits before and after, refreshes search, and survives the seed", async () => {
    const r = await updateProcedure(t.db, admin, CODE, await editOf({ feeAmountVnd: 15000, nameEn: "Permanent residence registration (edited)" }));
    expect(r).toEqual({ ok: true, value: { changed: ["nameEn", "feeAmountVnd"] } });
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, "catalog.procedure_edit"), eq(auditLog.subjectId, CODE)));
    expect(audit.actorId).toBe("quantri");
    expect(audit.details).toMatchObject({ after: { feeAmountVnd: 15000, nameEn: "Permanent residence registration (edited)" } });
    expect((audit.details as { before: { feeAmountVnd: unknown } }).before.feeAmountVnd).not.toBe(15000);
    expect((await searchProceduresCached(t.db, { q: "edited", page: 1 })).items.map((i) => i.code)).toContain(CODE);

    await seedCatalog(t.db);
    const [row] = await t.db.select().from(procedures).where(eq(procedures.code, CODE));
    expect([row.feeAmountVnd, row.nameEn]).toEqual([15000, "Permanent residence registration (edited)"]);
    expect(await updateProcedure(t.db, admin, CODE, await editOf({}))).toMatchObject({ ok: false, error: { i18nKey: "catalogAdmin.errors.unchanged" } });
  });
});

describe("form versions", () => {
  it("refuses broken JSON, invalid definitions and another procedure's form", async () => {
    expect(await publishFormVersion(t.db, admin, CODE, "{ not json")).toMatchObject({ ok: false, error: { i18nKey: "catalogAdmin.errors.formJsonDetail" } });
    expect(await publishFormVersion(t.db, admin, CODE, JSON.stringify({ procedureCode: CODE, steps: [] }))).toMatchObject({ ok: false, error: { i18nKey: "catalogAdmin.errors.formInvalid" } });
    const other = (await loadForm(t.db, "1.001193"))!.def;
    expect(await publishFormVersion(t.db, admin, CODE, JSON.stringify(other))).toMatchObject({ ok: false, error: { i18nKey: "catalogAdmin.errors.formOtherProcedure" } });
    expect(await publishFormVersion(t.db, leader, CODE, JSON.stringify((await loadForm(t.db, CODE))!.def))).toMatchObject({ ok: false, error: { status: 403 } });
  });

  it("publishes a changed form as the next version; earlier versions stay; the same form twice is refused; the seed adds nothing", async () => {
    const before = (await loadForm(t.db, CODE))!;
    expect(await publishFormVersion(t.db, admin, CODE, JSON.stringify(before.def))).toMatchObject({ ok: false, error: { i18nKey: "catalogAdmin.errors.unchanged" } });
    const edited = { ...before.def, title: { vi: `${before.def.title.vi} (mẫu mới)`, en: `${before.def.title.en} (new form)` } };
    const r = await publishFormVersion(t.db, admin, CODE, JSON.stringify(edited, null, 2));
    expect(r).toEqual({ ok: true, value: { version: before.version + 1 } });
    const latest = (await loadForm(t.db, CODE))!;
    expect(latest.version).toBe(before.version + 1);
    expect(latest.def.title.vi).toContain("(mẫu mới)");
    expect((await loadForm(t.db, CODE, before.version))!.def.title.vi).toBe(before.def.title.vi); // a draft on the old version keeps it
    expect(await publishFormVersion(t.db, admin, CODE, JSON.stringify(edited))).toMatchObject({ ok: false, error: { i18nKey: "catalogAdmin.errors.unchanged" } });

    await seedCatalog(t.db);
    const versions = await t.db.select().from(formDefinitions).where(eq(formDefinitions.procedureCode, CODE));
    expect(versions.map((v) => v.version).sort()).toEqual([before.version, before.version + 1]);
    expect((await procedureForAdmin(t.db, CODE))!.versions[0]).toMatchObject({ version: before.version + 1, byAdmin: true });
  });
});

// Administrators edit the catalogue without code: a procedure's texts, processing time, fee and
// online mode, and its form as a new version (a draft or dossier keeps the version it was filled
// with). Every change is audited with what it replaced — the audit log is the procedure's history,
// form_definitions keeps every form version. Edited rows are marked so the seed never undoes them.
import { createHash } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { foldVietnamese } from "~/lib/text";
import { err, ok, type Result } from "~/lib/result";
import { appendAudit, canonicalJson } from "~/modules/audit/audit.server";
import { FormDefinition } from "~/modules/forms/forms.schema";
import type { Role, StaffUser } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { formDefinitions, procedures } from "~db/schema";
import { ADMIN_HASH_PREFIX } from "~db/seed";
import { invalidateCatalogCache } from "./catalog.server";
import { CatalogAdminErrors as E } from "./catalog.errors";
import type { ProcedureEdit } from "./catalog.schema";

const hash = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex");
/** Who may edit the catalogue (procedures and their forms). */
export const CATALOG_ROLES: readonly Role[] = ["admin"];
export const mayEditCatalog = (staff: Pick<StaffUser, "role">) => (CATALOG_ROLES as readonly string[]).includes(staff.role);

export async function listProceduresForAdmin(db: AppDb) {
  return db.select({
    code: procedures.code, nameVi: procedures.nameVi, field: procedures.field, onlineMode: procedures.onlineMode, updatedAt: procedures.updatedAt,
    formVersion: sql<number | null>`(select max(f.version) from ${formDefinitions} f where f.procedure_code = ${procedures.code})`,
  }).from(procedures).orderBy(procedures.field, procedures.code);
}

export async function procedureForAdmin(db: AppDb, code: string) {
  const [row] = await db.select().from(procedures).where(eq(procedures.code, code));
  if (!row) return null;
  const versions = await db.select({ version: formDefinitions.version, createdAt: formDefinitions.createdAt, contentHash: formDefinitions.contentHash, definition: formDefinitions.definition })
    .from(formDefinitions).where(eq(formDefinitions.procedureCode, code)).orderBy(desc(formDefinitions.version));
  return {
    procedure: row,
    versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt, byAdmin: v.contentHash.startsWith(ADMIN_HASH_PREFIX) })),
    latestDefinition: versions[0]?.definition ?? null,
  };
}

const EDITABLE = ["nameVi", "nameEn", "field", "agencyText", "processingText", "processingValue", "processingUnit", "feeAmountVnd", "feeText", "onlineMode"] as const;

export async function updateProcedure(db: AppDb, staff: StaffUser, code: string, input: ProcedureEdit): Promise<Result<{ changed: string[] }>> {
  if (!mayEditCatalog(staff)) return err(E.forbidden());
  const result = await db.transaction(async (tx) => {
    const [cur] = await tx.select().from(procedures).where(eq(procedures.code, code)).for("update");
    if (!cur) return err(E.notFound(code));
    const next = { ...cur, ...Object.fromEntries(EDITABLE.map((k) => [k, input[k]])) } as typeof cur;
    const changed = EDITABLE.filter((k) => cur[k] !== next[k]);
    if (!changed.length) return err(E.unchanged());
    const set = {
      ...Object.fromEntries(changed.map((k) => [k, next[k]])),
      searchName: foldVietnamese(next.nameVi),
      searchText: foldVietnamese(`${next.nameVi} ${next.nameEn} ${next.field} ${code}`),
      contentHash: ADMIN_HASH_PREFIX + hash(Object.fromEntries(EDITABLE.map((k) => [k, next[k]]))),
      updatedAt: new Date(),
    };
    await tx.update(procedures).set(set).where(eq(procedures.code, code));
    await appendAudit(tx, {
      actorKind: "official", actorId: staff.username, action: "catalog.procedure_edit", subjectKind: "procedure", subjectId: code,
      details: { before: Object.fromEntries(changed.map((k) => [k, cur[k]])), after: Object.fromEntries(changed.map((k) => [k, next[k]])) },
    });
    return ok({ changed: [...changed] });
  });
  if (result.ok) invalidateCatalogCache(db);
  return result;
}

/** Publishes a form definition (JSON text) as the procedure's next version. */
export async function publishFormVersion(db: AppDb, staff: StaffUser, code: string, json: string): Promise<Result<{ version: number }>> {
  if (!mayEditCatalog(staff)) return err(E.forbidden());
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    return err(E.formJson((e as Error).message.slice(0, 200)));
  }
  const parsed = FormDefinition.safeParse(raw);
  if (!parsed.success) {
    return err(E.formInvalid(parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(form)"}: ${i.message}`).join("; ")));
  }
  if (parsed.data.procedureCode !== code) return err(E.formOtherProcedure(parsed.data.procedureCode));
  return db.transaction(async (tx) => {
    const [proc] = await tx.select({ code: procedures.code }).from(procedures).where(eq(procedures.code, code)).for("update");
    if (!proc) return err(E.notFound(code));
    const [latest] = await tx.select({ version: formDefinitions.version, definition: formDefinitions.definition })
      .from(formDefinitions).where(eq(formDefinitions.procedureCode, code)).orderBy(desc(formDefinitions.version)).limit(1);
    // jsonb does not keep key order: compare canonical forms
    if (latest && canonicalJson(latest.definition) === canonicalJson(parsed.data)) return err(E.unchanged());
    const version = (latest?.version ?? 0) + 1;
    await tx.insert(formDefinitions).values({ procedureCode: code, version, definition: parsed.data, contentHash: ADMIN_HASH_PREFIX + hash(canonicalJson(parsed.data)) });
    await appendAudit(tx, { actorKind: "official", actorId: staff.username, action: "catalog.form_publish", subjectKind: "procedure", subjectId: code, details: { version, previous: latest?.version ?? null } });
    return ok({ version });
  });
}

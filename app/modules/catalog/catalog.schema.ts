// Catalogue query-string rules, shared by the search form and the loader. Messages are i18n keys.
import { z } from "zod";
import { plainText, searchText } from "~/lib/text";

const optionalEnum = <T extends [string, ...string[]]>(values: T, message: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(values, { message }).optional());

export const CatalogQuery = z.object({
  q: z.preprocess(
    (v) => (typeof v === "string" ? searchText(v) : v ?? ""),
    z.string().max(200, "catalog.errors.qTooLong"),
  ),
  field: z.preprocess(
    (v) => (typeof v === "string" ? searchText(v) || undefined : v === null ? undefined : v),
    z.string().max(200, "catalog.errors.unknownField").optional(),
  ),
  level: optionalEnum(["commune", "province"], "catalog.errors.badLevel"),
  agency: optionalEnum(["police", "committee", "department"], "catalog.errors.badAgency"),
  fee: optionalEnum(["free", "paid"], "catalog.errors.badFee"),
  online: optionalEnum(["full", "any"], "catalog.errors.badOnline"),
  page: z.preprocess(
    (v) => (v === "" || v === null || v === undefined ? 1 : v),
    z.coerce.number({ message: "catalog.errors.badPage" }).int("catalog.errors.badPage").min(1, "catalog.errors.badPage").max(10_000, "catalog.errors.badPage"),
  ),
});
export type CatalogQuery = z.infer<typeof CatalogQuery>;

export const PAGE_SIZE = 20;

/** A procedure code as it appears in URLs: national N.NNNNNN or local QN-NNNN. */
export const ProcedureCode = z.string().regex(/^(\d\.\d{6}|QN-\d{4})$/);

const blankToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/** An administrator's edit of a procedure (can-bo/thu-tuc/…). Messages are i18n keys. */
export const ProcedureEdit = z.object({
  csrf: z.string().min(1),
  nameVi: plainText().trim().min(1, "catalogAdmin.errors.name").max(500, "catalogAdmin.errors.name"),
  nameEn: plainText().trim().min(1, "catalogAdmin.errors.name").max(500, "catalogAdmin.errors.name"),
  field: plainText().trim().min(1, "catalogAdmin.errors.field").max(300, "catalogAdmin.errors.field"),
  agencyText: plainText().trim().max(500, "catalogAdmin.errors.text"),
  processingText: z.preprocess(blankToNull, plainText({ multiline: true }).trim().max(2000, "catalogAdmin.errors.text").nullable()),
  processingValue: z.preprocess(blankToNull, z.coerce.number({ message: "catalogAdmin.errors.processingValue" }).min(0, "catalogAdmin.errors.processingValue").max(365, "catalogAdmin.errors.processingValue").nullable()),
  processingUnit: z.preprocess(blankToNull, z.enum(["working_days", "days", "immediate"], { message: "catalogAdmin.errors.processingUnit" }).nullable()),
  feeAmountVnd: z.preprocess(blankToNull, z.coerce.number({ message: "catalogAdmin.errors.fee" }).int("catalogAdmin.errors.fee").min(0, "catalogAdmin.errors.fee").max(100_000_000, "catalogAdmin.errors.fee").nullable()),
  feeText: z.preprocess(blankToNull, plainText({ multiline: true }).trim().max(2000, "catalogAdmin.errors.text").nullable()),
  onlineMode: z.enum(["full", "partial", "none"], { message: "catalogAdmin.errors.onlineMode" }),
}).refine((v) => (v.processingValue === null) === (v.processingUnit === null) || v.processingUnit === "immediate", { message: "catalogAdmin.errors.processingPair", path: ["processingUnit"] });
export type ProcedureEdit = z.infer<typeof ProcedureEdit>;

/** A new version of a procedure's form, pasted as JSON. */
export const FormPublish = z.object({
  csrf: z.string().min(1),
  definition: z.string().min(2, "catalogAdmin.errors.formJson").max(200_000, "catalogAdmin.errors.formTooLarge"),
});

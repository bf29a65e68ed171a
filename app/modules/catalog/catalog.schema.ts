// Catalogue query-string rules, shared by the search form and the loader. Messages are i18n keys.
import { z } from "zod";

const optionalEnum = <T extends [string, ...string[]]>(values: T, message: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(values, { message }).optional());

export const CatalogQuery = z.object({
  q: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v ?? ""),
    z.string().max(200, "catalog.errors.qTooLong"),
  ),
  field: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
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

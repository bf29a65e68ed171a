import type { AppError } from "~/lib/result";

export const CatalogErrors = {
  notFound: (code: string): AppError => ({
    code: "catalog.procedure_not_found",
    status: 404,
    i18nKey: "catalog.errors.notFound",
    params: { code },
  }),
};

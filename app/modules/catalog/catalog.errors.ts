import type { AppError } from "~/lib/result";

export const CatalogErrors = {
  notFound: (code: string): AppError => ({
    code: "catalog.procedure_not_found",
    status: 404,
    i18nKey: "catalog.errors.notFound",
    params: { code },
  }),
};

export const CatalogAdminErrors = {
  forbidden: (): AppError => ({ code: "catalog_admin.forbidden", status: 403, i18nKey: "desk.errors.forbidden" }),
  notFound: (code: string): AppError => ({ code: "catalog.procedure_not_found", status: 404, i18nKey: "catalog.errors.notFound", params: { code } }),
  unchanged: (): AppError => ({ code: "catalog_admin.unchanged", status: 400, i18nKey: "catalogAdmin.errors.unchanged" }),
  formJson: (detail: string): AppError => ({ code: "catalog_admin.form_json", status: 400, i18nKey: "catalogAdmin.errors.formJsonDetail", params: { detail } }),
  formInvalid: (detail: string): AppError => ({ code: "catalog_admin.form_invalid", status: 400, i18nKey: "catalogAdmin.errors.formInvalid", params: { detail } }),
  formOtherProcedure: (code: string): AppError => ({ code: "catalog_admin.form_other_procedure", status: 400, i18nKey: "catalogAdmin.errors.formOtherProcedure", params: { code } }),
};

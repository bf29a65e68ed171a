import { appError } from "~/lib/result";

export const CatalogErrors = {
  notFound: (code: string) => appError("catalog.procedure_not_found", 404, "catalog.errors.notFound", { code }),
};

export const CatalogAdminErrors = {
  forbidden: () => appError("catalog_admin.forbidden", 403, "desk.errors.forbidden"),
  notFound: (code: string) => appError("catalog.procedure_not_found", 404, "catalog.errors.notFound", { code }),
  unchanged: () => appError("catalog_admin.unchanged", 400, "catalogAdmin.errors.unchanged"),
  formJson: (detail: string) => appError("catalog_admin.form_json", 400, "catalogAdmin.errors.formJsonDetail", { detail }),
  formInvalid: (detail: string) => appError("catalog_admin.form_invalid", 400, "catalogAdmin.errors.formInvalid", { detail }),
  formOtherProcedure: (code: string) => appError("catalog_admin.form_other_procedure", 400, "catalogAdmin.errors.formOtherProcedure", { code }),
};

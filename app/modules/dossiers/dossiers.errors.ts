import type { AppError } from "~/lib/result";

export const DossierErrors = {
  notFound: (): AppError => ({ code: "dossier.not_found", status: 404, i18nKey: "dossier.errors.notFound" }),
  illegalTransition: (from: number, to: number): AppError => ({
    code: "dossier.illegal_transition", status: 409, i18nKey: "dossier.errors.illegalTransition", params: { from, to },
  }),
  unknownProcedure: (code: string): AppError => ({ code: "dossier.unknown_procedure", status: 400, i18nKey: "dossier.errors.unknownProcedure", params: { code } }),
  unknownAgency: (code: string): AppError => ({ code: "dossier.unknown_agency", status: 400, i18nKey: "dossier.errors.unknownAgency", params: { code } }),
};

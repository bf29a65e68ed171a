import { appError } from "~/lib/result";

export const DossierErrors = {
  notFound: () => appError("dossier.not_found", 404, "dossier.errors.notFound"),
  illegalTransition: (from: number, to: number) => appError("dossier.illegal_transition", 409, "dossier.errors.illegalTransition", { from, to }),
  unknownProcedure: (code: string) => appError("dossier.unknown_procedure", 400, "dossier.errors.unknownProcedure", { code }),
  unknownAgency: (code: string) => appError("dossier.unknown_agency", 400, "dossier.errors.unknownAgency", { code }),
};

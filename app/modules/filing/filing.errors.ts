import { appError, invalidFields, type FieldErrors } from "~/lib/result";

export const FilingErrors = {
  noForm: () => appError("filing.no_form", 404, "filing.errors.noForm"),
  draftNotFound: () => appError("filing.draft_not_found", 404, "filing.errors.draftNotFound"),
  badStep: () => appError("filing.bad_step", 400, "filing.errors.badStep"),
  /** A step's answers failed its schema; each field carries its own message. */
  invalidAnswers: (fieldErrors: FieldErrors) => invalidFields("filing.invalid_answers", fieldErrors),
  incomplete: (step: string) => appError("filing.incomplete", 400, "filing.errors.incomplete", { step }),
  missingDocuments: (count: number) => appError("filing.missing_documents", 400, "filing.errors.missingDocuments", { count }),
  filesPending: () => appError("filing.files_pending", 409, "filing.errors.filesPending"),
  unpaid: () => appError("filing.unpaid", 402, "filing.errors.unpaid"),
  noAgency: () => appError("filing.no_agency", 400, "filing.errors.noAgency"),
  /** At the counter: the answers make the dossier another agency's, and a desk files only for its own. */
  otherAgency: () => appError("filing.other_agency", 409, "filing.errors.otherAgency"),
  tooManyDrafts: () => appError("filing.too_many_drafts", 429, "filing.errors.tooManyDrafts"),
  prefillUnavailable: () => appError("filing.prefill_unavailable", 503, "filing.errors.prefillUnavailable"),
};

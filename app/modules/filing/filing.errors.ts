import type { AppError } from "~/lib/result";

const e = (code: string, status: number, i18nKey: string, params?: Record<string, string | number>): AppError => ({ code, status, i18nKey, params });

export const FilingErrors = {
  noForm: () => e("filing.no_form", 404, "filing.errors.noForm"),
  draftNotFound: () => e("filing.draft_not_found", 404, "filing.errors.draftNotFound"),
  badStep: () => e("filing.bad_step", 400, "filing.errors.badStep"),
  incomplete: (step: string) => e("filing.incomplete", 400, "filing.errors.incomplete", { step }),
  missingDocuments: (count: number) => e("filing.missing_documents", 400, "filing.errors.missingDocuments", { count }),
  filesPending: () => e("filing.files_pending", 409, "filing.errors.filesPending"),
  unpaid: () => e("filing.unpaid", 402, "filing.errors.unpaid"),
  noAgency: () => e("filing.no_agency", 400, "filing.errors.noAgency"),
  /** At the counter: the answers make the dossier another agency's, and a desk files only for its own. */
  otherAgency: () => e("filing.other_agency", 409, "filing.errors.otherAgency"),
  tooManyDrafts: () => e("filing.too_many_drafts", 429, "filing.errors.tooManyDrafts"),
  prefillUnavailable: () => e("filing.prefill_unavailable", 503, "filing.errors.prefillUnavailable"),
};

// Counter filing's expected failures, as data (docs/decisions/003-error-convention.md).
import type { AppError } from "~/lib/result";

const e = (code: string, status: number, i18nKey: string): AppError => ({ code, status, i18nKey });
export const CounterErrors = {
  forbidden: () => e("counter.forbidden", 403, "counter.errors.forbidden"),
  noForm: () => e("counter.no_form", 400, "counter.errors.noForm"),
  otherAgency: () => e("counter.other_agency", 409, "filing.errors.otherAgency"),
  consentRequired: () => e("counter.consent_required", 400, "counter.errors.consentRequired"),
  notMatched: () => e("counter.not_matched", 404, "kiosk.errors.notMatched"),
  registryUnavailable: () => e("counter.registry_unavailable", 503, "kiosk.errors.registryUnavailable"),
  draftNotFound: () => e("counter.draft_not_found", 404, "filing.errors.draftNotFound"),
};

// Counter filing's expected failures, as data (docs/decisions/003-error-convention.md).
import { appError } from "~/lib/result";

export const CounterErrors = {
  forbidden: () => appError("counter.forbidden", 403, "counter.errors.forbidden"),
  noForm: () => appError("counter.no_form", 400, "counter.errors.noForm"),
  otherAgency: () => appError("counter.other_agency", 409, "filing.errors.otherAgency"),
  consentRequired: () => appError("counter.consent_required", 400, "counter.errors.consentRequired"),
  notMatched: () => appError("counter.not_matched", 404, "kiosk.errors.notMatched"),
  registryUnavailable: () => appError("counter.registry_unavailable", 503, "kiosk.errors.registryUnavailable"),
  draftNotFound: () => appError("counter.draft_not_found", 404, "filing.errors.draftNotFound"),
};

// Kiosk mode's expected failures, as data (docs/decisions/003-error-convention.md).
import { appError } from "~/lib/result";

export const KioskErrors = {
  noDevice: () => appError("kiosk.no_device", 403, "kiosk.errors.noDevice"),
  badEnrolCode: () => appError("kiosk.bad_enrol_code", 400, "kiosk.errors.badEnrolCode"),
  notOfficer: () => appError("kiosk.not_officer", 403, "kiosk.errors.notOfficer"),
  noSession: () => appError("kiosk.no_session", 409, "kiosk.errors.noSession"),
  needsConsent: () => appError("kiosk.needs_consent", 403, "kiosk.errors.needsConsent"),
  /** Not found, or the name / birth date does not match: the same answer, so nothing leaks. */
  notMatched: () => appError("kiosk.not_matched", 404, "kiosk.errors.notMatched"),
  noPhone: () => appError("kiosk.no_phone", 409, "kiosk.errors.noPhone"),
  registryUnavailable: () => appError("kiosk.registry_unavailable", 503, "kiosk.errors.registryUnavailable"),
  smsFailed: () => appError("kiosk.sms_failed", 503, "kiosk.errors.smsFailed"),
  rateLimited: (seconds: number) => appError("kiosk.rate_limited", 429, "kiosk.errors.rateLimited", { seconds }),
  codeWrong: (left: number) => appError("kiosk.code_wrong", 401, "kiosk.errors.codeWrong", { left }),
  codeExpired: () => appError("kiosk.code_expired", 410, "kiosk.errors.codeExpired"),
  codeUsed: () => appError("kiosk.code_used", 409, "kiosk.errors.codeUsed"),
  codeLocked: () => appError("kiosk.code_locked", 423, "kiosk.errors.codeLocked"),
  noCode: () => appError("kiosk.no_code", 409, "kiosk.errors.noCode"),
  /** The e-ID approval link is unknown, expired or already answered. */
  approvalInvalid: () => appError("kiosk.approval_invalid", 410, "kiosk.errors.approvalInvalid"),
  /** The signed-in citizen is not the one the kiosk identified. */
  approvalWrongCitizen: () => appError("kiosk.approval_wrong_citizen", 403, "kiosk.errors.approvalWrongCitizen"),
  approvalSessionEnded: () => appError("kiosk.approval_session_ended", 410, "kiosk.errors.approvalSessionEnded"),
  badProcedure: () => appError("kiosk.bad_procedure", 400, "kiosk.errors.badProcedure"),
};

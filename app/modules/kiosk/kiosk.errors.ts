// Kiosk mode's expected failures, as data (docs/decisions/003-error-convention.md).
import type { AppError } from "~/lib/result";

const e = (code: string, status: number, i18nKey: string, params?: Record<string, string | number>): AppError => ({ code, status, i18nKey, params });

export const KioskErrors = {
  noDevice: () => e("kiosk.no_device", 403, "kiosk.errors.noDevice"),
  badEnrolCode: () => e("kiosk.bad_enrol_code", 400, "kiosk.errors.badEnrolCode"),
  notOfficer: () => e("kiosk.not_officer", 403, "kiosk.errors.notOfficer"),
  noSession: () => e("kiosk.no_session", 409, "kiosk.errors.noSession"),
  needsConsent: () => e("kiosk.needs_consent", 403, "kiosk.errors.needsConsent"),
  /** Not found, or the name / birth date does not match: the same answer, so nothing leaks. */
  notMatched: () => e("kiosk.not_matched", 404, "kiosk.errors.notMatched"),
  noPhone: () => e("kiosk.no_phone", 409, "kiosk.errors.noPhone"),
  registryUnavailable: () => e("kiosk.registry_unavailable", 503, "kiosk.errors.registryUnavailable"),
  smsFailed: () => e("kiosk.sms_failed", 503, "kiosk.errors.smsFailed"),
  rateLimited: (seconds: number) => e("kiosk.rate_limited", 429, "kiosk.errors.rateLimited", { seconds }),
  codeWrong: (left: number) => e("kiosk.code_wrong", 401, "kiosk.errors.codeWrong", { left }),
  codeExpired: () => e("kiosk.code_expired", 410, "kiosk.errors.codeExpired"),
  codeUsed: () => e("kiosk.code_used", 409, "kiosk.errors.codeUsed"),
  codeLocked: () => e("kiosk.code_locked", 423, "kiosk.errors.codeLocked"),
  noCode: () => e("kiosk.no_code", 409, "kiosk.errors.noCode"),
  /** The e-ID approval link is unknown, expired or already answered. */
  approvalInvalid: () => e("kiosk.approval_invalid", 410, "kiosk.errors.approvalInvalid"),
  /** The signed-in citizen is not the one the kiosk identified. */
  approvalWrongCitizen: () => e("kiosk.approval_wrong_citizen", 403, "kiosk.errors.approvalWrongCitizen"),
  approvalSessionEnded: () => e("kiosk.approval_session_ended", 410, "kiosk.errors.approvalSessionEnded"),
  badProcedure: () => e("kiosk.bad_procedure", 400, "kiosk.errors.badProcedure"),
};

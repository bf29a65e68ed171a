// One error convention for every module (docs/decisions/003-error-convention.md):
// expected failures are values, each with a stable code, an HTTP status and an i18n key.

/** Per-field validation failures: field name → i18n key ("_" for the record as a whole). */
export type FieldErrors = Record<string, string>;

export interface AppError {
  code: string;
  status: number;
  /** Key in locales/{vi,en}/*.json; the message shown to people. */
  i18nKey: string;
  /** Values interpolated into the translated message. */
  params?: Record<string, string | number>;
  /** Set when the failure is invalid answers: each field with the message to show beside it. */
  fieldErrors?: FieldErrors;
}

export type Result<T, E extends AppError = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E extends AppError>(error: E): Result<never, E> => ({ ok: false, error });

/** The one way to build an error; each domain lists its own in `<domain>.errors.ts`. */
export const appError = (code: string, status: number, i18nKey: string, params?: Record<string, string | number>): AppError =>
  params === undefined ? { code, status, i18nKey } : { code, status, i18nKey, params };

/** A 400 carrying per-field messages; `i18nKey` is the summary shown above the form. */
export const invalidFields = (code: string, fieldErrors: FieldErrors, i18nKey = "forms.errors.invalid"): AppError =>
  ({ code, status: 400, i18nKey, fieldErrors });

/** Zod's issues as field errors, the first message per field (zod's messages are i18n keys). */
export function fieldErrorsFrom(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) out[String(issue.path[0] ?? "_")] ??= issue.message;
  return out;
}

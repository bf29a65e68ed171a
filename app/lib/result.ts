// One error convention for every module (docs/decisions/003-error-convention.md):
// expected failures are values, each with a stable code, an HTTP status and an i18n key.
export interface AppError {
  code: string;
  status: number;
  /** Key in locales/{vi,en}/*.json; the message shown to people. */
  i18nKey: string;
  /** Values interpolated into the translated message. */
  params?: Record<string, string | number>;
}

export type Result<T, E extends AppError = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E extends AppError>(error: E): Result<never, E> => ({ ok: false, error });

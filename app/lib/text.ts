import { z } from "zod";

/**
 * Folds Vietnamese text for search: lower case, no tone or vowel marks, đ→d, punctuation as
 * single spaces. "Đăng ký THƯỜNG trú!" → "dang ky thuong tru".
 * NFKD, not NFD: compatibility forms (full-width "Ｄăng ｋý" from some input methods, ligatures)
 * become the plain letters they stand for. (đ/Đ is a letter of its own, not a d with an accent:
 * no normal form decomposes it.)
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, " ")
    .replace(/(^|\s)\.+|\.+(\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Text typed into a search box or a query string, made safe to search with: NFKC (full-width
 * "Ｄăng ｋý" is "Đăng ký", composed as stored text is), control characters (NUL above all —
 * PostgreSQL refuses it in any text parameter) become spaces, ends trimmed.
 */
export function searchText(input: string): string {
  return input.normalize("NFKC").replace(/\p{Cc}/gu, " ").trim();
}

// C0 and C1 control characters and DEL, and lone surrogates (not text: PostgreSQL refuses NUL in
// text and jsonb, and lone surrogates in jsonb). Tab and line breaks are text in a multi-line field.
// (\p{Cc} is exactly U+0000–U+001F and U+007F–U+009F.)
const CONTROL_IN_LINE = /[\p{Cc}\p{Cs}]/u;
const CONTROL_IN_TEXT = /[^\P{Cc}\t\n\r]|\p{Cs}/u;

/** The i18n key of the refusal (a field's error, or the form's when the reader refuses the post). */
export const CONTROL_CHARS_KEY = "errors.controlChars";

/** True when the text holds a control character: any at all, or (multiline) any but tab, CR, LF. */
export function hasControlChars(input: string, opts: { multiline?: boolean } = {}): boolean {
  return (opts.multiline ? CONTROL_IN_TEXT : CONTROL_IN_LINE).test(input);
}

/**
 * A text field people type into: refused (with CONTROL_CHARS_KEY) when it holds a control
 * character, so none is ever stored. Chain `.trim()`, `.min()`, `.max()` as on `z.string()`.
 */
export const plainText = (opts: { multiline?: boolean } = {}) =>
  z.string().refine((v) => !hasControlChars(v, opts), CONTROL_CHARS_KEY);

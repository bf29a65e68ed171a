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

/**
 * Folds Vietnamese text for search: lower case, no tone or vowel marks, đ→d, punctuation as
 * single spaces. "Đăng ký THƯỜNG trú!" → "dang ky thuong tru".
 * (đ/Đ is a letter of its own, not a d with an accent: NFD does not decompose it.)
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, " ")
    .replace(/(^|\s)\.+|\.+(\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Text typed into a search box or a query string, made safe to search with: control characters
 * (NUL above all — PostgreSQL refuses it in any text parameter) become spaces, ends trimmed.
 */
export function searchText(input: string): string {
  return input.replace(/\p{Cc}/gu, " ").trim();
}

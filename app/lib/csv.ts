// CSV for the report downloads (RFC 4180, UTF-8 with a BOM so spreadsheet programs read the
// Vietnamese text as UTF-8). One escaping rule for every export.

/**
 * One cell. A leading =, +, -, @, tab or carriage return would make a spreadsheet read the cell as
 * a formula (CSV injection): it is neutralised with a leading apostrophe. A cell holding a quote,
 * comma or line break is quoted, its quotes doubled. Null and undefined are empty.
 */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole document: BOM, heading line, rows, CRLF line ends (the last line too). */
export function csvDocument(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [head, ...rows].map((r) => r.map(csvCell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

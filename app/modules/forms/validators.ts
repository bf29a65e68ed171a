// Vietnamese field rules, shared by the browser and the server. Each returns null when the value
// is acceptable or an i18n key naming what is wrong.

/** Birth-province codes of the 12-digit personal identification number (Circular 59/2021/TT-BCA). */
export const ID_PROVINCE_CODES = new Set([
  "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024",
  "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045",
  "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070",
  "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
  "094", "095", "096",
]);

export type Sex = "Nam" | "Nữ";

/** Century and sex digit: 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s … */
export function idCenturyDigit(year: number, sex: Sex): number {
  const century = Math.floor(year / 100) - 19;
  return century * 2 + (sex === "Nữ" ? 1 : 0);
}

/** Shape of a 12-digit identity number: digits, a known province, a plausible century digit. */
export function checkIdNumber(value: string): string | null {
  if (!/^\d{12}$/.test(value)) return "forms.errors.idNumberFormat";
  if (!ID_PROVINCE_CODES.has(value.slice(0, 3))) return "forms.errors.idNumberProvince";
  if (Number(value[3]) > 5) return "forms.errors.idNumberCentury";
  return null;
}

/** The identity number's century/sex digit and birth-year digits agree with the stated birth date and sex. */
export function checkIdAgainstPerson(value: string, birthDate: Date | null, sex: Sex | null): string | null {
  const shape = checkIdNumber(value);
  if (shape) return shape;
  if (birthDate) {
    const year = birthDate.getUTCFullYear();
    if (value.slice(4, 6) !== String(year % 100).padStart(2, "0")) return "forms.errors.idNumberYear";
    if (sex && Number(value[3]) !== idCenturyDigit(year, sex)) return "forms.errors.idNumberSex";
    if (!sex && Math.floor(Number(value[3]) / 2) !== Math.floor(year / 100) - 19) return "forms.errors.idNumberYear";
  }
  return null;
}

/** Mobile network prefixes in use (after the 2018 11→10-digit conversion). */
export const MOBILE_PREFIXES = new Set([
  "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", // Viettel
  "081", "082", "083", "084", "085", "088", "091", "094", // VinaPhone
  "070", "076", "077", "078", "079", "089", "090", "093", // MobiFone
  "052", "056", "058", "092", // Vietnamobile
  "059", "099", // Gmobile
  "087", // iTel
  "055", // Reddi
]);

export function checkMobile(value: string): string | null {
  if (!/^0\d{9}$/.test(value)) return "forms.errors.phoneFormat";
  if (!MOBILE_PREFIXES.has(value.slice(0, 3))) return "forms.errors.phonePrefix";
  return null;
}

/** dd/MM/yyyy → a UTC date, or null when the text is not a real calendar date. */
export function parseVnDate(value: string): Date | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date;
}

export function formatVnDate(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
}

/** yyyy-mm-dd → dd/MM/yyyy (null-safe). */
export function isoToVnDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "";
}

export function checkVnDate(value: string, opts: { past?: boolean; now?: Date } = {}): string | null {
  const d = parseVnDate(value);
  if (!d) return "forms.errors.date";
  if (d.getUTCFullYear() < 1900) return "forms.errors.dateRange";
  if (opts.past && d.getTime() > (opts.now ?? new Date()).getTime()) return "forms.errors.dateFuture";
  return null;
}

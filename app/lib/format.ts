// Display formats: dates dd/MM/yyyy, money in VND ("20.000 ₫" in Vietnamese, "VND 20,000" in English).
import type { Lng } from "~/i18n";

const money = {
  vi: new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND" }),
  en: new Intl.NumberFormat("en-US", { style: "currency", currency: "VND", currencyDisplay: "code" }),
};

/** Non-breaking spaces become ordinary ones so text stays searchable and copyable. */
export function formatVnd(amount: number, lng: Lng): string {
  return money[lng].format(amount).replace(/\u00a0/g, " ");
}

/** dd/MM/yyyy for a yyyy-MM-dd string or a Date (read in Asia/Ho_Chi_Minh). */
export function formatDate(value: string | Date): string {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return `${d}/${m}/${y}`;
  }
  const date = typeof value === "string" ? new Date(value) : value;
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
  }).formatToParts(date);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("day")}/${get("month")}/${get("year")}`;
}

const DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/** One group of three digits; `inner` when a higher group precedes it ("không trăm", "linh"). */
function hundredsInWords(n: number, inner: boolean): string[] {
  const [h, t, u] = [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10];
  const words: string[] = [];
  if (h > 0 || inner) words.push(DIGITS[h], "trăm");
  if (t === 0) {
    if (u > 0) words.push(...(words.length ? ["linh"] : []), DIGITS[u]);
  } else if (t === 1) {
    words.push("mười");
    if (u > 0) words.push(u === 5 ? "lăm" : DIGITS[u]);
  } else {
    words.push(DIGITS[t], "mươi");
    if (u > 0) words.push(u === 1 ? "mốt" : u === 4 ? "tư" : u === 5 ? "lăm" : DIGITS[u]);
  }
  return words;
}

/** Below a billion: groups of thousands, zero groups skipped ("một triệu không trăm linh năm"). */
function belowBillionInWords(n: number, inner: boolean): string[] {
  const groups = [Math.floor(n / 1_000_000), Math.floor(n / 1000) % 1000, n % 1000];
  const scales = ["triệu", "nghìn", ""];
  const words: string[] = [];
  groups.forEach((g, i) => {
    if (g === 0) return;
    words.push(...hundredsInWords(g, inner || words.length > 0));
    if (scales[i]) words.push(scales[i]);
  });
  return words;
}

function numberInWords(n: number, inner = false): string[] {
  if (n < 1_000_000_000) return belowBillionInWords(n, inner);
  const billions = Math.floor(n / 1_000_000_000);
  const rest = n % 1_000_000_000;
  return [...numberInWords(billions, inner), "tỷ", ...(rest ? belowBillionInWords(rest, true) : [])];
}

/**
 * An amount of dong in Vietnamese words, as invoices and receipts write it:
 * 10000 → "Mười nghìn đồng", 1005000 → "Một triệu không trăm linh năm nghìn đồng".
 */
export function vndInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`not a whole, non-negative amount: ${amount}`);
  const words = amount === 0 ? ["không"] : numberInWords(amount);
  const text = [...words, "đồng"].join(" ");
  return text.charAt(0).toLocaleUpperCase("vi") + text.slice(1);
}

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

import type { TFunction } from "i18next";
import type { Lng } from "~/i18n";
import { formatVnd } from "~/lib/format";

// Intl formatters are expensive to build: one per language, reused (it showed in CPU profiles).
const numberFormat = { vi: new Intl.NumberFormat("vi-VN"), en: new Intl.NumberFormat("en-US") };

// Labels depend only on (language, value, unit): remember them (a few dozen distinct values).
const processingMemo = new Map<string, string>();

export function processingLabel(t: TFunction, lng: Lng, value: number | null, unit: string | null): string {
  const key = `${lng}|${value}|${unit}`;
  let label = processingMemo.get(key);
  if (label === undefined) {
    label = buildProcessingLabel(t, lng, value, unit);
    if (processingMemo.size < 1000) processingMemo.set(key, label);
  }
  return label;
}

function buildProcessingLabel(t: TFunction, lng: Lng, value: number | null, unit: string | null): string {
  if (unit === "immediate") return t("catalog.immediate");
  if (value === null || !unit) return t("catalog.notStated");
  const n = numberFormat[lng].format(value);
  return t(unit === "working_days" ? "catalog.workingDays" : "catalog.days", { count: value, n });
}

export function feeLabel(t: TFunction, lng: Lng, amount: number | null): string {
  if (amount === null) return t("catalog.feeUnknown");
  if (amount === 0) return t("catalog.free");
  return formatVnd(amount, lng);
}

export function onlineLabel(t: TFunction, mode: string): string {
  return t(mode === "full" ? "catalog.onlineFull" : mode === "partial" ? "catalog.onlinePartial" : "catalog.onlineNone");
}

// The catalogue search page's words, looked up once per language instead of once per element.
//
// Translations are bundled with the build (app/i18n.ts) and never change while a process runs, so
// every string below is a pure function of (i18n instance, language). Profiles of the search
// page showed i18next lookups (`t()`, ~45 per render) as the largest cost after React itself;
// with this memo a render makes two lookups (the count and the echoed query).
//
// What is kept: per language, the constant strings and a few bounded label memos (result counts,
// fees, processing times — each keyed by a number or enum, capped). No request data, nothing
// about a user; losing it costs one lookup per string. It is not a response cache.
import type { i18n as I18n, TFunction } from "i18next";
import { fallbackLng, isLng, type Lng } from "~/i18n";
import { formatVnd } from "~/lib/format";
import { processingLabel } from "~/components/catalog-format";

const KEYS = {
  title: "catalog.title",
  siteName: "site.name",
  searchLabel: "search.label",
  searchHint: "search.hint",
  searchPlaceholder: "search.placeholder",
  searchSubmit: "search.submit",
  filters: "search.filters",
  field: "search.field",
  any: "search.any",
  level: "search.level",
  levelCommune: "search.levelCommune",
  levelProvince: "search.levelProvince",
  agency: "search.agency",
  agencyPolice: "search.agencyPolice",
  agencyCommittee: "search.agencyCommittee",
  agencyDepartment: "search.agencyDepartment",
  fee: "search.fee",
  feeFree: "search.feeFree",
  feePaid: "search.feePaid",
  online: "search.online",
  onlineFull: "search.onlineFull",
  onlineAny: "search.onlineAny",
  apply: "search.apply",
  clear: "search.clear",
  invalidQuery: "catalog.errors.invalidQuery",
  noResults: "catalog.noResults",
  pagination: "catalog.pagination",
  prev: "catalog.prev",
  next: "catalog.next",
  code: "catalog.code",
  processing: "catalog.processing",
  feeHeading: "catalog.fee",
  free: "catalog.free",
  feeUnknown: "catalog.feeUnknown",
  badgeFull: "catalog.onlineFull",
  badgePartial: "catalog.onlinePartial",
  badgeNone: "catalog.onlineNone",
} as const;

export type CatalogStrings = { readonly [K in keyof typeof KEYS]: string };

export interface CatalogText {
  lng: Lng;
  s: CatalogStrings;
  /** "Results for “…”" around the user's query. */
  resultsFor(q: string): string;
  /** "9 procedures found" (plural rules of the language). */
  resultCount(count: number): string;
  /** The card's fee line: free, not published, or the amount in the language's money format. */
  fee(amount: number | null): string;
  /** The card's online badge. */
  online(mode: string): string;
  processing(value: number | null, unit: string | null): string;
}

const SLOT = "\u0000";

// Bounded memos: their keys are numbers from the catalogue (counts, amounts), never user input.
const MEMO_MAX = 500;
function memoised<K, V>(build: (k: K) => V): (k: K) => V {
  const m = new Map<K, V>();
  return (k) => {
    let v = m.get(k);
    if (v === undefined) {
      v = build(k);
      if (m.size < MEMO_MAX) m.set(k, v);
    }
    return v;
  };
}

function buildText(t: TFunction, lng: Lng): CatalogText {
  const s = Object.fromEntries(Object.entries(KEYS).map(([name, key]) => [name, t(key)])) as unknown as CatalogStrings;
  const badge: Record<string, string> = { full: s.badgeFull, partial: s.badgePartial };
  // The query is user input, so it is not memoised: the template is, split where {{q}} goes
  // (interpolated values are inserted as they are, escapeValue is off — React escapes).
  const resultsFor = t("catalog.resultsFor", { q: SLOT }).split(SLOT);
  return {
    lng,
    s,
    resultsFor: (q) => resultsFor.join(q),
    resultCount: memoised((count: number) => t("catalog.resultCount", { count })),
    fee: memoised((amount: number | null) => (amount === null ? s.feeUnknown : amount === 0 ? s.free : formatVnd(amount, lng))),
    online: (mode) => badge[mode] ?? s.badgeNone,
    processing: (value, unit) => processingLabel(t, lng, value, unit),
  };
}

const memo = new WeakMap<I18n, Map<string, CatalogText>>();

/** The catalogue's words for the instance's current language (built on first use, then reused). */
export function catalogText(i18n: I18n): CatalogText {
  const lng: Lng = isLng(i18n.language) ? i18n.language : fallbackLng;
  let byLng = memo.get(i18n);
  if (!byLng) memo.set(i18n, (byLng = new Map()));
  let text = byLng.get(lng);
  if (!text) byLng.set(lng, (text = buildText(i18n.getFixedT(lng), lng)));
  return text;
}

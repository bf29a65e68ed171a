// i18next configuration shared by the server and the browser. Resources are bundled (imported
// JSON), so no locale is ever fetched and nothing flashes untranslated.
import en from "~locales/en/common.json";
import vi from "~locales/vi/common.json";

export const supportedLngs = ["vi", "en"] as const;
export type Lng = (typeof supportedLngs)[number];
export const fallbackLng: Lng = "vi";
export const defaultNS = "common";

export const resources = { vi: { common: vi }, en: { common: en } } as const;

export const isLng = (v: unknown): v is Lng => typeof v === "string" && (supportedLngs as readonly string[]).includes(v);

export default {
  supportedLngs: [...supportedLngs],
  fallbackLng,
  defaultNS,
  ns: [defaultNS],
  resources,
  interpolation: { escapeValue: false }, // React escapes
  react: { useSuspense: false },
};

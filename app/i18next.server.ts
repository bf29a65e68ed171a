import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import i18nConfig, { fallbackLng, isLng, type Lng } from "~/i18n";

// The `lng` cookie is a plain value ("vi" | "en"), set by server.ts when a page is asked for
// with ?lng=.
const LNG_COOKIE = /(?:^|;\s*)lng=([a-z]{2})(?:;|$)/;

/**
 * The request's language: `?lng=` first, then the cookie, else Vietnamese — whatever the
 * browser's Accept-Language says (the portal is Vietnamese first).
 */
export async function getLocale(request: Request): Promise<Lng> {
  const fromQuery = new URL(request.url).searchParams.get("lng");
  if (isLng(fromQuery)) return fromQuery;
  const fromCookie = LNG_COOKIE.exec(request.headers.get("Cookie") ?? "")?.[1];
  return isLng(fromCookie) ? fromCookie : fallbackLng;
}

// Resources are static, so one initialised instance per language serves every request
// (building an instance per request halved SSR throughput in the stack prototype).
const instances = new Map<string, Promise<I18n>>();
export function i18nFor(lng: Lng): Promise<I18n> {
  let p = instances.get(lng);
  if (!p) {
    const inst = createInstance();
    p = inst
      .use(initReactI18next)
      .init({ ...i18nConfig, lng })
      .then(() => inst);
    instances.set(lng, p);
  }
  return p;
}

export async function getFixedT(request: Request): Promise<{ t: TFunction; lng: Lng }> {
  const lng = await getLocale(request);
  return { t: (await i18nFor(lng)).getFixedT(lng), lng };
}

/**
 * A translated line for server.ts's own answers (a refused cross-site post, an error Express met):
 * no page, no Remix, the language as getLocale picks it from the URL and cookie given.
 */
export async function plainAnswer(url: string, cookie: string | undefined, key: string, params?: Record<string, string>): Promise<string> {
  let lng: Lng = fallbackLng;
  try {
    lng = await getLocale(new Request(new URL(url, "http://portal.invalid"), { headers: cookie ? { cookie } : {} }));
  } catch {
    // a URL or cookie the Fetch API will not take: Vietnamese
  }
  return (await i18nFor(lng)).getFixedT(lng)(key, params);
}

import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { SiteFooter } from "~/components/layout/SiteFooter";
import { SiteHeader, type HeaderAccount } from "~/components/layout/SiteHeader";
import { getDb } from "~/db.server";
import { fallbackLng } from "~/i18n";
import { getLocale } from "~/i18next.server";
import { carriesCitizenSession, citizenFromRequest } from "~/modules/identity/citizen-auth.server";
import stylesheet from "~/styles/app.css";

// Errors thrown as responses keep their headers (e.g. WWW-Authenticate on a 401).
export const headers: HeadersFunction = ({ errorHeaders, loaderHeaders }) => errorHeaders ?? loaderHeaders;

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Staff and operator pages have their own sign-in; the citizen's account is not shown there. */
const citizenArea = (pathname: string) => !/^\/(?:can-bo|van-hanh)(?:\/|$)/.test(pathname);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const lng = await getLocale(request);
  const nonce = context.cspNonce;
  // the error page's reference: the id this request is logged under (X-Request-Id)
  const requestId = context.requestId;
  if (!citizenArea(new URL(request.url).pathname)) return data({ lng, nonce, requestId, account: undefined });
  // no session cookie, no database: anonymous visitors (the catalogue) cost nothing more
  const session = carriesCitizenSession(request) ? await citizenFromRequest(await getDb(), request) : null;
  if (!session) return data({ lng, nonce, requestId, account: null });
  // a page naming the citizen is for their browser only
  const account: HeaderAccount = { name: session.citizen.fullName, csrf: session.csrf };
  return data({ lng, nonce, requestId, account }, { headers: { "Cache-Control": "private, no-store" } });
}

// Asked again with every navigation (one request with the page's own data, single fetch), so the
// reference an error page shows is the id of the request that failed.
export const shouldRevalidate: ShouldRevalidateFunction = () => true;

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

function Document({ children, lng, nonce, title }: { children: React.ReactNode; lng: string; nonce?: string; title?: string }) {
  return (
    <html lang={lng}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#a6192e" />
        {title ? <title>{title}</title> : <Meta />}
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { lng, nonce, account } = useLoaderData<typeof loader>();
  // kiosk pages bring their own header (officer, countdown, end session) and no site navigation:
  // nothing on a shared device leads away from the assisted session
  const kiosk = useMatches().some((m) => (m.handle as { kiosk?: boolean } | undefined)?.kiosk);
  if (kiosk) {
    return (
      <Document lng={lng} nonce={nonce}>
        <Outlet />
      </Document>
    );
  }
  return (
    <Document lng={lng} nonce={nonce}>
      <SiteHeader lng={lng} account={account} />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <SiteFooter />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const root = useRootData();
  const lng = root?.lng ?? fallbackLng;
  const { t } = useTranslation();
  return (
    <Document lng={lng} nonce={root?.nonce} title={`${errorText(error, t)[0]} | ${t("site.name")}`}>
      <SiteHeader lng={lng} account={root?.account} />
      <main id="main" tabIndex={-1}>
        <ErrorPanel error={error} />
      </main>
      <SiteFooter />
    </Document>
  );
}

function errorText(error: unknown, t: TFunction): [string, string] {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404) return [t("errors.notFoundTitle"), t("errors.notFoundBody")];
  if (status === 400) return [t("errors.badRequestTitle"), ""];
  if (status === 403) return [t("errors.forbiddenTitle"), t("errors.forbiddenBody")];
  return [t("errors.serverTitle"), t("errors.serverBody")];
}

export function ErrorPanel({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const root = useRootData();
  const [title, body] = errorText(error, t);
  // a route's own refusal says why; an unexpected error says nothing of itself (its message and
  // stack are for the logs), only the reference under which it was logged
  const detail = isRouteErrorResponse(error) && error.status !== 403 && typeof error.data?.message === "string" ? error.data.message : null;
  const unexpected = !isRouteErrorResponse(error) || error.status >= 500;
  return (
    <div className="container narrow error-panel">
      <h1>{title}</h1>
      {detail ? <p>{detail}</p> : null}
      {body ? <p>{body}</p> : null}
      {unexpected && root?.requestId ? <p>{t("errors.reference", { id: root.requestId })}</p> : null}
      <p>
        <a className="button" href="/">{t("errors.goHome")}</a>
      </p>
    </div>
  );
}

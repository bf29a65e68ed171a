// The e-ID provider sends the browser back here with an authorization code.
import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { RouteErrorMessage } from "~/components/layout/RouteErrorMessage";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { citizenCookie, completeCitizenLogin } from "~/modules/identity/citizen-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const r = await completeCitizenLogin(await getDb(), new URL(request.url), request.headers.get("user-agent") ?? undefined);
  if (!r.ok) {
    const { t } = await getFixedT(request);
    throw data({ message: t(r.error.i18nKey) }, { status: r.error.status, headers: { "Cache-Control": "no-store" } });
  }
  return redirect(r.value.returnTo, { headers: { "Set-Cookie": citizenCookie(r.value.token), "Cache-Control": "no-store" } });
}

export const ErrorBoundary = () => <RouteErrorMessage title="citizen.signInFailed" back={{ to: "/dang-nhap", label: "citizen.tryAgain" }} />;

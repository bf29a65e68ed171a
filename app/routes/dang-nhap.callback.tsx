// The e-ID provider sends the browser back here with an authorization code.
import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { RouteErrorMessage } from "~/components/layout/RouteErrorMessage";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { citizenCookie, citizenLoginStateOf, clearCitizenLoginCookie, completeCitizenLogin } from "~/modules/identity/citizen-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const r = await completeCitizenLogin(await getDb(), new URL(request.url), citizenLoginStateOf(request), request.headers.get("user-agent") ?? undefined);
  // the login cookie has done its job, whatever the outcome
  const headers = new Headers({ "Set-Cookie": clearCitizenLoginCookie(), "Cache-Control": "no-store" });
  if (!r.ok) {
    const { t } = await getFixedT(request);
    throw data({ message: t(r.error.i18nKey) }, { status: r.error.status, headers });
  }
  headers.append("Set-Cookie", citizenCookie(r.value.token));
  return redirect(r.value.returnTo, { headers });
}

export const ErrorBoundary = () => <RouteErrorMessage title="citizen.signInFailed" back={{ to: "/dang-nhap", label: "citizen.tryAgain" }} />;

// The e-ID provider sends the browser back here with an authorization code.
import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useRouteError, isRouteErrorResponse } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const message = isRouteErrorResponse(error) ? (error.data as { message?: string })?.message : undefined;
  return (
    <div className="container narrow">
      <h1>{t("citizen.signInFailed")}</h1>
      <div className="alert error" role="alert">{message ?? t("errors.serverBody")}</div>
      <p><Link to="/dang-nhap">{t("citizen.tryAgain")}</Link></p>
    </div>
  );
}

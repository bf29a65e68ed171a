import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * A route's own error boundary for a step of a citizen's journey that failed (sign-in, payment,
 * sign-out): a heading, the translated reason the loader or action threw as `{ message }`, and
 * the way back.
 */
export function RouteErrorMessage({ title, back }: { title: string; back: { to: string; label: string } }) {
  const error = useRouteError();
  const { t } = useTranslation();
  const message = isRouteErrorResponse(error) ? (error.data as { message?: string } | null)?.message : undefined;
  return (
    <div className="container narrow">
      <h1>{t(title)}</h1>
      <div className="alert error" role="alert">{message ?? t("errors.serverBody")}</div>
      <p><Link to={back.to}>{t(back.label)}</Link></p>
    </div>
  );
}

// Citizen sign-out: ends our session, then the provider's (RP-initiated logout). The form carries
// the session's CSRF token: another site cannot sign the citizen out.
import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorMessage } from "~/components/layout/RouteErrorMessage";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { citizenCsrfOk, citizenFromRequest, clearCitizenCookie, endCitizenSession } from "~/modules/identity/citizen-auth.server";

export async function action({ request }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await citizenFromRequest(db, request);
  if (session) {
    const form = await formFields(request);
    if (!citizenCsrfOk(session, form?.csrf)) {
      const { t } = await getFixedT(request);
      throw data({ message: t("filing.errors.csrf") }, { status: 403, headers: { "Cache-Control": "no-store" } });
    }
  }
  const next = await endCitizenSession(db, request);
  return redirect(next, { headers: { "Set-Cookie": clearCitizenCookie(), "Cache-Control": "no-store" } });
}

export const loader = () => redirect("/");

export const ErrorBoundary = () => <RouteErrorMessage title="citizen.signOutFailed" back={{ to: "/ho-so", label: "citizen.myDossiers" }} />;

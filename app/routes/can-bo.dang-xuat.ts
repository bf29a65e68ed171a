// Staff sign-out. The form carries the session's CSRF token: another site cannot sign an official
// out (a POST without the token is refused; with no session there is nothing to protect).
import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { endOfficerSessions } from "~/modules/kiosk/sessions.server";
import { clearSessionCookie, csrfOk, endStaffSession, staffFromRequest } from "~/modules/identity/staff-auth.server";

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await staffFromRequest(db, request);
  if (session && !csrfOk(session, (await formFields(request))?.csrf)) {
    const { t } = await getFixedT(request);
    throw data({ message: t("desk.errors.badCsrf") }, { status: 403, headers: { "Cache-Control": "no-store" } });
  }
  // a commune police officer's open kiosk sessions end with their sign-in: nothing stays on the kiosk
  if (session?.user.role === "police") await endOfficerSessions(db, services.storage, session.user.id);
  await endStaffSession(db, request);
  return redirect("/can-bo/dang-nhap", { headers: { "Set-Cookie": clearSessionCookie(), "Cache-Control": "no-store" } });
}

export const loader = () => redirect("/can-bo/ho-so");

// A letter sent for a dossier (refusal notice, apology letter), for officials of its agency.
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getLocale } from "~/i18next.server";
import { openDossierLetter } from "~/modules/backoffice/desk.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import { pdfResponse } from "~/lib/pdf-response.server";
import { DossierCodeParam, paramOf, UuidParam } from "~/lib/path-params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user } = await requireStaff(db, request);
  const r = await openDossierLetter(db, user, paramOf(params, "code", DossierCodeParam), paramOf(params, "letterId", UuidParam), await getLocale(request), request.headers.get("user-agent") ?? undefined);
  if (!r.ok) throw new Response("Not Found", { status: 404 });
  return pdfResponse(r.value.pdf, r.value.fileName);
}

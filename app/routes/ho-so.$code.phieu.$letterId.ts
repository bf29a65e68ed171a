// A letter about the citizen's own dossier (refusal notice, apology letter) as a PDF.
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getLocale } from "~/i18next.server";
import { pdfResponse } from "~/lib/pdf-response.server";
import { citizenLetterPdf } from "~/modules/letters/letters.server";
import { requireCitizen } from "~/modules/identity/citizen-auth.server";
import { DossierCodeParam, paramOf, UuidParam } from "~/lib/path-params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const letter = await citizenLetterPdf(db, session.citizen.id, paramOf(params, "code", DossierCodeParam), paramOf(params, "letterId", UuidParam), await getLocale(request));
  if (!letter) throw new Response("Not Found", { status: 404 });
  return pdfResponse(letter.pdf, letter.fileName);
}

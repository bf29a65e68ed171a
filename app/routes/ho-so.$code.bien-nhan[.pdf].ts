// The receipt slip PDF of the citizen's own dossier.
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getLocale } from "~/i18next.server";
import { citizenReceiptPdf } from "~/modules/filing/receipt.server";
import { requireCitizen } from "~/modules/identity/citizen-auth.server";
import { DossierCodeParam, paramOf } from "~/lib/path-params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const code = paramOf(params, "code", DossierCodeParam);
  const pdf = await citizenReceiptPdf(db, session.citizen.id, code, await getLocale(request));
  if (!pdf) throw new Response("Not Found", { status: 404 });
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="bien-nhan-${code}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}

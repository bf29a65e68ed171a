// The e-receipt PDF of a fee paid for the citizen's own dossier.
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getLocale } from "~/i18next.server";
import { requireCitizen } from "~/modules/identity/citizen-auth.server";
import { citizenPaymentReceipt } from "~/modules/payments/payments.server";
import { DossierCodeParam, paramOf, PaymentReferenceParam } from "~/lib/path-params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const code = paramOf(params, "code", DossierCodeParam);
  const reference = paramOf(params, "reference", PaymentReferenceParam);
  const pdf = await citizenPaymentReceipt(db, session.citizen.id, { code, reference }, await getLocale(request));
  if (!pdf) throw new Response("Not Found", { status: 404 });
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      // the reference is [A-Z0-9-] (checked above), safe in the header as it is
      "Content-Disposition": `attachment; filename="bien-lai-${reference}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}

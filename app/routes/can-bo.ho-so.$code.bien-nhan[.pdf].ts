// The receipt slip PDF of a dossier of the official's agency (the same slip the citizen downloads).
import { type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getLocale } from "~/i18next.server";
import { agencyDossierForSlip } from "~/modules/backoffice/counter.server";
import { citizenReceiptPdf } from "~/modules/filing/receipt.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import { DossierCodeParam, paramOf } from "~/lib/path-params.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user } = await requireStaff(db, request);
  const found = await agencyDossierForSlip(db, user, paramOf(params, "code", DossierCodeParam, { "Cache-Control": "no-store" }), request.headers.get("user-agent") ?? undefined);
  const pdf = found ? await citizenReceiptPdf(db, found.citizenId, found.code, await getLocale(request)) : null;
  if (!found || !pdf) throw new Response("Not Found", { status: 404, headers: { "Cache-Control": "no-store" } });
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="bien-nhan-${found.code.replace(/[^0-9A-Za-z.-]/g, "")}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}

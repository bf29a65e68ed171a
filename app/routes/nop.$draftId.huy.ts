// Discard a draft (its uploaded files go with it).
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { collectGarbage } from "~/modules/filing/documents.server";
import { discardDraft } from "~/modules/filing/filing.server";
import { citizenCsrfOk, requireCitizen } from "~/modules/identity/citizen-auth.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const form = await request.formData();
  if (!citizenCsrfOk(session, form.get("csrf"))) throw new Response("Forbidden", { status: 403 });
  const files = await discardDraft(db, session.citizen.id, params.draftId ?? "");
  if (files) await collectGarbage(db, files);
  return redirect("/ho-so?da-huy=1");
}

export const loader = ({ params }: { params: { draftId?: string } }) => redirect(`/nop/${params.draftId ?? ""}/xem-lai`);

// Discard a draft (its uploaded files go with it).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { collectGarbage } from "~/modules/filing/documents.server";
import { discardDraft, formFields } from "~/modules/filing/filing.server";
import { citizenCsrfOk, requireCitizen } from "~/modules/identity/citizen-auth.server";
import { paramOf, UuidParam } from "~/lib/path-params.server";

export async function action({ request, params, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const form = await formFields(request);
  if (!form) throw new Response("Bad Request", { status: 400 });
  if (!citizenCsrfOk(session, form.csrf)) throw new Response("Forbidden", { status: 403 });
  const files = await discardDraft(db, session.citizen.id, paramOf(params, "draftId", UuidParam));
  // anybody else's draft (or one already gone) does not exist
  if (!files) throw data({ message: (await getFixedT(request)).t("filing.errors.draftNotFound") }, { status: 404 });
  await collectGarbage(db, services.storage, files);
  return redirect("/ho-so?da-huy=1");
}

export const loader = ({ params }: LoaderFunctionArgs) => redirect(`/nop/${paramOf(params, "draftId", UuidParam)}/xem-lai`);

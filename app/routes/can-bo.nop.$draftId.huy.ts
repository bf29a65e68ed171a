// Discard an unfinished counter draft (its scans go with it): only the officer whose draft it is.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { discardCounterDraft } from "~/modules/backoffice/counter.server";
import { COUNTER_ROLES } from "~/modules/backoffice/permissions";
import { collectGarbage } from "~/modules/filing/documents.server";
import { csrfOk, requireRole } from "~/modules/identity/staff-auth.server";
import { paramOf, UuidParam } from "~/lib/path-params.server";

const noStore = { "Cache-Control": "no-store" };

export async function action({ request, params, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const staff = await requireRole(db, request, COUNTER_ROLES, "counter.discard");
  const device = request.headers.get("user-agent") ?? undefined;
  const { t } = await getFixedT(request);
  const form = await formFields(request);
  if (!form) throw data({ message: t("errors.badRequestTitle") }, { status: 400, headers: noStore });
  if (!csrfOk(staff, form.csrf)) throw data({ message: t("desk.errors.badCsrf") }, { status: 403, headers: noStore });
  const files = await discardCounterDraft(db, staff.user, paramOf(params, "draftId", UuidParam, noStore), device);
  // another officer's draft, a citizen's own, or one already gone: not found
  if (!files) throw data({ message: t("filing.errors.draftNotFound") }, { status: 404, headers: noStore });
  await collectGarbage(db, services.storage, files);
  return redirect("/can-bo/nop?da-huy=1", { headers: noStore });
}

export const loader = ({ params }: LoaderFunctionArgs) => redirect(`/can-bo/nop/${paramOf(params, "draftId", UuidParam, noStore)}/xem-lai`);

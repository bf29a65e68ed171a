// Counter filing, step by step: the same form steps, documents (the scanned papers) and review as
// a citizen's own filing (the filing module and the shared FilingSteps view), for the desk
// officer whose counter draft it is. The review takes the fee in cash and the citizen's signature,
// and submitting files and receives the dossier at once, then offers the receipt slip.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilingSteps } from "~/components/forms/FilingSteps";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { CashReceipt } from "~/modules/backoffice/counter.schema";
import { counterDraft, submitCounterFiling } from "~/modules/backoffice/counter.server";
import { COUNTER_ROLES } from "~/modules/backoffice/permissions";
import { handleDocumentsAction } from "~/modules/filing/documents.server";
import { requireStep, saveStepReply, stepView } from "~/modules/filing/steps.server";
import { csrfOk, requireRole } from "~/modules/identity/staff-auth.server";
import { paramOf, StepParam, UuidParam } from "~/lib/path-params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };

async function context(request: Request, params: { draftId?: string; step?: string }) {
  const db = await getDb();
  const staff = await requireRole(db, request, COUNTER_ROLES, "counter.draft");
  const device = request.headers.get("user-agent") ?? undefined;
  const { t, lng } = await getFixedT(request);
  const found = await counterDraft(db, staff.user, paramOf(params, "draftId", UuidParam, noStore));
  if (!found) throw data({ message: t("filing.errors.draftNotFound") }, { status: 404, headers: noStore });
  const { draft, citizen } = found;
  const stepUrl = (s: string) => `/can-bo/nop/${draft.id}/${s}`;
  const step = paramOf(params, "step", StepParam, noStore);
  const place = await requireStep(db, draft, step, { stepUrl, t, headers: noStore });
  // what the filing module knows as the citizen's session: the citizen at the desk, the officer's CSRF token
  const session = { citizen, csrf: staff.csrf };
  return { db, staff, session, device, t, lng, draft, place, step, stepUrl };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, session, t, lng, draft, place, step } = await context(request, params);
  const view = await stepView(db, { draft, citizenId: session.citizen.id, step, place });
  if (!view.ok) throw data({ message: t(view.error.i18nKey) }, { status: view.error.status, headers: noStore });
  const title = `${place.form.def.title[lng]} — ${t("filing.stepOf", { n: place.index + 1, total: place.steps.length })} | ${t("counter.title")}`;
  return data({ ...view.value, title, lng, csrf: session.csrf, draftId: draft.id, citizenName: session.citizen.fullName }, { headers: noStore });
}

export async function action({ request, params, context: { services } }: ActionFunctionArgs) {
  const { db, staff, session, device, lng, draft, step, stepUrl } = await context(request, params);
  if (step === "tai-lieu") return handleDocumentsAction(db, services.storage, request, session, draft, stepUrl, noStore);
  const form = await formFields(request);
  if (!form) return data({ formError: "errors.badRequestTitle", fieldErrors: {} as Record<string, string> }, { status: 400, headers: noStore });
  if (!csrfOk(staff, form.csrf)) return data({ formError: "filing.errors.csrf", fieldErrors: {} as Record<string, string> }, { status: 403, headers: noStore });
  if (step === "xem-lai") {
    // no PayGov at the counter: the fee is taken in cash with the filing
    if (form.intent !== "submit") return data({ formError: "filing.errors.badStep", fieldErrors: {} as Record<string, string> }, { status: 400, headers: noStore });
    const fieldErrors: Record<string, string> = {};
    if (form.declaration !== "on") fieldErrors.declaration = "counter.errors.signatureRequired";
    const cash = form.cashReceipt === undefined || form.cashReceipt === "" ? null : CashReceipt.safeParse(form.cashReceipt);
    if (cash && !cash.success) fieldErrors.cashReceipt = cash.error.issues[0]?.message ?? "counter.errors.cashReceipt";
    if (Object.keys(fieldErrors).length) return data({ formError: null as string | null, fieldErrors }, { status: 400, headers: noStore });
    const r = await submitCounterFiling(db, staff.user, draft.id, { cashReceipt: cash?.data, lang: lng, device });
    if (!r.ok) {
      const fields = r.error.code === "filing.unpaid" ? { cashReceipt: "counter.errors.cashReceipt" } : {};
      return data({ formError: r.error.i18nKey as string | null, fieldErrors: fields as Record<string, string>, params: r.error.params }, { status: r.error.status, headers: noStore });
    }
    return redirect(`/can-bo/bien-nhan/${encodeURIComponent(r.value.code)}?moi=1`, { headers: noStore });
  }
  return saveStepReply(db, { citizenId: session.citizen.id, draft, step, form, stepUrl, headers: noStore });
}

export default function CounterFilingStep() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container filing">
      <p><Link to="/can-bo/ho-so">← {t("desk.title")}</Link></p>
      <p className="note">{t("counter.filingFor", { name: d.citizenName })}</p>
      <FilingSteps d={d} draftId={d.draftId} stepHref={(s) => `/can-bo/nop/${d.draftId}/${s}`} counter />
      <Form method="post" action={`/can-bo/nop/${d.draftId}/huy`} className="discard">
        <input type="hidden" name="csrf" value={d.csrf} />
        <button type="submit" className="button link">{t("filing.discard")}</button>
      </Form>
    </div>
  );
}

// A draft, one step at a time: the form's own steps, then documents (tai-lieu), then review
// (xem-lai) with payment and submission. Every step works without JavaScript.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilingSteps } from "~/components/forms/FilingSteps";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { handleDocumentsAction } from "~/modules/filing/documents.server";
import { draftFor, formFields } from "~/modules/filing/filing.server";
import { handleReviewAction } from "~/modules/filing/review.server";
import { requireStep, saveStepReply, stepView } from "~/modules/filing/steps.server";
import { citizenCsrfOk, requireCitizen } from "~/modules/identity/citizen-auth.server";
import { paramOf, StepParam, UuidParam } from "~/lib/path-params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

async function context(request: Request, params: { draftId?: string; step?: string }) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const { t, lng } = await getFixedT(request);
  const draft = await draftFor(db, session.citizen.id, paramOf(params, "draftId", UuidParam));
  if (!draft) throw data({ message: t("filing.errors.draftNotFound") }, { status: 404 });
  const step = paramOf(params, "step", StepParam);
  const stepUrl = (s: string) => `/nop/${draft.id}/${s}`;
  const place = await requireStep(db, draft, step, { stepUrl, t });
  return { db, session, t, lng, draft, place, step, stepUrl };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, session, t, lng, draft, place, step } = await context(request, params);
  const view = await stepView(db, { draft, citizenId: session.citizen.id, step, place });
  if (!view.ok) throw data({ message: t(view.error.i18nKey) }, { status: view.error.status });
  const title = `${place.form.def.title[lng]} — ${t("filing.stepOf", { n: place.index + 1, total: place.steps.length })} | ${t("site.name")}`;
  return data({ ...view.value, title, lng, csrf: session.csrf, draftId: draft.id }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params, context: { services } }: ActionFunctionArgs) {
  const { db, session, lng, draft, step, stepUrl } = await context(request, params);
  if (step === "tai-lieu") return handleDocumentsAction(db, services.storage, request, session, draft);
  const form = await formFields(request);
  if (!form) return data({ formError: "errors.badRequestTitle", fieldErrors: {} as Record<string, string> }, { status: 400 });
  if (!citizenCsrfOk(session, form.csrf)) return data({ formError: "filing.errors.csrf", fieldErrors: {} as Record<string, string> }, { status: 403 });
  if (step === "xem-lai") return handleReviewAction(db, services.paygov, request, session, draft, form, lng);
  return saveStepReply(db, { citizenId: session.citizen.id, draft, step, form, stepUrl });
}

export default function FilingStep() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container filing">
      <p><Link to="/ho-so">← {t("filing.myDossiers")}</Link></p>
      <FilingSteps d={d} draftId={d.draftId} stepHref={(s) => `/nop/${d.draftId}/${s}`} />
      <Form method="post" action={`/nop/${d.draftId}/huy`} className="discard">
        <input type="hidden" name="csrf" value={d.csrf} />
        <button type="submit" className="button link">{t("filing.discard")}</button>
      </Form>
    </div>
  );
}

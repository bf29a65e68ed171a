// A draft, one step at a time: the form's own steps, then documents (tai-lieu), then review
// (xem-lai) with payment and submission. Every step works without JavaScript.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FilingSteps } from "~/components/forms/FilingSteps";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { stepIds, type FormValues } from "~/modules/forms/forms.schema";
import { handleDocumentsAction, documentsView } from "~/modules/filing/documents.server";
import {
  communeList, draftFor, formFields, loadForm, lockedFields, reviewDraft, saveStep,
} from "~/modules/filing/filing.server";
import { handleReviewAction } from "~/modules/filing/review.server";
import { citizenCsrfOk, requireCitizen } from "~/modules/identity/citizen-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

async function context(request: Request, params: { draftId?: string; step?: string }) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const { t, lng } = await getFixedT(request);
  const draft = await draftFor(db, session.citizen.id, params.draftId ?? "");
  if (!draft) throw data({ message: t("filing.errors.draftNotFound") }, { status: 404 });
  const form = await loadForm(db, draft.procedureCode, draft.formVersion);
  if (!form) throw data({ message: t("filing.errors.noForm") }, { status: 404 });
  const steps = stepIds(form.def);
  const step = params.step ?? "";
  if (!steps.includes(step)) throw data({ message: t("filing.errors.badStep") }, { status: 404 });
  // a step is reachable once every step before it is saved
  const reached = steps.indexOf(draft.step);
  if (steps.indexOf(step) > reached) throw redirect(`/nop/${draft.id}/${draft.step}`);
  return { db, session, t, lng, draft, form, steps, step };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, session, t, lng, draft, form, steps, step } = await context(request, params);
  const values = draft.data as FormValues;
  const index = steps.indexOf(step);
  const answeredBefore: FormValues = {};
  for (const s of form.def.steps.slice(0, Math.max(0, index))) for (const f of s.fields) if (values[f.name] !== undefined) answeredBefore[f.name] = values[f.name];
  const base = {
    title: `${form.def.title[lng]} — ${t("filing.stepOf", { n: index + 1, total: steps.length })} | ${t("site.name")}`,
    lng, csrf: session.csrf, draftId: draft.id, def: form.def, steps, step, index, procedureCode: draft.procedureCode,
  };
  const headers = { "Cache-Control": "no-store" };
  if (step === "tai-lieu") return data({ ...base, kind: "documents" as const, documents: await documentsView(db, session.citizen.id, draft) }, { headers });
  if (step === "xem-lai") {
    const r = await reviewDraft(db, draft);
    if (!r.ok) throw data({ message: t(r.error.i18nKey) }, { status: r.error.status });
    const { values: v, checked, files, slots, missing, fee, paid } = r.value;
    return data({
      ...base, kind: "review" as const, communes: await communeList(db),
      review: { values: v, incompleteStep: checked.ok ? null : checked.step, files: files.map((f) => ({ id: f.id, slot: f.slot, fileName: f.fileName, size: f.size })), slots, missing: missing.map((m) => m.slot), fee, paid },
    }, { headers });
  }
  return data({ ...base, kind: "fields" as const, values, answeredBefore, communes: await communeList(db), locked: lockedFields(values) }, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, session, lng, draft, step } = await context(request, params);
  if (step === "tai-lieu") return handleDocumentsAction(db, request, session, draft);
  const form = await formFields(request);
  if (!form) return data({ formError: "errors.badRequestTitle", fieldErrors: {} as Record<string, string> }, { status: 400 });
  if (!citizenCsrfOk(session, form.csrf)) return data({ formError: "filing.errors.csrf", fieldErrors: {} as Record<string, string> }, { status: 403 });
  if (step === "xem-lai") return handleReviewAction(db, request, session, draft, form, lng);
  const r = await saveStep(db, { citizenId: session.citizen.id, draftId: draft.id, stepId: step, raw: form });
  if (r.ok) return redirect(`/nop/${draft.id}/${r.value.next}`);
  if (r.error) return data({ formError: r.error.i18nKey, fieldErrors: {} as Record<string, string> }, { status: r.error.status });
  // what was typed comes back with the errors (a form posted without JavaScript keeps it)
  const values: FormValues = {};
  for (const [k, v] of Object.entries(form)) if (k !== "csrf" && typeof v === "string") values[k] = v;
  return data({ formError: null, fieldErrors: r.fieldErrors, values }, { status: 400 });
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

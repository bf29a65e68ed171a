// Filing on the citizen's behalf at the kiosk: the same form steps, documents, fee and review as a
// citizen's own filing (the filing module and its components), with the draft taken from the
// assisted session — never from the URL — and only after the citizen's consent.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FilingSteps } from "~/components/forms/FilingSteps";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { documentsView, handleDocumentsAction } from "~/modules/filing/documents.server";
import { communeList, formFields, loadForm, lockedFields, reviewDraft, saveStep, submitDraft } from "~/modules/filing/filing.server";
import { statusUrlFor } from "~/modules/filing/receipt.server";
import { handleReviewAction } from "~/modules/filing/review.server";
import { stepIds, type FormValues } from "~/modules/forms/forms.schema";
import { helperOf, kioskCsrfOk, recordSubmitted, requireKiosk, sessionDraft } from "~/modules/kiosk/kiosk.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };
const stepUrl = (step: string) => `/quay/nop/${step}`;

async function context(request: Request, params: { step?: string }) {
  const db = await getDb();
  const ctx = await requireKiosk(db, request, "consented");
  const { t, lng } = await getFixedT(request);
  const draft = await sessionDraft(db, ctx);
  if (!draft) throw redirect("/quay", { headers: noStore });
  const form = await loadForm(db, draft.procedureCode, draft.formVersion);
  if (!form) throw data({ message: t("filing.errors.noForm") }, { status: 404, headers: noStore });
  const steps = stepIds(form.def);
  const step = params.step ?? "";
  if (!steps.includes(step)) throw data({ message: t("filing.errors.badStep") }, { status: 404, headers: noStore });
  if (steps.indexOf(step) > steps.indexOf(draft.step)) throw redirect(stepUrl(draft.step), { headers: noStore });
  // what the filing module knows as the citizen's session: the consenting citizen, the kiosk's CSRF token
  const session = { citizen: ctx.citizen!, csrf: ctx.csrf };
  return { db, ctx, session, t, lng, draft, form, steps, step };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { db, session, t, lng, draft, form, steps, step } = await context(request, params);
  const values = draft.data as FormValues;
  const index = steps.indexOf(step);
  const answeredBefore: FormValues = {};
  for (const s of form.def.steps.slice(0, Math.max(0, index))) for (const f of s.fields) if (values[f.name] !== undefined) answeredBefore[f.name] = values[f.name];
  const base = {
    title: `${form.def.title[lng]} — ${t("filing.stepOf", { n: index + 1, total: steps.length })} | ${t("kiosk.title")}`,
    lng, csrf: session.csrf, def: form.def, steps, step, index, procedureCode: draft.procedureCode,
  };
  if (step === "tai-lieu") return data({ ...base, kind: "documents" as const, documents: await documentsView(db, session.citizen.id, draft) }, { headers: noStore });
  if (step === "xem-lai") {
    const r = await reviewDraft(db, draft);
    if (!r.ok) throw data({ message: t(r.error.i18nKey) }, { status: r.error.status, headers: noStore });
    const { values: v, checked, files, slots, missing, fee, paid } = r.value;
    return data({
      ...base, kind: "review" as const, communes: await communeList(db),
      review: { values: v, incompleteStep: checked.ok ? null : checked.step, files: files.map((f) => ({ id: f.id, slot: f.slot, fileName: f.fileName, size: f.size })), slots, missing: missing.map((m) => m.slot), fee, paid },
    }, { headers: noStore });
  }
  return data({ ...base, kind: "fields" as const, values, answeredBefore, communes: await communeList(db), locked: lockedFields(values) }, { headers: noStore });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { db, ctx, session, lng, draft, step } = await context(request, params);
  if (step === "tai-lieu") return handleDocumentsAction(db, request, session, draft, stepUrl);
  const form = await formFields(request);
  if (!form) return data({ formError: "errors.badRequestTitle", fieldErrors: {} as Record<string, string> }, { status: 400 });
  if (!kioskCsrfOk(ctx, form.csrf)) return data({ formError: "filing.errors.csrf", fieldErrors: {} as Record<string, string> }, { status: 403 });
  if (step === "xem-lai") {
    if (form.intent !== "submit") return handleReviewAction(db, request, session, draft, form, lng, stepUrl);
    if (form.declaration !== "on") return data({ formError: null, fieldErrors: { declaration: "forms.errors.mustAccept" } }, { status: 400 });
    const r = await submitDraft(db, {
      citizen: session.citizen, draftId: draft.id, draft, device: `kiosk:${ctx.device.id}`, lang: lng, statusUrl: statusUrlFor, helper: helperOf(ctx),
    });
    if (!r.ok) return data({ formError: r.error.i18nKey, fieldErrors: {}, params: r.error.params }, { status: r.error.status });
    await recordSubmitted(db, ctx, r.value.dossierId);
    return redirect("/quay/bien-nhan", { headers: noStore });
  }
  const r = await saveStep(db, { citizenId: session.citizen.id, draftId: draft.id, stepId: step, raw: form });
  if (r.ok) return redirect(stepUrl(r.value.next), { headers: noStore });
  if (r.error) return data({ formError: r.error.i18nKey, fieldErrors: {} as Record<string, string> }, { status: r.error.status });
  const values: FormValues = {};
  for (const [k, v] of Object.entries(form)) if (k !== "csrf" && typeof v === "string") values[k] = v;
  return data({ formError: null, fieldErrors: r.fieldErrors, values }, { status: 400 });
}

export default function KioskFilingStep() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="kiosk-panel filing">
      <FilingSteps d={d} draftId="" stepHref={stepUrl} />
    </div>
  );
}

// Filing on the citizen's behalf at the kiosk: the same form steps, documents, fee and review as a
// citizen's own filing (the filing module and its components), with the draft taken from the
// assisted session — never from the URL — and only after the citizen's consent.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FilingSteps } from "~/components/forms/FilingSteps";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { handleDocumentsAction } from "~/modules/filing/documents.server";
import type { FileStorage } from "~/modules/storage/storage.server";
import { formFields, submitDraft } from "~/modules/filing/filing.server";
import { statusUrlFor } from "~/modules/filing/receipt.server";
import { handleReviewAction } from "~/modules/filing/review.server";
import { requireStep, saveStepReply, stepView } from "~/modules/filing/steps.server";
import { helperOf, recordSubmitted, sessionDraft } from "~/modules/kiosk/assisted-filing.server";
import { kioskCsrfOk, requireKiosk } from "~/modules/kiosk/guard.server";
import { paramOf, StepParam } from "~/lib/path-params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };
const stepUrl = (step: string) => `/quay/nop/${step}`;

async function context(request: Request, params: { step?: string }, storage: FileStorage) {
  const db = await getDb();
  const ctx = await requireKiosk(db, storage, request, "consented");
  const { t, lng } = await getFixedT(request);
  const draft = await sessionDraft(db, ctx);
  if (!draft) throw redirect("/quay", { headers: noStore });
  const step = paramOf(params, "step", StepParam, noStore);
  const place = await requireStep(db, draft, step, { stepUrl, t, headers: noStore });
  // what the filing module knows as the citizen's session: the consenting citizen, the kiosk's CSRF token
  const session = { citizen: ctx.citizen!, csrf: ctx.csrf };
  return { db, ctx, session, t, lng, draft, place, step };
}

export async function loader({ request, params, context: { services } }: LoaderFunctionArgs) {
  const { db, session, t, lng, draft, place, step } = await context(request, params, services.storage);
  const view = await stepView(db, { draft, citizenId: session.citizen.id, step, place });
  if (!view.ok) throw data({ message: t(view.error.i18nKey) }, { status: view.error.status, headers: noStore });
  const title = `${place.form.def.title[lng]} — ${t("filing.stepOf", { n: place.index + 1, total: place.steps.length })} | ${t("kiosk.title")}`;
  return data({ ...view.value, title, lng, csrf: session.csrf }, { headers: noStore });
}

export async function action({ request, params, context: { services } }: ActionFunctionArgs) {
  const { db, ctx, session, lng, draft, step } = await context(request, params, services.storage);
  if (step === "tai-lieu") return handleDocumentsAction(db, services.storage, request, session, draft, stepUrl, noStore);
  const form = await formFields(request);
  if (!form) return data({ formError: "errors.badRequestTitle", fieldErrors: {} as Record<string, string> }, { status: 400 });
  if (!kioskCsrfOk(ctx, form.csrf)) return data({ formError: "filing.errors.csrf", fieldErrors: {} as Record<string, string> }, { status: 403 });
  if (step === "xem-lai") {
    if (form.intent !== "submit") return handleReviewAction(db, services.paygov, request, session, draft, form, lng, stepUrl);
    if (form.declaration !== "on") return data({ formError: null, fieldErrors: { declaration: "forms.errors.mustAccept" } }, { status: 400 });
    const r = await submitDraft(db, {
      citizen: session.citizen, draftId: draft.id, draft, device: `kiosk:${ctx.device.id}`, lang: lng, statusUrl: statusUrlFor, helper: helperOf(ctx),
    });
    if (!r.ok) return data({ formError: r.error.i18nKey, fieldErrors: {}, params: r.error.params }, { status: r.error.status });
    await recordSubmitted(db, ctx, r.value.dossierId);
    return redirect("/quay/bien-nhan", { headers: noStore });
  }
  return saveStepReply(db, { citizenId: session.citizen.id, draft, step, form, stepUrl, headers: noStore });
}

export default function KioskFilingStep() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="kiosk-panel filing">
      <FilingSteps d={d} draftId="" stepHref={stepUrl} />
    </div>
  );
}

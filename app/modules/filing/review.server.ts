// The review step's two actions: pay the fee (through PayGov) and submit.
import { data, redirect } from "@remix-run/node";
import { publicUrl } from "~/config.server";
import type { Lng } from "~/i18n";
import type { CitizenSession } from "~/modules/identity/citizen-auth.server";
import { startPayment } from "~/modules/payments/payments.server";
import type { AppDb } from "~db/client.server";
import type { PaymentGateway } from "~integrations/paygov/port";
import { reviewDraft, submitDraft, type Draft } from "./filing.server";
import { statusUrlFor } from "./receipt.server";
import type { StepUrl } from "./documents.server";

export async function handleReviewAction(
  db: AppDb, paygov: PaymentGateway, request: Request, session: CitizenSession, draft: Draft, form: Record<string, FormDataEntryValue>, lng: Lng,
  stepUrl: StepUrl = (step) => `/nop/${draft.id}/${step}`,
) {
  const device = request.headers.get("user-agent") ?? undefined;
  if (form.intent === "pay") {
    const r = await reviewDraft(db, draft);
    if (!r.ok) return data({ formError: r.error.i18nKey, fieldErrors: {} }, { status: r.error.status });
    if (r.value.paid || r.value.fee <= 0) return redirect(stepUrl("xem-lai"));
    if (!r.value.checked.ok || r.value.missing.length) return data({ formError: "filing.errors.completeFirst", fieldErrors: {} }, { status: 400 });
    const p = await startPayment(db, paygov, {
      citizenId: session.citizen.id, draftId: draft.id, procedureCode: draft.procedureCode, procedureName: r.value.form.def.title.vi,
      amountVnd: r.value.fee, lang: lng, baseUrl: publicUrl(),
    });
    if (!p.ok) return data({ formError: p.error.i18nKey, fieldErrors: {} }, { status: p.error.status });
    return redirect(p.value.payUrl);
  }
  if (form.intent === "submit") {
    if (form.declaration !== "on") return data({ formError: null, fieldErrors: { declaration: "forms.errors.mustAccept" } }, { status: 400 });
    const r = await submitDraft(db, { citizen: session.citizen, draftId: draft.id, draft, device, lang: lng, statusUrl: statusUrlFor });
    if (!r.ok) return data({ formError: r.error.i18nKey, fieldErrors: {}, params: r.error.params }, { status: r.error.status });
    return redirect(`/ho-so/${encodeURIComponent(r.value.code)}?moi=1`);
  }
  return data({ formError: "filing.errors.badStep", fieldErrors: {} }, { status: 400 });
}

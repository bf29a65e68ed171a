// The citizen's browser back from PayGov: the result is verified exactly like the callback, then
// the citizen returns to the review page with a message.
import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { RouteErrorMessage } from "~/components/layout/RouteErrorMessage";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { citizenFromRequest } from "~/modules/identity/citizen-auth.server";
import { kioskOwnsDraft } from "~/modules/kiosk/assisted-filing.server";
import { applyPaymentResult } from "~/modules/payments/payments.server";

export async function loader({ request, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const fields = Object.fromEntries(new URL(request.url).searchParams);
  const r = await applyPaymentResult(db, services.paygov, fields, "return");
  if (!r.ok) {
    const { t } = await getFixedT(request);
    throw data({ message: t(r.error.i18nKey) }, { status: r.error.status });
  }
  // back to the draft only for the citizen who pays (a replayed link names nobody else's draft)
  const session = await citizenFromRequest(db, request);
  const draftId = session && session.citizen.id === r.value.payment.citizenId ? r.value.payment.draftId : null;
  const outcome = r.value.outcome === "cancelled" ? "huy" : "ok";
  // or back to the kiosk that is filing this citizen's draft (its URLs carry no draft id)
  if (!draftId && (await kioskOwnsDraft(db, services.storage, request, r.value.payment))) {
    return redirect(`/quay/nop/xem-lai?thanh-toan=${outcome}`, { headers: { "Cache-Control": "no-store" } });
  }
  return redirect(draftId ? `/nop/${draftId}/xem-lai?thanh-toan=${outcome}` : "/ho-so", { headers: { "Cache-Control": "no-store" } });
}

export const ErrorBoundary = () => <RouteErrorMessage title="payment.failedTitle" back={{ to: "/ho-so", label: "filing.myDossiers" }} />;

// The receipt slip of the dossier filed in this session, printable on A4 or an 80 mm receipt
// printer (print stylesheet in receipt-slip.css). Personal data shown only while the session lives.
import { data, redirect, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { ReceiptSlip } from "~/components/receipts/ReceiptSlip";
import { receiptSlip } from "~/modules/filing/receipt.server";
import { sessionDossier } from "~/modules/kiosk/assisted-filing.server";
import { requireKiosk } from "~/modules/kiosk/guard.server";
import receiptStyles from "~/styles/receipt-slip.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: receiptStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };

export async function loader({ request, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "consented");
  const { t, lng } = await getFixedT(request);
  const filed = await sessionDossier(db, ctx);
  if (!filed) throw redirect("/quay", { headers: noStore });
  const slip = await receiptSlip(db, ctx.citizen!.id, filed.code, lng, { paper: new URL(request.url).searchParams.get("kho") });
  if (!slip) throw redirect("/quay", { headers: noStore });
  return data({ title: `${t("kiosk.receiptTitle")} | ${t("kiosk.title")}`, slip, helper: `${ctx.officer.fullName} — ${ctx.device.label}` }, { headers: noStore });
}

export default function KioskReceipt() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="kiosk-panel">
      <ReceiptSlip d={d.slip} helper={d.helper} intro={t("kiosk.receiptIntro")} />
      <p className="no-print"><Link className="button" to="/quay">{t("kiosk.newFiling")}</Link></p>
    </div>
  );
}

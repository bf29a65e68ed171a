// The receipt slip of a dossier of the desk's agency — offered at once after a counter filing —
// printable on A4 or an 80 mm receipt printer, with the same slip as a PDF to download.
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ReceiptSlip } from "~/components/receipts/ReceiptSlip";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { agencyDossierForSlip } from "~/modules/backoffice/counter.server";
import { receiptSlip } from "~/modules/filing/receipt.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import receiptStyles from "~/styles/receipt-slip.css";
import { DossierCodeParam, paramOf } from "~/lib/path-params.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: receiptStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user } = await requireStaff(db, request);
  const code = paramOf(params, "code", DossierCodeParam, noStore);
  const { t, lng } = await getFixedT(request);
  const found = await agencyDossierForSlip(db, user, code, request.headers.get("user-agent") ?? undefined);
  const slip = found ? await receiptSlip(db, found.citizenId, found.code, lng, { paper: new URL(request.url).searchParams.get("kho") }) : null;
  if (!found || !slip) throw data({ message: t("desk.errors.notFound") }, { status: 404, headers: noStore });
  return data({
    title: `${t("kiosk.receiptTitle")} ${slip.code} | ${t("site.name")}`, slip, helper: found.helper ?? user.fullName,
    filed: new URL(request.url).searchParams.has("moi"),
  }, { headers: noStore });
}

export default function CounterReceipt() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <p className="no-print"><Link to="/can-bo/ho-so">← {t("desk.title")}</Link></p>
      {d.filed ? <div className="alert success no-print" role="status">{t("counter.filed", { code: d.slip.code })}</div> : null}
      <ReceiptSlip d={d.slip} helper={d.helper} intro={t("counter.receiptIntro")} pdfHref={`/can-bo/ho-so/${encodeURIComponent(d.slip.code)}/bien-nhan.pdf`} />
      <p className="no-print">
        <Link className="button" to="/can-bo/nop">{t("counter.next")}</Link>{" "}
        <Link className="button" to={`/can-bo/ho-so/${encodeURIComponent(d.slip.code)}`}>{t("counter.openDossier")}</Link>
      </p>
    </div>
  );
}

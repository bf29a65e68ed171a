// The receipt slip of the dossier filed in this session, printable on A4 or an 80 mm receipt
// printer (print stylesheet in kiosk.css). Personal data shown only while the session lives.
import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formatVnd } from "~/lib/format";
import { citizenDossier } from "~/modules/dossiers/citizen-view.server";
import { statusUrlFor } from "~/modules/filing/receipt.server";
import { requireKiosk, sessionDossier } from "~/modules/kiosk/kiosk.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, request, "consented");
  const { t, lng } = await getFixedT(request);
  const filed = await sessionDossier(db, ctx);
  if (!filed) throw redirect("/quay", { headers: noStore });
  const view = await citizenDossier(db, ctx.citizen!.id, filed.code);
  if (!view) throw redirect("/quay", { headers: noStore });
  const d = view.dossier;
  const statusUrl = statusUrlFor(d.code);
  const fmt = new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  const day = new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  const due = d.dueAt ?? view.provisionalDueAt;
  const paper = new URL(request.url).searchParams.get("kho") === "80" ? "80" : "a4";
  return data({
    title: `${t("kiosk.receiptTitle")} | ${t("kiosk.title")}`, lng, paper,
    code: d.code, procedure: lng === "en" ? view.procedureNameEn ?? d.procedureName : d.procedureName, procedureCode: d.procedureCode,
    agency: (lng === "en" ? view.agency?.nameEn : view.agency?.nameVi) ?? d.agencyCode,
    applicant: d.applicantName, idNumber: d.applicantIdNumber ?? "", helper: `${ctx.officer.fullName} — ${ctx.device.label}`,
    submittedAt: fmt.format(d.submittedAt), due: due ? day.format(due) : "—",
    fee: d.feeVnd ? formatVnd(d.feeVnd, lng) : t("filing.free"), paid: view.payments.some((p) => p.status === "paid"),
    files: view.files.map((f) => f.fileName), statusUrl, qr: await QRCode.toDataURL(statusUrl, { margin: 1, width: 160 }),
  }, { headers: noStore });
}

export default function KioskReceipt() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="kiosk-panel">
      <div className="no-print kiosk-print-bar">
        <p>{t("kiosk.receiptIntro")}</p>
        <p>
          <span id="paper-label">{t("kiosk.paper")}: </span>
          <Link className="button" aria-describedby="paper-label" aria-current={d.paper === "a4" ? "true" : undefined} to="?kho=a4" replace>{t("kiosk.paperA4")}</Link>{" "}
          <Link className="button" aria-describedby="paper-label" aria-current={d.paper === "80" ? "true" : undefined} to="?kho=80" replace>{t("kiosk.paper80")}</Link>
        </p>
        <p><button type="button" className="button primary kiosk-big" onClick={() => window.print()}>{t("kiosk.print")}</button></p>
      </div>
      <article className={`receipt paper-${d.paper}`} data-testid="receipt">
        <h1>{t("kiosk.receiptTitle")}</h1>
        <p className="receipt-agency">{d.agency}</p>
        <dl>
          <dt>{t("kiosk.code_label")}</dt><dd data-testid="receipt-code">{d.code}</dd>
          <dt>{t("kiosk.procedure")}</dt><dd>{d.procedure} ({d.procedureCode})</dd>
          <dt>{t("kiosk.applicant")}</dt><dd>{d.applicant}{d.idNumber ? ` — ${d.idNumber}` : ""}</dd>
          <dt>{t("kiosk.channel")}</dt><dd>{t("kiosk.channelAssisted")}</dd>
          <dt>{t("kiosk.helper")}</dt><dd>{d.helper}</dd>
          <dt>{t("kiosk.submittedAt")}</dt><dd>{d.submittedAt}</dd>
          <dt>{t("kiosk.appointment")}</dt><dd>{d.due}</dd>
          <dt>{t("kiosk.fee")}</dt><dd>{d.fee}{d.paid ? ` (${t("payment.paid")})` : ""}</dd>
        </dl>
        {d.files.length ? <ul className="receipt-files">{d.files.map((f, i) => <li key={i}>{f}</li>)}</ul> : null}
        <img className="receipt-qr" src={d.qr} alt={t("kiosk.lookupHint", { url: d.statusUrl })} width={160} height={160} />
        <p className="receipt-url">{t("kiosk.lookupHint", { url: d.statusUrl })}</p>
      </article>
      <p className="no-print"><Link className="button" to="/quay">{t("kiosk.newFiling")}</Link></p>
    </div>
  );
}

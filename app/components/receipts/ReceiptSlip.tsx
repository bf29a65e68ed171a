// The printable receipt slip shown at once after filing on a citizen's behalf — at a kiosk or at
// the desk's counter — with the paper choice (A4, 80 mm receipt printer) and the print button.
// Print styles: ~/styles/receipt-slip.css (the route links it).
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { ReceiptSlipData } from "~/modules/filing/receipt.server";

export function ReceiptSlip({ d, helper, intro, pdfHref }: { d: ReceiptSlipData; helper: string; intro: string; pdfHref?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <div className="no-print kiosk-print-bar">
        <p>{intro}</p>
        <p>
          <span id="paper-label">{t("kiosk.paper")}: </span>
          <Link className="button" aria-describedby="paper-label" aria-current={d.paper === "a4" ? "true" : undefined} to="?kho=a4" replace>{t("kiosk.paperA4")}</Link>{" "}
          <Link className="button" aria-describedby="paper-label" aria-current={d.paper === "80" ? "true" : undefined} to="?kho=80" replace>{t("kiosk.paper80")}</Link>
        </p>
        <p>
          <button type="button" className="button primary kiosk-big" onClick={() => window.print()}>{t("kiosk.print")}</button>
          {pdfHref ? <>{" "}<a className="button" href={pdfHref} download>{t("counter.downloadPdf")}</a></> : null}
        </p>
      </div>
      <article className={`receipt paper-${d.paper}`} data-testid="receipt">
        <h1>{t("kiosk.receiptTitle")}</h1>
        <p className="receipt-agency">{d.agency}</p>
        <dl>
          <dt>{t("kiosk.code_label")}</dt><dd data-testid="receipt-code">{d.code}</dd>
          <dt>{t("kiosk.procedure")}</dt><dd>{d.procedure} ({d.procedureCode})</dd>
          <dt>{t("kiosk.applicant")}</dt><dd>{d.applicant}{d.idNumber ? ` — ${d.idNumber}` : ""}</dd>
          <dt>{t("kiosk.channel")}</dt><dd>{d.channel === 1 ? t("counter.channel") : t("kiosk.channelAssisted")}</dd>
          <dt>{d.channel === 1 ? t("counter.receivedBy") : t("kiosk.helper")}</dt><dd>{helper}</dd>
          <dt>{t("kiosk.submittedAt")}</dt><dd>{d.submittedAt}</dd>
          <dt>{d.received ? t("counter.appointment") : t("kiosk.appointment")}</dt><dd>{d.due}</dd>
          <dt>{t("kiosk.fee")}</dt><dd>{d.fee ?? t("filing.free")}{d.fee && d.paid ? ` (${t("payment.paid")})` : ""}</dd>
        </dl>
        {d.files.length ? <ul className="receipt-files">{d.files.map((f, i) => <li key={i}>{f}</li>)}</ul> : null}
        <img className="receipt-qr" src={d.qr} alt={t("kiosk.lookupHint", { url: d.statusUrl })} width={160} height={160} />
        <p className="receipt-url">{t("kiosk.lookupHint", { url: d.statusUrl })}</p>
      </article>
    </>
  );
}

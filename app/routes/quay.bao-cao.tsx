// Project 06 figures for commune police: assisted dossiers today and this month, by procedure, by
// kiosk and by officer — the officer's own, or their commune police's. Never another commune's.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { requireKiosk } from "~/modules/kiosk/guard.server";
import { assistedReport, type ReportScope } from "~/modules/kiosk/reports.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });

const scopeOf = (request: Request): ReportScope => (new URL(request.url).searchParams.get("pham-vi") === "cong-an-xa" ? "commune" : "mine");

export async function loader({ request, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "officer");
  const { t } = await getFixedT(request);
  const scope = scopeOf(request);
  const report = await assistedReport(db, ctx.officer, scope);
  return data({ title: `${t("kiosk.reportTitle")} | ${t("kiosk.title")}`, scope, report }, { headers: { "Cache-Control": "no-store" } });
}

type Line = { label: string; today: number; month: number };

function Table({ id, title, lines }: { id: string; title: string; lines: Line[] }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lines.length ? (
        <div className="table-wrap">
          <table data-testid={id}>
            <thead><tr><th scope="col">{title}</th><th scope="col">{t("kiosk.reportToday")}</th><th scope="col">{t("kiosk.reportMonth")}</th></tr></thead>
            <tbody>{lines.map((l) => <tr key={l.label}><th scope="row">{l.label}</th><td>{l.today}</td><td>{l.month}</td></tr>)}</tbody>
          </table>
        </div>
      ) : <p className="empty">{t("kiosk.reportEmpty")}</p>}
    </section>
  );
}

export default function KioskReport() {
  const { scope, report } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const param = scope === "commune" ? "cong-an-xa" : "cua-toi";
  return (
    <div className="kiosk-panel">
      <p><Link className="button" to="/quay">{t("kiosk.backToKiosk")}</Link></p>
      <h1>{t("kiosk.reportTitle")}</h1>
      <nav className="kiosk-row" aria-label={t("kiosk.reportTitle")}>
        <Link className="button" aria-current={scope === "mine" ? "page" : undefined} to="?pham-vi=cua-toi">{t("kiosk.reportMine")}</Link>
        <Link className="button" aria-current={scope === "commune" ? "page" : undefined} to="?pham-vi=cong-an-xa">{t("kiosk.reportCommune")}</Link>
        <a className="button" href={`/quay/bao-cao-csv?pham-vi=${param}`} download>{t("kiosk.reportCsv")}</a>
      </nav>
      <p data-testid="report-total">{t("kiosk.total")}: {t("kiosk.reportToday")} {report.total.today} · {t("kiosk.reportMonth")} {report.total.month}</p>
      <Table id="by-procedure" title={t("kiosk.reportByProcedure")} lines={report.byProcedure} />
      <Table id="by-kiosk" title={t("kiosk.reportByKiosk")} lines={report.byKiosk} />
      <Table id="by-officer" title={t("kiosk.reportByOfficer")} lines={report.byOfficer} />
    </div>
  );
}

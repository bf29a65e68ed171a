// Leaders and administrators: Decision 766 indicators per agency and month, with CSV and XLSX export.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { requireRole } from "~/modules/identity/staff-auth.server";
import { IndicatorChart } from "~/components/reports/IndicatorChart";
import { indicatorsByAgencyMonth, indicatorScope, REPORT_ROLES, totalsByMonth } from "~/modules/reports/indicators.server";
import { defaultRange, parseReportRange } from "~/modules/reports/reports.schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user } = await requireRole(db, request, REPORT_ROLES, "reports.view");
  const scope = indicatorScope(user);
  const { t } = await getFixedT(request);
  const parsed = parseReportRange(new URL(request.url).searchParams);
  const range = parsed.success ? parsed.data : defaultRange();
  const rows = await indicatorsByAgencyMonth(db, { ...range, agencyCode: scope.agencyCode });
  return data({ rows, months: totalsByMonth(rows), range, invalid: !parsed.success, title: `${t("reports.title")} | ${t("site.name")}` }, { status: parsed.success ? 200 : 400, headers: { "Cache-Control": "no-store" } });
}

export default function Reports() {
  const { rows, months, range, invalid } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <h1>{t("reports.title")}</h1>
      {invalid ? <div className="alert error" role="alert">{t("reports.badRange")}</div> : null}
      <Form method="get" className="search-panel">
        <div className="filter-grid">
          <div><label htmlFor="from">{t("reports.from")}</label><input id="from" name="from" type="date" defaultValue={range.from} /></div>
          <div><label htmlFor="to">{t("reports.to")}</label><input id="to" name="to" type="date" defaultValue={range.to} /></div>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button primary">{t("reports.show")}</button>
          <a className="button" href={`/can-bo/bao-cao-csv?from=${range.from}&to=${range.to}`} download>{t("reports.csv")}</a>
          <a className="button" href={`/can-bo/bao-cao-xlsx?from=${range.from}&to=${range.to}`} download>{t("reports.xlsx")}</a>
        </div>
      </Form>
      {rows.length === 0 ? <p className="empty">{t("reports.empty")}</p> : <IndicatorChart months={months} />}
      {rows.length === 0 ? null : (
        <div className="table-wrap">
          <table data-testid="indicators">
            <thead><tr>
              <th scope="col">{t("reports.agency")}</th><th scope="col">{t("reports.month")}</th><th scope="col">{t("reports.received")}</th>
              <th scope="col">{t("reports.finished")}</th><th scope="col">{t("reports.onTime")}</th><th scope="col">{t("reports.online")}</th>
              <th scope="col">{t("reports.digitised")}</th><th scope="col">{t("reports.satisfaction")}</th>
            </tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.agencyCode}-${r.month}`}>
                  <td lang="vi">{r.agencyName}</td><td>{r.month}</td><td className="num">{r.received}</td><td className="num">{r.finished}</td>
                  <td className="num">{r.onTimeRate ?? "—"}</td><td className="num">{r.onlineRate ?? "—"}</td>
                  <td className="num">{r.digitisationRate ?? "—"}</td><td className="num">{r.satisfaction ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

// The indicators of /can-bo/bao-cao as an XLSX workbook (headings in the reader's language).
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { xlsxResponse } from "~/lib/xlsx.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import { indicatorsByAgencyMonth, indicatorScope, toXlsx, XLSX_COLUMNS } from "~/modules/reports/indicators.server";
import { parseReportRange } from "~/modules/reports/reports.schema";

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user } = await requireStaff(db, request);
  const scope = indicatorScope(user);
  if (!scope.allowed) throw data({ message: "forbidden" }, { status: 403 });
  const parsed = parseReportRange(new URL(request.url).searchParams);
  if (!parsed.success) return new Response("invalid period", { status: 400 });
  const { t } = await getFixedT(request);
  const rows = await indicatorsByAgencyMonth(db, { ...parsed.data, agencyCode: scope.agencyCode });
  const headings = Object.fromEntries(XLSX_COLUMNS.map((c) => [c, t(`reports.columns.${c}`)])) as Record<(typeof XLSX_COLUMNS)[number], string>;
  return xlsxResponse(toXlsx(rows, headings, t("reports.sheet")), `chi-so-766-${parsed.data.from}-${parsed.data.to}.xlsx`);
}

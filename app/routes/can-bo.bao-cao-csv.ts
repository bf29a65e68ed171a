// The indicators of /can-bo/bao-cao as a CSV download.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import { indicatorsByAgencyMonth, indicatorScope, toCsv } from "~/modules/reports/indicators.server";
import { parseReportRange } from "~/modules/reports/reports.schema";

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user } = await requireStaff(db, request);
  const scope = indicatorScope(user);
  if (!scope.allowed) throw data({ message: "forbidden" }, { status: 403 });
  const parsed = parseReportRange(new URL(request.url).searchParams);
  if (!parsed.success) return new Response("invalid period", { status: 400 });
  const rows = await indicatorsByAgencyMonth(db, { ...parsed.data, agencyCode: scope.agencyCode });
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="chi-so-766-${parsed.data.from}-${parsed.data.to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

// The indicators of /can-bo/bao-cao as a CSV download.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireStaff } from "~/modules/identity/staff-auth.server";
import { indicatorsByAgencyMonth, toCsv } from "~/modules/reports/indicators.server";
import { defaultRange, ReportQuery } from "~/modules/reports/reports.schema";

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user } = await requireStaff(db, request);
  if (user.role !== "leader" && user.role !== "admin") throw data({ message: "forbidden" }, { status: 403 });
  const parsed = ReportQuery.safeParse({ ...defaultRange(), ...Object.fromEntries([...new URL(request.url).searchParams].filter(([k]) => k === "from" || k === "to")) });
  if (!parsed.success) return new Response("invalid period", { status: 400 });
  const rows = await indicatorsByAgencyMonth(db, { ...parsed.data, agencyCode: user.role === "admin" ? undefined : user.agencyCode });
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="chi-so-766-${parsed.data.from}-${parsed.data.to}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

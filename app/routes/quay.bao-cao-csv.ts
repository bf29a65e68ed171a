// The kiosk report as CSV (UTF-8 with BOM, formula-safe), same scope rule as the page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { requireKiosk } from "~/modules/kiosk/guard.server";
import { assistedReport, reportCsv } from "~/modules/kiosk/reports.server";

export async function loader({ request, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "officer");
  const scope = new URL(request.url).searchParams.get("pham-vi") === "cong-an-xa" ? "commune" : "mine";
  const report = await assistedReport(db, ctx.officer, scope);
  return new Response(reportCsv(report), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
      "Content-Disposition": `attachment; filename="ho-tro-${scope === "commune" ? "cong-an-xa" : "ca-nhan"}-${report.month}.csv"`,
    },
  });
}

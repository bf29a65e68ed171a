// The downloads of /can-bo/bao-cao (CSV and XLSX) share one prologue: a signed-in leader or
// administrator, the agencies they may see, a valid period. Anything else ends the request here:
// 403 (audited) for other roles, 400 with a translated message for a bad period.
import { getFixedT } from "~/i18next.server";
import { requireRole } from "~/modules/identity/staff-auth.server";
import type { AppDb } from "~db/client.server";
import { indicatorsByAgencyMonth, indicatorScope, REPORT_ROLES } from "./indicators.server";
import { parseReportRange } from "./reports.schema";

export async function indicatorsToExport(db: AppDb, request: Request) {
  const { user } = await requireRole(db, request, REPORT_ROLES, "reports.export");
  const scope = indicatorScope(user);
  const { t } = await getFixedT(request);
  const parsed = parseReportRange(new URL(request.url).searchParams);
  if (!parsed.success) {
    throw new Response(t("reports.badRange"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const { from, to } = parsed.data;
  const rows = await indicatorsByAgencyMonth(db, { from, to, agencyCode: scope.agencyCode });
  return { rows, t, filename: (ext: "csv" | "xlsx") => `chi-so-766-${from}-${to}.${ext}` };
}

// Decision 766 service-quality indicators from our own data, per agency and month (CSV, XLSX):
// on-time rate (finished no later than due), online rate (channel 2), digitisation rate (dossiers
// whose filed documents are held electronically; result documents do not count) and satisfaction
// (share of citizens' ratings of 4 or 5 out of 5, among rated dossiers; null when none was rated).
import { sql } from "drizzle-orm";
import { csvDocument } from "~/lib/csv";
import { xlsxWorkbook } from "~/lib/xlsx.server";
import type { Role } from "~/modules/identity/staff-auth.server";
import { RESULT_SLOT } from "~/modules/results/slot";
import { selectRows, type AppDb } from "~db/client.server";
import { agencies, attachments, dossiers } from "~db/schema";

export interface IndicatorRow {
  agencyCode: string;
  agencyName: string;
  month: string; // yyyy-MM (Vietnam time)
  received: number;
  finished: number;
  finishedOnTime: number;
  online: number;
  digitised: number;
  rated: number;
  satisfied: number;
  onTimeRate: number | null;
  onlineRate: number | null;
  digitisationRate: number | null;
  satisfaction: number | null;
}

const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);

export async function indicatorsByAgencyMonth(db: AppDb, opts: { agencyCode?: string; from: string; to: string }): Promise<IndicatorRow[]> {
  const rows = await selectRows<{ agency_code: string; agency_name: string; month: string; received: number; finished: number; on_time: number; online: number; digitised: number; rated: number; satisfied: number }>(
    db,
    sql`select d.agency_code, a.name_vi as agency_name,
          to_char(d.submitted_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') as month,
          count(*)::int as received,
          count(*) filter (where d.finished_at is not null)::int as finished,
          count(*) filter (where d.finished_at is not null and d.due_at is not null and d.finished_at <= d.due_at)::int as on_time,
          count(*) filter (where d.channel = 2)::int as online,
          count(*) filter (where exists (select 1 from ${attachments} f where f.dossier_id = d.id and f.slot <> ${RESULT_SLOT}))::int as digitised,
          count(*) filter (where d.rating is not null)::int as rated,
          count(*) filter (where d.rating >= 4)::int as satisfied
        from ${dossiers} d join ${agencies} a on a.code = d.agency_code
        where d.submitted_at >= (${opts.from}::date)::timestamp at time zone 'Asia/Ho_Chi_Minh'
          and d.submitted_at < ((${opts.to}::date) + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'
          ${opts.agencyCode ? sql`and d.agency_code = ${opts.agencyCode}` : sql``}
        group by 1, 2, 3 order by 3, 1`,
  );
  return rows.map((r) => ({
    agencyCode: r.agency_code, agencyName: r.agency_name, month: r.month, received: r.received, finished: r.finished, finishedOnTime: r.on_time, online: r.online,
    digitised: r.digitised, rated: r.rated, satisfied: r.satisfied,
    onTimeRate: rate(r.on_time, r.finished), onlineRate: rate(r.online, r.received), digitisationRate: rate(r.digitised, r.received), satisfaction: rate(r.satisfied, r.rated),
  }));
}

export interface MonthTotals { month: string; received: number; onTimeRate: number | null; onlineRate: number | null; digitisationRate: number | null; satisfaction: number | null }

/** The same indicators over every agency in the rows, per month (what the chart shows). */
export function totalsByMonth(rows: IndicatorRow[]): MonthTotals[] {
  const by = new Map<string, { received: number; finished: number; onTime: number; online: number; digitised: number; rated: number; satisfied: number }>();
  for (const r of rows) {
    const m = by.get(r.month) ?? { received: 0, finished: 0, onTime: 0, online: 0, digitised: 0, rated: 0, satisfied: 0 };
    m.received += r.received; m.finished += r.finished; m.onTime += r.finishedOnTime; m.online += r.online;
    m.digitised += r.digitised; m.rated += r.rated; m.satisfied += r.satisfied;
    by.set(r.month, m);
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([month, m]) => ({
    month, received: m.received, onTimeRate: rate(m.onTime, m.finished), onlineRate: rate(m.online, m.received),
    digitisationRate: rate(m.digitised, m.received), satisfaction: rate(m.satisfied, m.rated),
  }));
}

/** The indicators as CSV (app/lib/csv.ts: formula-safe, BOM, CRLF). */
export function toCsv(rows: IndicatorRow[]): string {
  const head = ["agency_code", "agency_name", "month", "received", "finished", "finished_on_time", "online", "on_time_rate_pct", "online_rate_pct", "digitisation_rate_pct", "satisfaction"];
  return csvDocument(head, rows.map((r) => [r.agencyCode, r.agencyName, r.month, r.received, r.finished, r.finishedOnTime, r.online, r.onTimeRate, r.onlineRate, r.digitisationRate, r.satisfaction]));
}

/** The columns of the XLSX export, in order (their headings come translated from the caller). */
export const XLSX_COLUMNS = ["agencyCode", "agencyName", "month", "received", "finished", "finishedOnTime", "online", "onTimeRate", "onlineRate", "digitisationRate", "satisfaction"] as const;

/** The indicators as an XLSX workbook: text stays text (never a formula), rates are numbers. */
export function toXlsx(rows: IndicatorRow[], headings: Record<(typeof XLSX_COLUMNS)[number], string>, sheetName: string): Buffer {
  return xlsxWorkbook({ name: sheetName, headings: XLSX_COLUMNS.map((c) => headings[c]), rows: rows.map((r) => XLSX_COLUMNS.map((c) => r[c])) });
}

/** Who may see the indicators (the routes' role check); indicatorScope says of which agencies. */
export const REPORT_ROLES: readonly Role[] = ["leader", "admin"];

/** Who may see indicators, and of what: administrators the province, leaders their agency. */
export function indicatorScope(user: { role: string; agencyCode: string }): { allowed: boolean; agencyCode?: string } {
  if (user.role === "admin") return { allowed: true };
  if (user.role === "leader") return { allowed: true, agencyCode: user.agencyCode };
  return { allowed: false };
}

// The kiosk report: assisted dossiers by procedure, kiosk and officer (Project 06 figures).
import { sql } from "drizzle-orm";
import { csvDocument } from "~/lib/csv";
import type { StaffUser } from "~/modules/identity/staff-auth.server";
import { selectRows, type AppDb } from "~db/client.server";
import { dossiers, kioskDevices, staffUsers } from "~db/schema";

export type ReportScope = "mine" | "commune";

/**
 * Assisted dossiers of the officer's own commune (or only the officer's own), today and this month
 * (Vietnam time), by procedure, kiosk and officer: the figures Project 06 reports ask for.
 */
export async function assistedReport(db: AppDb, officer: StaffUser, scope: ReportScope, now = new Date()) {
  const vnDay = new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  const dayStart = new Date(`${vnDay}T00:00:00+07:00`);
  const monthStart = new Date(`${vnDay.slice(0, 7)}-01T00:00:00+07:00`);
  const mine = scope === "mine" ? sql`and d.helper_staff_id = ${officer.id}::uuid` : sql``;
  const rows = await selectRows<{ procedure_code: string; procedure_name: string; kiosk: string; officer: string; today: number; month: number }>(db, sql`
    select d.procedure_code, d.procedure_name, coalesce(k.label, '?') as kiosk, coalesce(u.full_name, '?') as officer,
      count(*) filter (where d.submitted_at >= ${dayStart.toISOString()}::timestamptz)::int as today, count(*)::int as month
    from ${dossiers} d
    left join ${kioskDevices} k on k.id = d.helper_kiosk_id
    left join ${staffUsers} u on u.id = d.helper_staff_id
    where d.helper_agency_code = ${officer.agencyCode} and d.helper_kiosk_id is not null and d.submitted_at >= ${monthStart.toISOString()}::timestamptz ${mine}
    group by 1, 2, 3, 4 order by 1, 3, 4`);
  const sum = (key: "procedure_code" | "kiosk" | "officer") => {
    const m = new Map<string, { label: string; today: number; month: number }>();
    for (const r of rows) {
      const label = key === "procedure_code" ? `${r.procedure_code} — ${r.procedure_name}` : r[key];
      const v = m.get(label) ?? { label, today: 0, month: 0 };
      v.today += r.today;
      v.month += r.month;
      m.set(label, v);
    }
    return [...m.values()];
  };
  return {
    day: vnDay, month: vnDay.slice(0, 7), rows,
    total: { today: rows.reduce((n, r) => n + r.today, 0), month: rows.reduce((n, r) => n + r.month, 0) },
    byProcedure: sum("procedure_code"), byKiosk: sum("kiosk"), byOfficer: sum("officer"),
  };
}

export function reportCsv(report: Awaited<ReturnType<typeof assistedReport>>): string {
  const head = ["ma_thu_tuc", "ten_thu_tuc", "ki_ot", "can_bo", "hom_nay", "thang_nay"];
  return csvDocument(head, report.rows.map((r) => [r.procedure_code, r.procedure_name, r.kiosk, r.officer, r.today, r.month]));
}

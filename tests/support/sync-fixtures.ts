// Dossiers with realistic status walks, for the sync tests and the reliability suite.
import { changeStatus, createDossier } from "~/modules/dossiers/dossiers.server";
import type { AppDb } from "~db/client.server";

export const WALKS: number[][] = [
  [1, 2, 4, 9, 10],
  [1, 2, 4, 5, 4, 9, 10],
  [1, 3],
  [1, 2, 4, 6, 4, 9],
  [1, 7],
  [1, 2, 4, 8],
];

const AGENCIES = ["000.01.31.H49", "000.02.30.H49", "000.03.31.H49", "000.00.02.H49"];
const PROCEDURES = ["1.004222", "1.004194", "1.001193", "3.000333"];

/** Creates n dossiers and walks each through its statuses, one second apart (a few dossiers at a time). */
export async function makeDossiers(db: AppDb, n: number, start = new Date("2026-11-20T01:00:00Z")) {
  const one = async (i: number) => {
    const walk = WALKS[i % WALKS.length];
    const at = new Date(start.getTime() + i * 60_000);
    const r = await createDossier(db, {
      procedureCode: PROCEDURES[i % PROCEDURES.length], agencyCode: AGENCIES[i % AGENCIES.length], channel: 2,
      applicantName: `Công dân ${i}`, applicantIdNumber: `0220${String(90000000 + i).slice(-8)}`, applicantPhone: `09${String(10000000 + i).slice(-8)}`,
      actor: { name: `Công dân ${i}` }, at,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    for (const [k, to] of walk.slice(1).entries()) {
      const c = await changeStatus(db, { dossierId: r.value.id, to, actor: { name: "Cán bộ một cửa", title: "Chuyên viên" }, at: new Date(at.getTime() + (k + 1) * 1000) });
      if (!c.ok) throw new Error(JSON.stringify(c.error));
    }
    return { ...r.value, walk };
  };
  const made: { id: string; code: string; walk: number[] }[] = [];
  for (let i = 0; i < n; i += 8) made.push(...(await Promise.all(Array.from({ length: Math.min(8, n - i) }, (_, k) => one(i + k)))));
  return made;
}

interface MockDossier { MaHoSo: string; TrangThaiHoSo: number; progress: { TrangThai: number; duplicate: boolean }[] }

/** What the mock holds, checked against what we made: once each, statuses in order, no duplicates. */
export async function checkMock(mockUrl: string, made: { code: string; walk: number[] }[]) {
  const r = (await (await fetch(`${mockUrl}/__admin/dossiers?limit=10000`)).json()) as { total: number; dossiers: MockDossier[] };
  const byCode = new Map(r.dossiers.map((d) => [d.MaHoSo, d]));
  const problems: string[] = [];
  if (r.total !== made.length) problems.push(`mock holds ${r.total} dossiers, expected ${made.length}`);
  for (const m of made) {
    const d = byCode.get(m.code);
    if (!d) { problems.push(`${m.code} missing`); continue; }
    const statuses = d.progress.map((p) => p.TrangThai);
    if (d.progress.some((p) => p.duplicate)) problems.push(`${m.code} has duplicate progress`);
    if (JSON.stringify(statuses) !== JSON.stringify(m.walk)) problems.push(`${m.code} progress ${statuses} != ${m.walk}`);
    if (d.TrangThaiHoSo !== m.walk.at(-1)) problems.push(`${m.code} status ${d.TrangThaiHoSo} != ${m.walk.at(-1)}`);
  }
  return problems;
}

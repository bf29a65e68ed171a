// Idempotent seed of the catalogue from db/data (copied from the project's shared data set):
// communes, agencies, procedures with documents and fees, public holidays.
// Each row carries a hash of its seeded content; a row whose hash is unchanged is not written,
// so seeding twice changes nothing.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, eq, gte, sql } from "drizzle-orm";
import { foldVietnamese } from "~/lib/text";
import { FormDefinition } from "~/modules/forms/forms.schema";
import type { AppDb } from "./client.server";
import { agencies, communes, formDefinitions, holidays, procedureDocuments, procedureFees, procedures } from "./schema";

export const seedDataDir = () => path.resolve(process.cwd(), "db/data");

interface RawProcedure {
  code: string | null;
  name_vi: string;
  name_en: string;
  field: string;
  implementing_level: "police" | "commune" | "province";
  agency: string;
  processing_time: { text: string; value: number | null; unit: string | null } | null;
  fee: {
    amount_vnd: number | null;
    items?: { case: string; amount_vnd: number | null; per?: string }[];
    exemptions?: string | null;
    text?: string | null;
  } | null;
  online: { level: string | null; channels: string | null } | null;
  documents: { name: string; originals: number | null; copies: number | null; note?: string }[] | null;
  result: string | null;
  legal_bases: string[] | null;
  notes?: string[] | null;
}

const hash = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex");

/**
 * Content hashes of rows `npm run catalog:import` wrote, or an administrator edited, start with
 * these; the seed leaves such rows (and form versions) be: they are newer than the seed file.
 */
export const IMPORTED_HASH_PREFIX = "import:";
export const ADMIN_HASH_PREFIX = "admin:";
const editedSinceSeed = (h: string | undefined) => !!h && (h.startsWith(IMPORTED_HASH_PREFIX) || h.startsWith(ADMIN_HASH_PREFIX));

export interface CommuneRow { code: string; name: string; type: string }

export function readCommunes(dir = seedDataDir()): CommuneRow[] {
  const lines = fs.readFileSync(path.join(dir, "quang-ninh-communes.csv"), "utf8").trim().split(/\r?\n/);
  const [header, ...rows] = lines;
  if (header.trim() !== "code,name,type") throw new Error(`unexpected communes header: ${header}`);
  return rows.map((line) => {
    const [code, name, type] = line.split(",").map((s) => s.trim());
    if (!/^\d{5}$/.test(code) || !name || !["phuong", "xa", "dac_khu"].includes(type)) {
      throw new Error(`bad commune row: ${line}`);
    }
    return { code, name, type };
  });
}

const COMMUNE_PREFIX = /^(Phường|Xã|Đặc khu)\s+/;
const typeEn: Record<string, string> = { phuong: "Ward", xa: "Commune", dac_khu: "Special Zone" };
const typeVi: Record<string, string> = { phuong: "phường", xa: "xã", dac_khu: "đặc khu" };

export const PROVINCE_AGENCY = "000.00.00.H49";

/** Agencies: the Provincial People's Committee, provincial bodies, each commune's committee and police. */
export function buildAgencies(communeRows: CommuneRow[]) {
  const provincial = [
    [PROVINCE_AGENCY, "Ủy ban nhân dân tỉnh Quảng Ninh", "Quang Ninh Provincial People's Committee", "province_committee"],
    ["000.00.01.H49", "Công an tỉnh Quảng Ninh", "Quang Ninh Provincial Police", "provincial_police"],
    ["000.00.02.H49", "Sở Tư pháp", "Department of Justice", "department"],
    ["000.00.03.H49", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "department"],
    ["000.00.04.H49", "Sở Xây dựng", "Department of Construction", "department"],
    ["000.00.05.H49", "Sở Y tế", "Department of Health", "department"],
    ["000.00.06.H49", "Sở Nội vụ", "Department of Home Affairs", "department"],
    ["000.00.07.H49", "Văn phòng Đăng ký đất đai tỉnh", "Provincial Land Registration Office", "department"],
    ["000.00.08.H49", "Trung tâm Phục vụ hành chính công tỉnh", "Provincial Public Administration Service Centre", "department"],
  ].map(([code, nameVi, nameEn, kind]) => ({
    code, nameVi, nameEn, kind, communeCode: null as string | null,
    parentCode: code === PROVINCE_AGENCY ? null : PROVINCE_AGENCY,
  }));
  const sorted = [...communeRows].sort((a, b) => a.code.localeCompare(b.code));
  const local = sorted.flatMap((c, i) => {
    const nn = String(i + 1).padStart(2, "0");
    const bare = c.name.replace(COMMUNE_PREFIX, "");
    return [
      {
        code: `000.${nn}.30.H49`,
        nameVi: `Ủy ban nhân dân ${typeVi[c.type]} ${bare}`,
        nameEn: `People's Committee of ${bare} ${typeEn[c.type]}`,
        kind: "commune_committee", communeCode: c.code, parentCode: PROVINCE_AGENCY,
      },
      {
        code: `000.${nn}.31.H49`,
        nameVi: `Công an ${typeVi[c.type]} ${bare}`,
        nameEn: `${bare} ${typeEn[c.type]} Police`,
        kind: "commune_police", communeCode: c.code, parentCode: "000.00.01.H49",
      },
    ];
  });
  return [...provincial, ...local];
}

function channelOf(label: string): "direct" | "online" | "postal" | null {
  if (/trực tuyến/i.test(label)) return "online";
  if (/trực tiếp/i.test(label)) return "direct";
  if (/bưu chính/i.test(label)) return "postal";
  return null;
}

export function onlineModeOf(online: RawProcedure["online"]): "full" | "partial" | "none" {
  if (online?.level && /toàn trình/i.test(online.level)) return "full";
  if (online?.channels && /trực tuyến|cổng dvc|vneid|cổng dịch vụ công/i.test(online.channels)) return "partial";
  return "none";
}

export function readProcedures(dir = seedDataDir()) {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, "procedures.json"), "utf8")) as { procedures: RawProcedure[] };
  let local = 0;
  return raw.procedures.map((p) => {
    const hasNationalCode = typeof p.code === "string" && /^\d\.\d{6}$/.test(p.code);
    const code = hasNationalCode ? (p.code as string) : `QN-${String(++local).padStart(4, "0")}`;
    const level =
      p.implementing_level === "province" || /cấp tỉnh/i.test(p.agency) ? "province" : "commune";
    const agencyKind = p.implementing_level === "police" ? "police" : p.implementing_level === "commune" ? "committee" : "department";
    const row = {
      code,
      hasNationalCode,
      nameVi: p.name_vi,
      nameEn: p.name_en,
      field: p.field,
      level,
      agencyKind,
      agencyText: p.agency,
      processingText: p.processing_time?.text ?? null,
      processingValue: p.processing_time?.value ?? null,
      processingUnit: p.processing_time?.unit ?? null,
      feeAmountVnd: p.fee?.amount_vnd ?? null,
      feeText: p.fee?.text ?? null,
      feeExemptions: p.fee?.exemptions ?? null,
      onlineMode: onlineModeOf(p.online),
      onlineChannels: p.online?.channels ?? null,
      resultText: p.result ?? null,
      legalBases: p.legal_bases ?? [],
      notes: p.notes ?? [],
      searchName: foldVietnamese(p.name_vi),
      searchText: foldVietnamese(`${p.name_vi} ${p.name_en} ${p.field} ${code}`),
    };
    const documents = (p.documents ?? []).map((d, position) => ({
      procedureCode: code, position, name: d.name, originals: d.originals, copies: d.copies, note: d.note ?? null,
    }));
    const fees = (p.fee?.items ?? []).map((f, position) => ({
      procedureCode: code, position, channel: channelOf(f.case), label: f.case, amountVnd: f.amount_vnd, per: f.per ?? null,
    }));
    return { row, documents, fees, contentHash: hash({ row, documents, fees }) };
  });
}

interface RawHolidayDay { date: string; name: string; kind: string }
export function readHolidays(dir = seedDataDir()) {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, "holidays.json"), "utf8")) as {
    years: Record<string, { status: string; all_days: RawHolidayDay[]; make_up_working_days: RawHolidayDay[] }>;
  };
  return Object.values(raw.years).flatMap((y) => {
    const official = /^official/.test(y.status);
    return [
      ...y.all_days.map((d) => ({ date: d.date, name: d.name, kind: d.kind, isWorkingDay: false, official })),
      ...y.make_up_working_days.map((d) => ({ date: d.date, name: d.name, kind: d.kind, isWorkingDay: true, official })),
    ];
  });
}

/** Form definitions (db/data/forms/*.json), validated: a bad definition stops the seed, naming the file. */
export function readForms(dir = seedDataDir()): FormDefinition[] {
  const formsDir = path.join(dir, "forms");
  if (!fs.existsSync(formsDir)) return [];
  return fs.readdirSync(formsDir).filter((f) => f.endsWith(".json")).sort().map((file) => {
    const parsed = FormDefinition.safeParse(JSON.parse(fs.readFileSync(path.join(formsDir, file), "utf8")));
    if (!parsed.success) throw new Error(`db/data/forms/${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    return parsed.data;
  });
}

export interface SeedReport { communes: number; agencies: number; procedures: number; holidays: number; forms: number; written: number }

/** Writes only what differs from the database; returns how many rows it wrote. */
export async function seedCatalog(db: AppDb, dir = seedDataDir()): Promise<SeedReport> {
  const communeRows = readCommunes(dir);
  const agencyRows = buildAgencies(communeRows);
  const procs = readProcedures(dir);
  const holidayRows = readHolidays(dir);
  const forms = readForms(dir);
  let written = 0;
  await db.transaction(async (tx) => {
    const existingCommunes = new Map((await tx.select().from(communes)).map((c) => [c.code, c]));
    for (const c of communeRows) {
      const e = existingCommunes.get(c.code);
      const searchName = foldVietnamese(c.name);
      if (e && e.name === c.name && e.type === c.type && e.searchName === searchName) continue;
      await tx.insert(communes).values({ ...c, searchName })
        .onConflictDoUpdate({ target: communes.code, set: { name: c.name, type: c.type, searchName } });
      written++;
    }
    const agencyHashes = new Map((await tx.select({ code: agencies.code, h: agencies.contentHash }).from(agencies)).map((a) => [a.code, a.h]));
    for (const a of agencyRows) {
      const contentHash = hash(a);
      if (agencyHashes.get(a.code) === contentHash) continue;
      await tx.insert(agencies).values({ ...a, contentHash })
        .onConflictDoUpdate({ target: agencies.code, set: { ...a, contentHash } });
      written++;
    }
    const procHashes = new Map((await tx.select({ code: procedures.code, h: procedures.contentHash }).from(procedures)).map((p) => [p.code, p.h]));
    for (const p of procs) {
      const stored = procHashes.get(p.row.code);
      if (stored === p.contentHash || editedSinceSeed(stored)) continue;
      await tx.insert(procedures).values({ ...p.row, contentHash: p.contentHash })
        .onConflictDoUpdate({ target: procedures.code, set: { ...p.row, contentHash: p.contentHash, updatedAt: sql`now()` } });
      for (const d of p.documents) {
        await tx.insert(procedureDocuments).values(d)
          .onConflictDoUpdate({ target: [procedureDocuments.procedureCode, procedureDocuments.position], set: d });
      }
      await tx.delete(procedureDocuments).where(and(eq(procedureDocuments.procedureCode, p.row.code), gte(procedureDocuments.position, p.documents.length)));
      for (const f of p.fees) {
        await tx.insert(procedureFees).values(f)
          .onConflictDoUpdate({ target: [procedureFees.procedureCode, procedureFees.position], set: f });
      }
      await tx.delete(procedureFees).where(and(eq(procedureFees.procedureCode, p.row.code), gte(procedureFees.position, p.fees.length)));
      written++;
    }
    // Holidays are seeded per year, once: after that the year's table belongs to the
    // administrators (their edits and deletions must survive restarts).
    const seededYears = new Set((await tx.select({ date: holidays.date }).from(holidays)).map((h) => h.date.slice(0, 4)));
    for (const h of holidayRows) {
      if (seededYears.has(h.date.slice(0, 4))) continue;
      await tx.insert(holidays).values(h).onConflictDoNothing();
      written++;
    }
    // Forms are versioned, never edited in place: a changed definition becomes the next version
    // (drafts and dossiers keep the version they were filled with).
    const latest = new Map<string, { version: number; contentHash: string }>();
    for (const f of await tx.select({ code: formDefinitions.procedureCode, version: formDefinitions.version, contentHash: formDefinitions.contentHash }).from(formDefinitions)) {
      if ((latest.get(f.code)?.version ?? 0) < f.version) latest.set(f.code, f);
    }
    for (const f of forms) {
      const contentHash = hash(f);
      const current = latest.get(f.procedureCode);
      if (current?.contentHash === contentHash || editedSinceSeed(current?.contentHash)) continue;
      await tx.insert(formDefinitions).values({ procedureCode: f.procedureCode, version: (current?.version ?? 0) + 1, definition: f, contentHash });
      written++;
    }
    // Procedures dropped from the seed data set are not deleted: dossiers may refer to them.
  });
  return { communes: communeRows.length, agencies: agencyRows.length, procedures: procs.length, holidays: holidayRows.length, forms: forms.length, written };
}

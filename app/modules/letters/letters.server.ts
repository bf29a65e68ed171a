// Letters to the applicant of a dossier: written (as the facts they are printed from) inside the
// transaction of the change that causes them, rendered as PDFs on demand — for the citizen who owns
// the dossier, for the officials of its agency, and for the email that announces them.
import { and, eq } from "drizzle-orm";
import type { Lng } from "~/i18n";
import { plausibleCode } from "~/modules/dossiers/citizen-view.server";
import type { AppDb, AppTx } from "~db/client.server";
import { agencies, dossierLetters, dossiers, procedures } from "~db/schema";
import { renderApologyLetter, renderRefusalNotice } from "./letters-pdf.server";

export type LetterKind = "refusal" | "apology";
export type Letter = typeof dossierLetters.$inferSelect;

export interface Official { name: string; title?: string | null }

/** The refusal notice of a dossier being refused (status 3); the legal basis defaults to the procedure's. */
export async function writeRefusalNotice(tx: AppTx, input: { dossierId: string; agencyCode: string; procedureCode: string; reason: string; legalBasis?: string; official: Official; at: Date }): Promise<string> {
  let legalBasis = input.legalBasis?.trim() || null;
  if (!legalBasis) {
    const [p] = await tx.select({ legalBases: procedures.legalBases }).from(procedures).where(eq(procedures.code, input.procedureCode));
    legalBasis = p?.legalBases.length ? p.legalBases.join("; ") : null;
  }
  const [row] = await tx.insert(dossierLetters).values({
    dossierId: input.dossierId, kind: "refusal", reason: input.reason, legalBasis, agencyCode: input.agencyCode,
    officialName: input.official.name, officialTitle: input.official.title ?? null, issuedAt: input.at,
  }).returning({ id: dossierLetters.id });
  return row.id;
}

/** The apology letter of a late dossier, with the broken and the new appointment. */
export async function writeApologyLetter(tx: AppTx, input: { dossierId: string; agencyCode: string; reason: string; previousDueAt: Date | null; newDueAt: Date; official: Official; at: Date }): Promise<string> {
  const [row] = await tx.insert(dossierLetters).values({
    dossierId: input.dossierId, kind: "apology", reason: input.reason, previousDueAt: input.previousDueAt, newDueAt: input.newDueAt,
    agencyCode: input.agencyCode, officialName: input.official.name, officialTitle: input.official.title ?? null, issuedAt: input.at,
  }).returning({ id: dossierLetters.id });
  return row.id;
}

/** A dossier's letters, oldest first (for the timelines). */
export async function lettersOf(db: AppDb, dossierId: string) {
  const rows = await db.select({ id: dossierLetters.id, kind: dossierLetters.kind, reason: dossierLetters.reason, newDueAt: dossierLetters.newDueAt, issuedAt: dossierLetters.issuedAt })
    .from(dossierLetters).where(eq(dossierLetters.dossierId, dossierId)).orderBy(dossierLetters.issuedAt);
  return rows.map((r) => ({ id: r.id, kind: r.kind as LetterKind, reason: r.reason, newDueAt: r.newDueAt?.toISOString() ?? null, issuedAt: r.issuedAt.toISOString() }));
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** One letter with what its PDF prints, found by its dossier's code (and, for a citizen, their ownership). */
async function findLetter(db: AppDb, where: { letterId: string; code?: string; dossierId?: string; citizenId?: string }) {
  if ((where.code !== undefined && !plausibleCode(where.code)) || !isUuid(where.letterId)) return null;
  const conds = [eq(dossierLetters.id, where.letterId)];
  if (where.code !== undefined) conds.push(eq(dossiers.code, where.code));
  if (where.dossierId) conds.push(eq(dossierLetters.dossierId, where.dossierId));
  if (where.citizenId) conds.push(eq(dossiers.citizenId, where.citizenId));
  const [row] = await db.select({ letter: dossierLetters, dossier: dossiers, agencyVi: agencies.nameVi, agencyEn: agencies.nameEn, procedureEn: procedures.nameEn })
    .from(dossierLetters).innerJoin(dossiers, eq(dossiers.id, dossierLetters.dossierId))
    .leftJoin(agencies, eq(agencies.code, dossierLetters.agencyCode)).leftJoin(procedures, eq(procedures.code, dossiers.procedureCode))
    .where(and(...conds));
  return row ?? null;
}

type Found = NonNullable<Awaited<ReturnType<typeof findLetter>>>;

const FILE_PREFIX: Record<LetterKind, string> = { refusal: "phieu-tu-choi", apology: "phieu-xin-loi" };

async function render(found: Found, lng: Lng): Promise<{ fileName: string; pdf: Uint8Array }> {
  const { letter: l, dossier: d } = found;
  const base = {
    locale: lng, dossierCode: d.code, procedureName: (lng === "en" ? found.procedureEn : null) ?? d.procedureName,
    agencyName: (lng === "en" ? found.agencyEn : found.agencyVi) ?? l.agencyCode, applicantName: d.applicantName,
    applicantIdNumber: d.applicantIdNumber ?? undefined, reason: l.reason, officialName: l.officialName, officialTitle: l.officialTitle ?? undefined, issuedAt: l.issuedAt,
  };
  const pdf = l.kind === "refusal"
    ? await renderRefusalNotice({ ...base, submittedAt: d.submittedAt, legalBasis: l.legalBasis ?? "" })
    : await renderApologyLetter({ ...base, receivedAt: d.receivedAt, previousDueAt: l.previousDueAt, newDueAt: l.newDueAt ?? d.dueAt ?? l.issuedAt });
  const n = d.code.replace(/[^0-9A-Za-z.-]/g, "");
  return { fileName: `${FILE_PREFIX[l.kind as LetterKind] ?? "phieu"}-${n}.pdf`, pdf };
}

/** A letter of the citizen's own dossier; anybody else's is null. */
export async function citizenLetterPdf(db: AppDb, citizenId: string, code: string, letterId: string, lng: Lng) {
  const found = await findLetter(db, { code, letterId, citizenId });
  return found ? render(found, lng) : null;
}

/** A letter for an official: null unless the dossier is their agency's (the caller audits the view). */
export async function agencyLetterPdf(db: AppDb, agencyCode: string, code: string, letterId: string, lng: Lng) {
  const found = await findLetter(db, { code, letterId });
  if (!found) return { kind: "not_found" as const };
  if (found.dossier.agencyCode !== agencyCode) return { kind: "other_agency" as const };
  return { kind: "found" as const, ...(await render(found, lng)) };
}

/** The letter an email announces (notification parameter `letter`), in the reader's language. */
export async function letterForNotification(db: AppDb, dossierId: string, letterId: unknown, lng: Lng) {
  if (typeof letterId !== "string") return null;
  const found = await findLetter(db, { letterId, dossierId });
  return found ? render(found, lng) : null;
}

// Complete, ready-to-submit drafts of the free birth-registration form (1.001193), written
// straight into the database in bulk: citizens, drafts whose answers pass validateAll, and a
// clean-scanned file in the one required slot. For the filing concurrency test and the submit
// benchmark, which need hundreds or thousands of them and not the step-by-step journey.
import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { loadForm, validationContext } from "~/modules/filing/filing.server";
import { validateAll, type FormValues } from "~/modules/forms/forms.schema";
import type { AppDb } from "~db/client.server";
import { agencies, attachments, citizens, drafts } from "~db/schema";

export const BIRTH_REGISTRATION = "1.001193";
const BATCH = 1000;

export type CitizenRow = typeof citizens.$inferSelect;

/** Commune committees (the agencies birth registrations go to), by agency code. */
export async function communeCommittees(db: AppDb): Promise<{ agencyCode: string; communeCode: string }[]> {
  const rows = await db.select({ agencyCode: agencies.code, communeCode: agencies.communeCode }).from(agencies)
    .where(eq(agencies.kind, "commune_committee")).orderBy(asc(agencies.code));
  return rows.filter((r): r is { agencyCode: string; communeCode: string } => Boolean(r.communeCode));
}

/** Citizens number `first` … `first + count - 1`: distinct, valid identity numbers (born 05/09/1985, male). */
export async function insertCitizens(db: AppDb, count: number, first = 0): Promise<CitizenRow[]> {
  const out: CitizenRow[] = [];
  for (let from = first; from < first + count; from += BATCH) {
    const values = Array.from({ length: Math.min(BATCH, first + count - from) }, (_, k) => {
      const i = from + k;
      return {
        sub: `fixture-citizen-${i}`,
        // province 022, century/sex digit 0 (1900s, male), year 85, then six digits of our own
        idNumber: `022085${String(i).padStart(6, "0")}`,
        fullName: `Nguyễn Văn Thử ${i}`, birthDate: "1985-09-05", sex: "Nam",
        phone: `091${String(i % 10_000_000).padStart(7, "0")}`, email: `cong.dan.${i}@example.vn`,
      };
    });
    out.push(...(await db.insert(citizens).values(values).returning()));
  }
  return out;
}

/** Answers of one complete birth registration by this citizen, registered at this commune. */
export function birthAnswers(c: CitizenRow, communeCode: string, i: number): FormValues {
  return {
    fullName: c.fullName, birthDate: "05/09/1985", sex: "Nam", idNumber: c.idNumber, phone: c.phone ?? "", email: c.email ?? "",
    currentCommune: communeCode, currentDetail: `Số ${i % 500 + 1}, tổ ${i % 12 + 1}`,
    childName: `Nguyễn Thị Bé ${i}`, childBirthDate: "01/11/2026", childSex: "Nữ", birthPlace: "Bệnh viện Bãi Cháy",
    motherName: "Trần Thị Mẹ", fatherName: c.fullName, relation: "cha", registrationCommune: communeCode,
    _locked: "fullName,birthDate,sex,idNumber",
  };
}

export interface ReadyDraft { draftId: string; citizen: CitizenRow; agencyCode: string }

/**
 * Inserts one complete draft (at the review step) per `owners[i]` registered at `places[i % places.length]`,
 * each with one clean file in the required slot. Checks the first answers against the real form
 * rules, so a change in the form shows up here and not as a mysterious 400 later.
 */
export async function insertReadyDrafts(
  db: AppDb,
  owners: CitizenRow[],
  places: { agencyCode: string; communeCode: string }[],
  now = new Date(),
): Promise<ReadyDraft[]> {
  const form = await loadForm(db, BIRTH_REGISTRATION);
  if (!form) throw new Error(`no form for ${BIRTH_REGISTRATION}: seed the catalogue first`);
  const probe = validateAll(form.def, birthAnswers(owners[0], places[0].communeCode, 0), { ...(await validationContext(db)), now });
  if (!probe.ok) throw new Error(`fixture answers fail the form at step ${probe.step}`);
  const expiresAt = new Date(now.getTime() + 7 * 86_400_000);
  const out: ReadyDraft[] = [];
  for (let from = 0; from < owners.length; from += BATCH) {
    const slice = owners.slice(from, from + BATCH);
    const rows = await db.insert(drafts).values(slice.map((c, k) => ({
      citizenId: c.id, procedureCode: BIRTH_REGISTRATION, formVersion: form.version, step: "xem-lai", expiresAt,
      data: birthAnswers(c, places[(from + k) % places.length].communeCode, from + k),
    }))).returning({ id: drafts.id, citizenId: drafts.citizenId });
    await db.insert(attachments).values(rows.map((r) => ({
      citizenId: r.citizenId, draftId: r.id, slot: "giay-chung-sinh", fileName: "giay-chung-sinh.pdf", mime: "application/pdf",
      size: 123_456, sha256: randomBytes(32).toString("hex"), scan: "clean",
    })));
    rows.forEach((r, k) => out.push({ draftId: r.id, citizen: slice[k], agencyCode: places[(from + k) % places.length].agencyCode }));
  }
  return out;
}

// The single-portal model (CITIZEN_FRONT=national, ADR 025): citizens file online on the National
// Public Service Portal. Our procedure pages and the national portal's hand-off link lead to its
// filing page for the procedure and agency; "my dossiers" links each dossier the national side
// knows to its page there.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { config, nationalCitizenPages } from "~/config.server";
import { err, ok, type AppError, type Result } from "~/lib/result";
import { getProcedure } from "~/modules/catalog/catalog.server";
import type { AppDb } from "~db/client.server";
import { agencies } from "~db/schema";
import { loadForm } from "./filing.server";

export type CitizenFront = "national" | "province";

/** The national filing page for one procedure at one agency. */
export function nationalFilingUrl(filingPage: string, procedureCode: string, agencyCode: string): string {
  const u = new URL(filingPage);
  u.searchParams.set("MaTTHC", procedureCode);
  u.searchParams.set("MaCoQuanThucHien", agencyCode);
  return u.toString();
}

/** A dossier's page on the national portal. */
export function nationalDossierUrl(dossierPage: string, code: string): string {
  const u = new URL(dossierPage);
  u.searchParams.set("MaHoSo", code);
  return u.toString();
}

/**
 * The agency a hand-off names: the form's fixed agency; where the form sends the dossier to the
 * commune the citizen picks, the province's unit (the national e-form asks for the commune).
 */
export async function filingAgency(db: AppDb, procedureCode: string, provinceUnit: string): Promise<string> {
  const form = await loadForm(db, procedureCode);
  return form?.def.agency.kind === "fixed" ? form.def.agency.code : provinceUnit;
}

// the national portal names agencies by the full electronic code or its short form (H49, H49.22)
const AgencyRef = z.string().regex(/^(\d{3}\.\d{2}\.\d{2}\.H\d{2}|H\d{2}(\.\d{1,3})?)$/);
const HandOffQuery = z.object({
  MaTTHC: z.string().regex(/^\d\.\d{6}$/),
  MaCoQuanThucHien: AgencyRef.optional(),
});

const HandOffErrors = {
  badInput: (): AppError => ({ code: "handoff.bad_input", status: 400, i18nKey: "front.errors.badHandOff" }),
  otherAgency: (agency: string): AppError => ({ code: "handoff.unknown_agency", status: 404, i18nKey: "front.errors.unknownAgency", params: { agency } }),
};

const suffix = (code: string) => /H\d{2}/.exec(code)?.[0];

/**
 * `/nop-ho-so?MaTTHC=…&MaCoQuanThucHien=…` in national mode: the national filing page, for a
 * procedure of our catalogue and an agency of this province (the procedure's own when none is named).
 */
export async function resolveHandOff(db: AppDb, query: URLSearchParams, opts: { filingPage: string; provinceUnit: string }): Promise<Result<string>> {
  // a repeated parameter is not ours to guess between
  if (query.getAll("MaTTHC").length > 1 || query.getAll("MaCoQuanThucHien").length > 1) return err(HandOffErrors.badInput());
  const parsed = HandOffQuery.safeParse({ MaTTHC: query.get("MaTTHC") ?? undefined, MaCoQuanThucHien: query.get("MaCoQuanThucHien") || undefined });
  if (!parsed.success) return err(HandOffErrors.badInput());
  const proc = await getProcedure(db, parsed.data.MaTTHC);
  if (!proc.ok) return proc;
  const agency = parsed.data.MaCoQuanThucHien;
  if (agency && suffix(agency) !== suffix(opts.provinceUnit)) return err(HandOffErrors.otherAgency(agency));
  if (agency && agency.includes(".H")) {
    const [known] = await db.select({ code: agencies.code }).from(agencies).where(eq(agencies.code, agency));
    if (!known) return err(HandOffErrors.otherAgency(agency));
  }
  return ok(nationalFilingUrl(opts.filingPage, parsed.data.MaTTHC, agency ?? (await filingAgency(db, parsed.data.MaTTHC, opts.provinceUnit))));
}

/**
 * What our own filing pages say in national mode: the national filing page for the procedure
 * asked for (when it is one of ours with a national code), else the national portal's home.
 */
export async function filingNotice(db: AppDb, procedureCode: string | null, lng: "vi" | "en", opts: { filingPage: string; provinceUnit: string }) {
  const code = procedureCode && /^\d\.\d{6}$/.test(procedureCode) ? procedureCode : null;
  const proc = code ? await getProcedure(db, code) : null;
  if (!proc?.ok) return { href: new URL(opts.filingPage).origin, procedureName: null };
  const agency = await filingAgency(db, proc.value.code, opts.provinceUnit);
  return { href: nationalFilingUrl(opts.filingPage, proc.value.code, agency), procedureName: lng === "en" ? proc.value.nameEn : proc.value.nameVi };
}

/** In national mode, what our own online filing routes answer instead of filing; null in province mode. */
export async function ownFilingClosed(db: AppDb, procedureCode: string | null, lng: "vi" | "en") {
  const c = config();
  if (c.CITIZEN_FRONT !== "national") return null;
  return filingNotice(db, procedureCode, lng, { filingPage: nationalCitizenPages(c).filing, provinceUnit: c.NATIONAL_PORTAL_UNIT });
}

/** The national front's settings as the routes need them. */
export function nationalFront() {
  const c = config();
  return { on: c.CITIZEN_FRONT === "national", pages: nationalCitizenPages(c), provinceUnit: c.NATIONAL_PORTAL_UNIT };
}

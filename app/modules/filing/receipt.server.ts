// The receipt slip ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") of a citizen's own dossier.
import { publicUrl } from "~/config.server";
import type { Lng } from "~/i18n";
import { citizenDossier } from "~/modules/dossiers/citizen-view.server";
import { appointment } from "~/modules/dossiers/dossiers.server";
import { type FormDefinition, type FormValues } from "~/modules/forms/forms.schema";
import { renderReceiptPdf } from "~/modules/receipts/receipt-pdf.server";
import { eq } from "drizzle-orm";
import type { AppDb } from "~db/client.server";
import { dossiers } from "~db/schema";
import { loadForm } from "./filing.server";

export const statusUrlFor = (code: string) => `${publicUrl()}/tra-cuu?ma=${encodeURIComponent(code)}`;

/** The receipt of a dossier by id (for the confirmation email). */
export async function receiptForDossier(db: AppDb, dossierId: string, lng: Lng): Promise<{ code: string; pdf: Uint8Array } | null> {
  const [d] = await db.select({ code: dossiers.code, citizenId: dossiers.citizenId }).from(dossiers).where(eq(dossiers.id, dossierId));
  if (!d?.citizenId) return null;
  const pdf = await citizenReceiptPdf(db, d.citizenId, d.code, lng);
  return pdf ? { code: d.code, pdf } : null;
}

export async function citizenReceiptPdf(db: AppDb, citizenId: string, code: string, lng: Lng): Promise<Uint8Array | null> {
  const view = await citizenDossier(db, citizenId, code);
  if (!view) return null;
  const d = view.dossier;
  const form = d.formVersion ? await loadForm(db, d.procedureCode, d.formVersion) : null;
  const def: FormDefinition | null = form?.def ?? null;
  const values = (d.formData ?? {}) as FormValues;
  const slotName = (slot: string) => def?.documents.find((s) => s.slot === slot)?.name[lng] ?? slot;
  const bySlot = new Map<string, number>();
  for (const f of view.files) bySlot.set(f.slot, (bySlot.get(f.slot) ?? 0) + 1);
  const paid = view.payments.some((p) => p.status === "paid");
  return renderReceiptPdf({
    locale: lng,
    dossierCode: d.code,
    procedureCode: d.procedureCode,
    procedureName: def?.title[lng] ?? d.procedureName,
    agencyName: (lng === "en" ? view.agency?.nameEn : view.agency?.nameVi) ?? d.agencyCode,
    applicantName: d.applicantName,
    applicantIdNumber: d.applicantIdNumber ?? undefined,
    applicantPhone: d.applicantPhone ?? undefined,
    applicantAddress: values.currentDetail || undefined,
    channelLabel: lng === "en" ? "Online" : "Trực tuyến",
    submittedAt: d.submittedAt,
    appointmentAt: d.dueAt ?? (await appointment(db, d.procedureCode, d.submittedAt)),
    documents: [...bySlot].map(([slot, n]) => ({ name: slotName(slot), original: 0, copies: n })),
    feeVnd: d.feeVnd ?? 0,
    feePaid: paid,
    statusUrl: statusUrlFor(d.code),
  });
}

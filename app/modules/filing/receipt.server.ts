// The receipt slip ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") of a citizen's dossier: the PDF
// (the citizen's download and email, the desk's counter) and the printable page the kiosk and the
// counter show at once after filing.
import QRCode from "qrcode";
import { formatVnd } from "~/lib/format";
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
    channelLabel: d.channel === 1 ? (lng === "en" ? "In person" : "Trực tiếp") : lng === "en" ? "Online" : "Trực tuyến",
    submittedAt: d.submittedAt,
    appointmentAt: d.dueAt ?? (await appointment(db, d.procedureCode, d.submittedAt)),
    documents: [...bySlot].map(([slot, n]) => ({ name: slotName(slot), original: 0, copies: n })),
    feeVnd: d.feeVnd ?? 0,
    feePaid: paid,
    statusUrl: statusUrlFor(d.code),
  });
}

/** What the printable slip shows (the caller adds who helped), or null when the dossier is not the citizen's. */
export async function receiptSlip(db: AppDb, citizenId: string, code: string, lng: Lng, opts: { paper: string | null }) {
  const view = await citizenDossier(db, citizenId, code);
  if (!view) return null;
  const d = view.dossier;
  const statusUrl = statusUrlFor(d.code);
  const fmt = new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  const day = new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  const due = d.dueAt ?? view.provisionalDueAt;
  return {
    paper: opts.paper === "80" ? ("80" as const) : ("a4" as const), channel: d.channel, received: d.receivedAt !== null,
    code: d.code, procedure: lng === "en" ? view.procedureNameEn ?? d.procedureName : d.procedureName, procedureCode: d.procedureCode,
    agency: (lng === "en" ? view.agency?.nameEn : view.agency?.nameVi) ?? d.agencyCode,
    applicant: d.applicantName, idNumber: d.applicantIdNumber ?? "",
    submittedAt: fmt.format(d.submittedAt), due: due ? day.format(due) : "—",
    fee: d.feeVnd ? formatVnd(d.feeVnd, lng) : null, paid: view.payments.some((p) => p.status === "paid"),
    files: view.files.map((f) => f.fileName), statusUrl, qr: await QRCode.toDataURL(statusUrl, { margin: 1, width: 160 }),
  };
}
export type ReceiptSlipData = NonNullable<Awaited<ReturnType<typeof receiptSlip>>>;

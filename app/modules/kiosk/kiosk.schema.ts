// Kiosk forms, safe for the browser: the chip ID card's QR text, manual identification, the
// consent code. Messages are i18n keys.
import { z } from "zod";
import { plainText } from "~/lib/text";

export const IdNumber = z.string().trim().regex(/^\d{12}$/, "kiosk.errors.idNumber");
/** dd/mm/yyyy as typed, or ddMMyyyy as on the card. */
const VnDate = z.string().trim().regex(/^(\d{2})\/?(\d{2})\/?(\d{4})$/, "kiosk.errors.birthDate");

export interface CardQr {
  idNumber: string;
  oldIdNumber: string;
  fullName: string;
  /** yyyy-mm-dd */
  birthDate: string;
  sex: string;
  address: string;
  issuedOn: string;
}

const isoOf = (d: string) => {
  const m = /^(\d{2})\/?(\d{2})\/?(\d{4})$/.exec(d.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const t = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso ? null : iso;
};

/**
 * The chip ID card's QR text (domain brief §2):
 * `số CCCD|số CMND cũ|Họ và tên|ngày sinh ddMMyyyy|giới tính|nơi thường trú|ngày cấp ddMMyyyy`.
 * A USB scanner types it into a field, often with a trailing newline.
 */
export function parseCardQr(text: string): CardQr | null {
  const parts = text.replace(/[\r\n]+$/, "").normalize("NFC").split("|");
  if (parts.length < 7) return null;
  const [idNumber, oldIdNumber, fullName, birth, sex, address, issued] = parts.map((p) => p.trim());
  const birthDate = isoOf(birth);
  if (!/^\d{12}$/.test(idNumber) || !fullName || !birthDate) return null;
  return { idNumber, oldIdNumber, fullName, birthDate, sex, address, issuedOn: isoOf(issued) ?? "" };
}

export const ManualIdentify = z.object({
  idNumber: IdNumber,
  fullName: plainText().trim().min(2, "kiosk.errors.fullName").max(150, "kiosk.errors.fullName"),
  birthDate: VnDate.transform((v, ctx) => {
    const iso = isoOf(v);
    if (!iso) ctx.addIssue({ code: "custom", message: "kiosk.errors.birthDate" });
    return iso ?? "";
  }),
});
export type ManualIdentify = z.infer<typeof ManualIdentify>;

export const ConsentCode = z.string().trim().regex(/^\d{6}$/, "kiosk.errors.codeFormat");

/** The last three digits only: the code goes to the phone on record, never shown on screen. */
export const maskPhone = (phone: string) => `${"•".repeat(Math.max(0, phone.length - 3))}${phone.slice(-3)}`;

/** The browser-session cookie of the citizen's display choices at the kiosk (sessions.server.ts). */
export const KIOSK_VIEW_COOKIE = "kiosk_view";

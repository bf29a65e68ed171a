// The letters an agency sends the applicant of a dossier, as A4 PDFs in Vietnamese or English,
// laid out like the model forms of Circular 01/2018/TT-VPCP: the refusal notice ("Phiếu từ chối
// tiếp nhận, giải quyết hồ sơ") and the apology with a new appointment date ("Phiếu xin lỗi và
// hẹn lại ngày trả kết quả"). Same letterhead, fonts (Noto Sans) and writer as the receipt slip.
import {
  CONTENT_WIDTH, field, fitSize, formatReceiptDateTime, GREY, letterhead, MARGIN, startDocument, type ReceiptLocale, type Writer,
} from "~/modules/receipts/receipt-pdf.server";

interface LetterBase {
  locale: ReceiptLocale;
  dossierCode: string;
  procedureName: string;
  agencyName: string;
  applicantName: string;
  applicantIdNumber?: string;
  reason: string;
  officialName: string;
  officialTitle?: string;
  issuedAt: Date;
}

export interface RefusalNoticeInput extends LetterBase {
  submittedAt: Date;
  legalBasis: string;
}

export interface ApologyLetterInput extends LetterBase {
  receivedAt: Date | null;
  previousDueAt: Date | null;
  newDueAt: Date;
}

export const LETTER_LABELS = {
  vi: {
    refusalTitle: "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
    apologyTitle: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    to: (name: string) => `Kính gửi: Ông/Bà ${name}`,
    dossierCode: "Mã hồ sơ",
    procedure: "Thủ tục hành chính",
    idNumber: "Số CCCD/Hộ chiếu",
    submittedAt: "Thời gian nộp hồ sơ",
    receivedAt: "Thời gian tiếp nhận",
    previousDueAt: "Hẹn trả kết quả (đã hẹn)",
    newDueAt: "Hẹn lại ngày trả kết quả",
    refusalIntro: (agency: string) => `${agency} đã nhận được hồ sơ của Ông/Bà với các thông tin sau:`,
    legalBasis: "Căn cứ quy định tại",
    refusalBody: (agency: string) => `Qua xem xét, ${agency} từ chối tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:`,
    refusalClose: "Xin thông báo để Ông/Bà được biết và thực hiện.",
    apologyIntro: (agency: string) => `${agency} đã tiếp nhận hồ sơ của Ông/Bà với các thông tin sau:`,
    apologyLate: "Tuy nhiên, đến nay chưa thể trả kết quả giải quyết hồ sơ cho Ông/Bà đúng hẹn. Lý do:",
    apologyBody: (agency: string, date: string) =>
      `Sự chậm trễ này đã gây phiền hà, tốn kém cho Ông/Bà. ${agency} thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào ngày ${date}.`,
    apologyClose: "Trân trọng!",
    issuer: "NGƯỜI KÝ PHIẾU",
    signHint: "(Ký và ghi rõ họ tên)",
    none: "Không có",
  },
  en: {
    refusalTitle: "NOTICE OF REFUSAL TO RECEIVE AND PROCESS A DOSSIER",
    apologyTitle: "LETTER OF APOLOGY AND NEW APPOINTMENT FOR RESULTS",
    to: (name: string) => `To: ${name}`,
    dossierCode: "Dossier code",
    procedure: "Administrative procedure",
    idNumber: "ID card/Passport No.",
    submittedAt: "Submitted at",
    receivedAt: "Received at",
    previousDueAt: "Results were due",
    newDueAt: "New date for results",
    refusalIntro: (agency: string) => `${agency} has received your dossier:`,
    legalBasis: "Pursuant to",
    refusalBody: (agency: string) => `Having examined it, ${agency} refuses to receive and process this dossier for the following reasons:`,
    refusalClose: "This notice is sent for your information and action.",
    apologyIntro: (agency: string) => `${agency} received your dossier:`,
    apologyLate: "We have not been able to return the result of your dossier on the date we gave you. Reason:",
    apologyBody: (agency: string, date: string) =>
      `We regret the inconvenience and cost this delay causes you. ${agency} sincerely apologises and will return the result on ${date}.`,
    apologyClose: "Yours faithfully,",
    issuer: "ISSUED BY",
    signHint: "(Signature and full name)",
    none: "None",
  },
} as const;

/** dd/MM/yyyy in Asia/Ho_Chi_Minh. */
export const formatLetterDate = (d: Date) => formatReceiptDateTime(d).slice(0, 10);

function title(w: Writer, text: string, code: string, label: string) {
  w.paragraph(text, { font: w.fonts.bold, size: fitSize(w.fonts.bold, text, CONTENT_WIDTH), align: "center", gap: 2 });
  w.paragraph(`${label}: ${code}`, { font: w.fonts.bold, size: 12, align: "center", gap: 14 });
}

function signature(w: Writer, locale: ReceiptLocale, name: string, jobTitle?: string) {
  const L = LETTER_LABELS[locale];
  const half = CONTENT_WIDTH / 2;
  const x = MARGIN.left + half; // the right half, where the issuer signs
  w.ensure(110);
  const top = w.y;
  w.line(L.issuer, { x, top, font: w.fonts.bold, size: 10.5, align: "center", width: half });
  w.line(L.signHint, { x, top: top - 14, font: w.fonts.regular, size: 9.5, align: "center", width: half, color: GREY });
  w.line(name, { x, top: top - 86, font: w.fonts.bold, size: 10.5, align: "center", width: half });
  if (jobTitle) w.line(jobTitle, { x, top: top - 100, font: w.fonts.regular, size: 10, align: "center", width: half });
  w.y = top - 116;
}

/** What both letters open with: letterhead, title and code, the addressee, the intro, the procedure. */
async function opening(input: LetterBase, which: (L: (typeof LETTER_LABELS)[ReceiptLocale]) => { heading: string; intro: string }) {
  const L = LETTER_LABELS[input.locale];
  const { heading, intro } = which(L);
  const { doc, w } = await startDocument({ locale: input.locale, title: `${heading} – ${input.dossierCode}`, subject: input.procedureName, author: input.agencyName, date: input.issuedAt });
  letterhead(w, { locale: input.locale, agencyName: input.agencyName, date: input.issuedAt });
  title(w, heading, input.dossierCode, L.dossierCode);
  w.paragraph(L.to(input.applicantName), { font: w.fonts.bold, gap: 8 });
  w.paragraph(intro, { gap: 4 });
  field(w, L.procedure, input.procedureName);
  if (input.applicantIdNumber) field(w, L.idNumber, input.applicantIdNumber);
  return { doc, w, L };
}

export async function renderRefusalNotice(input: RefusalNoticeInput): Promise<Uint8Array> {
  const { doc, w, L } = await opening(input, (L) => ({ heading: L.refusalTitle, intro: L.refusalIntro(input.agencyName) }));
  field(w, L.submittedAt, formatReceiptDateTime(input.submittedAt));
  w.y -= 8;
  w.paragraph(`${L.legalBasis}: ${input.legalBasis || L.none}.`, { gap: 6 });
  w.paragraph(L.refusalBody(input.agencyName), { gap: 4 });
  w.paragraph(input.reason, { font: w.fonts.bold, gap: 8 });
  w.paragraph(L.refusalClose, { gap: 18 });
  signature(w, input.locale, input.officialName, input.officialTitle);
  return doc.save();
}

export async function renderApologyLetter(input: ApologyLetterInput): Promise<Uint8Array> {
  const { doc, w, L } = await opening(input, (L) => ({ heading: L.apologyTitle, intro: L.apologyIntro(input.agencyName) }));
  if (input.receivedAt) field(w, L.receivedAt, formatReceiptDateTime(input.receivedAt));
  field(w, L.previousDueAt, input.previousDueAt ? formatReceiptDateTime(input.previousDueAt) : L.none);
  w.y -= 8;
  w.paragraph(L.apologyLate, { gap: 4 });
  w.paragraph(input.reason, { font: w.fonts.bold, gap: 8 });
  w.paragraph(L.apologyBody(input.agencyName, formatLetterDate(input.newDueAt)), { gap: 4 });
  field(w, L.newDueAt, formatReceiptDateTime(input.newDueAt));
  w.y -= 8;
  w.paragraph(L.apologyClose, { gap: 18 });
  signature(w, input.locale, input.officialName, input.officialTitle);
  return doc.save();
}

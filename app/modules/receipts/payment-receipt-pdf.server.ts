// The e-receipt of a fee paid online ("Biên lai thu phí, lệ phí điện tử"): who paid, for which
// dossier and procedure, how much (in digits and in Vietnamese words, as receipts write it), the
// PayGov transaction, when, and the agency that collects the fee. Same page, fonts and header as
// the receipt slip (receipt-pdf.server.ts).
import { formatVnd, vndInWords } from "~/lib/format";
import { beginDocument, field, formatReceiptDateTime, GREY, type ReceiptLocale } from "./receipt-pdf.server";

export interface PaymentReceiptInput {
  locale: ReceiptLocale;
  /** Our reference for the payment (MaThamChieu): unique, so it numbers the receipt. */
  reference: string;
  /** PayGov's transaction id (MaGiaoDich). */
  transactionId: string;
  paidAt: Date;
  amountVnd: number;
  payerName: string;
  payerIdNumber?: string;
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  /** The collecting agency: the one that handles the dossier. */
  agencyName: string;
}

export const PAYMENT_RECEIPT_LABELS = {
  vi: {
    title: "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ",
    number: "Số biên lai",
    payer: "Họ tên người nộp",
    payerId: "Số định danh cá nhân",
    dossierCode: "Mã hồ sơ",
    procedure: "Nội dung thu",
    procedureText: (name: string, code: string) => `Phí, lệ phí giải quyết thủ tục hành chính "${name}" (mã ${code})`,
    amount: "Số tiền",
    amountInWords: "Bằng chữ",
    method: "Hình thức thanh toán",
    methodText: "Trực tuyến qua Nền tảng thanh toán trực tuyến quốc gia (PayGov)",
    transaction: "Mã giao dịch PayGov",
    paidAt: "Thời gian thanh toán",
    agency: "Đơn vị thu",
    note: "Biên lai được lập tự động khi Nền tảng thanh toán quốc gia xác nhận giao dịch thành công; không cần chữ ký, đóng dấu.",
    creator: "Cổng Dịch vụ công tỉnh Quảng Ninh",
  },
  en: {
    title: "ELECTRONIC RECEIPT OF FEES AND CHARGES",
    number: "Receipt No.",
    payer: "Paid by",
    payerId: "Personal ID number",
    dossierCode: "Dossier code",
    procedure: "For",
    procedureText: (name: string, code: string) => `Fees and charges for the administrative procedure "${name}" (code ${code})`,
    amount: "Amount",
    amountInWords: "In words (Vietnamese)",
    method: "Payment method",
    methodText: "Online through the National Payment Platform (PayGov)",
    transaction: "PayGov transaction ID",
    paidAt: "Paid at",
    agency: "Collecting agency",
    note: "This receipt is issued automatically when the National Payment Platform confirms the transaction; it needs no signature or seal.",
    creator: "Quang Ninh Province Public Service Portal",
  },
} as const;

/** Renders the e-receipt as an A4 PDF. */
export async function renderPaymentReceiptPdf(input: PaymentReceiptInput): Promise<Uint8Array> {
  const L = PAYMENT_RECEIPT_LABELS[input.locale];
  const { doc, w } = await beginDocument({
    locale: input.locale, agencyName: input.agencyName, date: input.paidAt, title: L.title, id: input.reference,
    subtitle: `${L.number}: ${input.reference}`, subject: input.dossierCode, creator: L.creator,
  });

  field(w, L.payer, input.payerName);
  if (input.payerIdNumber) field(w, L.payerId, input.payerIdNumber);
  field(w, L.dossierCode, input.dossierCode);
  field(w, L.procedure, L.procedureText(input.procedureName, input.procedureCode));
  field(w, L.amount, formatVnd(input.amountVnd, input.locale));
  field(w, L.amountInWords, vndInWords(input.amountVnd));
  field(w, L.method, L.methodText);
  field(w, L.transaction, input.transactionId);
  field(w, L.paidAt, formatReceiptDateTime(input.paidAt));
  field(w, L.agency, input.agencyName);
  w.y -= 10;
  w.paragraph(L.note, { size: 10, color: GREY });
  return doc.save();
}

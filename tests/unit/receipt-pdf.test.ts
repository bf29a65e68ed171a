// The receipt slip: Vietnamese text survives the round trip through the embedded font (it extracts
// back with its diacritics, nothing drawn as an empty box), the QR code decodes to the status URL,
// and times are read in Viet Nam whatever the server's time zone.
import { describe, expect, it } from "vitest";
import { formatReceiptDateTime, RECEIPT_LABELS, renderReceiptPdf, type ReceiptInput } from "~/modules/receipts/receipt-pdf.server";
import { inspectPdf } from "../support/pdf";

const statusUrl = "https://dichvucong.quangninh.gov.vn/tra-cuu/H49.30-250305-0007";

const base: ReceiptInput = {
  locale: "vi",
  dossierCode: "H49.30-250305-0007",
  procedureCode: "1.001234.000.00.00.H49",
  procedureName: "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
  agencyName: "Sở Tư pháp tỉnh Quảng Ninh",
  applicantName: "Nguyễn Thị Hương Giang",
  applicantIdNumber: "022190001234",
  applicantPhone: "0912345678",
  applicantAddress: "Số 12, đường Trần Hưng Đạo, phường Hồng Gai, thành phố Hạ Long, tỉnh Quảng Ninh",
  channelLabel: "Trực tuyến",
  // 09:30 and 16:00 in Hà Nội (UTC+7)
  submittedAt: new Date("2025-03-05T02:30:00Z"),
  appointmentAt: new Date("2025-03-14T09:00:00Z"),
  documents: [
    { name: "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)", original: 1, copies: 0 },
    { name: "Bản chụp Căn cước công dân", original: 0, copies: 1 },
    { name: "Giấy xác nhận thường trú", original: 1, copies: 2 },
  ],
  feeVnd: 200_000,
  feePaid: true,
  statusUrl,
  receivedBy: "Trần Văn Đức",
};

/** Text lines with their inner spacing collapsed, for containment checks across wrapping. */
const flat = (text: string) => text.replace(/\s+/g, " ");

describe("receipt slip PDF", () => {
  it("renders in Vietnamese: the text extracts back with its diacritics and the QR code opens the status page", async () => {
    const pdf = await renderReceiptPdf(base);
    const r = await inspectPdf(pdf);
    const L = RECEIPT_LABELS.vi;

    expect(r.pageCount).toBe(1);
    expect(r.language).toBe("vi-VN");
    expect(r.title).toContain(L.title);
    expect(r.creator).toBe(L.creator);
    expect(r.fonts).toHaveLength(2);
    for (const f of r.fonts) {
      expect(f.embedded).toBe(true);
      expect(f.baseFont).toMatch(/^NotoSans-(Regular|Bold)\b/);
    }
    expect(r.notdefCount).toBe(0);
    expect(r.blankGlyphs).toEqual([]);

    const lines = r.text.split("\n");
    for (const line of [L.nation, L.motto, L.title, "Quảng Ninh, ngày 05 tháng 03 năm 2025", `${L.dossierCode}: ${base.dossierCode}`]) {
      expect(lines).toContain(line);
    }
    const text = flat(r.text);
    for (const s of [
      "SỞ TƯ PHÁP TỈNH QUẢNG NINH", "Nguyễn Thị Hương Giang", "Trần Văn Đức", "022190001234", "0912345678",
      "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam", "1.001234.000.00.00.H49", "Trực tuyến",
      "Tờ khai yêu cầu cấp Phiếu lý lịch", "Bản chụp Căn cước công dân", "Giấy xác nhận thường trú",
      `${L.submittedAt}:`, "05/03/2025 09:30", `${L.appointmentAt}:`, "14/03/2025 16:00",
      "200.000 ₫ (đã nộp)", L.applicantSign, L.receiverSign, L.scan, statusUrl,
    ]) {
      expect(text).toContain(s);
    }

    expect(r.images).toHaveLength(1);
    expect(r.qrCodes).toEqual([statusUrl]);
  });

  it("renders in English, with an unscheduled appointment and an unpaid fee", async () => {
    const url = `${statusUrl}?lang=en`;
    const pdf = await renderReceiptPdf({ ...base, locale: "en", channelLabel: "Online", appointmentAt: null, feePaid: false, statusUrl: url });
    const r = await inspectPdf(pdf);
    const L = RECEIPT_LABELS.en;

    expect(r.language).toBe("en-GB");
    expect(r.notdefCount).toBe(0);
    expect(r.blankGlyphs).toEqual([]);
    const lines = r.text.split("\n");
    for (const line of [L.nation, L.motto, L.title, "Quang Ninh, 05/03/2025"]) expect(lines).toContain(line);
    const text = flat(r.text);
    // Names stay as written, in Vietnamese.
    for (const s of ["Nguyễn Thị Hương Giang", "Sở Tư pháp tỉnh Quảng Ninh", `${L.appointmentAt}:`, L.noAppointment, "VND 200,000 (not paid)", "05/03/2025 09:30", url]) {
      expect(text).toContain(s);
    }
    expect(r.qrCodes).toEqual([url]);
  });

  it("keeps going on a second page when the list of documents is long, and draws unknown characters as '?'", async () => {
    const documents = Array.from({ length: 40 }, (_, i) => ({ name: `Giấy tờ số ${i + 1} — bản kê khai chi tiết`, original: 1, copies: 1 }));
    // Combining marks (NFD input) are composed; an emoji the font lacks becomes "?".
    const pdf = await renderReceiptPdf({ ...base, documents, applicantName: "Nguyễn Văn An 🙂".normalize("NFD") });
    const r = await inspectPdf(pdf);
    expect(r.pageCount).toBeGreaterThan(1);
    expect(r.notdefCount).toBe(0);
    expect(r.blankGlyphs).toEqual([]);
    expect(flat(r.text)).toContain("Giấy tờ số 40");
    expect(flat(r.text)).toContain("Nguyễn Văn An ?");
    expect(r.qrCodes).toEqual([statusUrl]);
  });

  it("formats times as dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh", () => {
    expect(formatReceiptDateTime(new Date("2024-12-31T17:05:00Z"))).toBe("01/01/2025 00:05");
    expect(formatReceiptDateTime(new Date("2025-06-30T23:59:00+07:00"))).toBe("30/06/2025 23:59");
  });
});

// The receipt slip ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") handed to a citizen when a dossier
// is received: an A4 PDF in Vietnamese or English with a QR code to the dossier's status page.
// The standard PDF fonts cannot encode Vietnamese, so Noto Sans (shipped in app/assets/fonts) is
// embedded, subset to the glyphs used.
import fs from "node:fs/promises";
import path from "node:path";
import fontkit, { type Font } from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import QRCode from "qrcode";
import { formatVnd } from "~/lib/format";

export type ReceiptLocale = "vi" | "en";

export interface ReceiptDocument {
  name: string;
  /** Number of originals received. */
  original: number;
  /** Number of copies received. */
  copies: number;
}

export interface ReceiptInput {
  locale: ReceiptLocale;
  dossierCode: string;
  procedureCode: string;
  procedureName: string;
  agencyName: string;
  applicantName: string;
  applicantIdNumber?: string;
  applicantPhone?: string;
  applicantAddress?: string;
  channelLabel: string;
  submittedAt: Date;
  appointmentAt: Date | null;
  documents: ReceiptDocument[];
  feeVnd: number;
  feePaid: boolean;
  /** Public status page of the dossier; the QR code encodes exactly this. */
  statusUrl: string;
  receivedBy?: string;
}

export const RECEIPT_LABELS = {
  vi: {
    nation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    motto: "Độc lập - Tự do - Hạnh phúc",
    place: (d: DateParts) => `Quảng Ninh, ngày ${d.day} tháng ${d.month} năm ${d.year}`,
    title: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    dossierCode: "Mã hồ sơ",
    agency: "Cơ quan tiếp nhận",
    applicant: "Người nộp hồ sơ",
    idNumber: "Số CCCD/Hộ chiếu",
    phone: "Số điện thoại",
    address: "Địa chỉ",
    procedure: "Thủ tục hành chính",
    procedureCode: "Mã thủ tục",
    channel: "Hình thức nộp",
    documents: "Thành phần hồ sơ gồm:",
    noDocuments: "(Không có giấy tờ kèm theo)",
    docNo: "STT",
    docName: "Tên giấy tờ",
    docOriginal: "Bản chính",
    docCopies: "Bản sao",
    fee: "Phí, lệ phí",
    noFee: "Không thu phí",
    feePaid: "đã nộp",
    feeUnpaid: "chưa nộp",
    submittedAt: "Thời gian tiếp nhận",
    appointmentAt: "Thời gian hẹn trả kết quả",
    noAppointment: "Sẽ thông báo sau",
    applicantSign: "NGƯỜI NỘP HỒ SƠ",
    receiverSign: "NGƯỜI TIẾP NHẬN HỒ SƠ",
    signHint: "(Ký và ghi rõ họ tên)",
    scan: "Quét mã QR để tra cứu tình trạng hồ sơ:",
    note: "Lưu ý: Vui lòng mang theo giấy này khi đến nhận kết quả.",
    creator: "Cổng Dịch vụ công tỉnh Quảng Ninh",
  },
  en: {
    nation: "SOCIALIST REPUBLIC OF VIET NAM",
    motto: "Independence - Freedom - Happiness",
    place: (d: DateParts) => `Quang Ninh, ${d.day}/${d.month}/${d.year}`,
    title: "RECEIPT OF DOSSIER AND APPOINTMENT FOR RESULTS",
    dossierCode: "Dossier code",
    agency: "Receiving agency",
    applicant: "Applicant",
    idNumber: "ID card/Passport No.",
    phone: "Phone",
    address: "Address",
    procedure: "Administrative procedure",
    procedureCode: "Procedure code",
    channel: "Submitted via",
    documents: "Documents received:",
    noDocuments: "(No documents attached)",
    docNo: "No.",
    docName: "Document",
    docOriginal: "Originals",
    docCopies: "Copies",
    fee: "Fees and charges",
    noFee: "No fee",
    feePaid: "paid",
    feeUnpaid: "not paid",
    submittedAt: "Received at",
    appointmentAt: "Results due",
    noAppointment: "To be announced",
    applicantSign: "APPLICANT",
    receiverSign: "RECEIVING OFFICER",
    signHint: "(Signature and full name)",
    scan: "Scan the QR code to check the status of your dossier:",
    note: "Note: Please bring this receipt when you collect the result.",
    creator: "Quang Ninh Province Public Service Portal",
  },
} as const;

export interface DateParts {
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
}

const vnClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});

/** The calendar and clock in Viet Nam (Asia/Ho_Chi_Minh), whatever the server's time zone. */
export function vnDateParts(date: Date): DateParts {
  const parts = vnClock.formatToParts(date);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? "";
  return { day: get("day"), month: get("month"), year: get("year"), hour: get("hour"), minute: get("minute") };
}

/** dd/MM/yyyy HH:mm in Asia/Ho_Chi_Minh. */
export function formatReceiptDateTime(date: Date): string {
  const d = vnDateParts(date);
  return `${d.day}/${d.month}/${d.year} ${d.hour}:${d.minute}`;
}

// ---- fonts -------------------------------------------------------------------------------------

/** Widths and coverage read straight from the font: pdf-lib's widthOfTextAtSize shapes the text
 * with fontkit on every call (milliseconds each), far too slow for word wrapping. */
interface Metrics {
  has(codePoint: number): boolean;
  width(text: string, size: number): number;
}

function metricsOf(font: Font): Metrics {
  const chars = new Set(font.characterSet);
  const advance = new Map<number, number>();
  return {
    has: (cp) => chars.has(cp),
    width(text, size) {
      let units = 0;
      for (const c of text) {
        const cp = c.codePointAt(0)!;
        let a = advance.get(cp);
        if (a === undefined) advance.set(cp, (a = font.glyphForCodePoint(cp).advanceWidth));
        units += a;
      }
      return (units * size) / font.unitsPerEm;
    },
  };
}

interface FontFile {
  bytes: Uint8Array;
  metrics: Metrics;
}

// Resolved from the working directory, not import.meta.url: Remix bundles server code into build/.
const FONT_DIR = path.join(process.cwd(), "app", "assets", "fonts");
let fontFiles: Promise<{ regular: FontFile; bold: FontFile }> | undefined;

function loadFontFiles() {
  const load = async (file: string): Promise<FontFile> => {
    const bytes = await fs.readFile(path.join(FONT_DIR, file));
    // A parse of its own: pdf-lib parses the bytes again per document, and sharing one fontkit
    // Font between documents corrupts their ToUnicode maps (fontkit caches glyph objects).
    return { bytes, metrics: metricsOf(fontkit.create(bytes)) };
  };
  fontFiles ??= Promise.all([load("NotoSans-Regular.ttf"), load("NotoSans-Bold.ttf")]).then(
    ([regular, bold]) => ({ regular, bold }),
    (e: unknown) => {
      fontFiles = undefined; // let the next receipt try again
      throw e;
    },
  );
  return fontFiles;
}

/** An empty PDF with Noto Sans regular and bold embedded (subset to the glyphs drawn). */
async function newDocument(): Promise<{ doc: PDFDocument; fonts: Fonts }> {
  const files = await loadFontFiles();
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fonts: Fonts = {
    regular: { pdf: await doc.embedFont(files.regular.bytes, { subset: true }), metrics: files.regular.metrics },
    bold: { pdf: await doc.embedFont(files.bold.bytes, { subset: true }), metrics: files.bold.metrics },
  };
  return { doc, fonts };
}


// ---- layout ------------------------------------------------------------------------------------

const A4: [number, number] = [595.28, 841.89];
export const MARGIN = { left: 57, right: 42, top: 48, bottom: 48 }; // ≈ 20 mm / 15 mm / 17 mm
export const CONTENT_WIDTH = A4[0] - MARGIN.left - MARGIN.right;
const INK = rgb(0, 0, 0);
export const GREY = rgb(0.35, 0.35, 0.35);

export interface Face {
  pdf: PDFFont;
  metrics: Metrics;
}

export interface Fonts {
  regular: Face;
  bold: Face;
}

/** Lays text out top-down across as many pages as it takes. */
export class Writer {
  page: PDFPage;
  y: number;

  constructor(private doc: PDFDocument, readonly fonts: Fonts) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN.top;
  }

  /** Starts a new page when fewer than `height` points are left; true when it did. */
  ensure(height: number): boolean {
    if (this.y - height >= MARGIN.bottom) return false;
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN.top;
    return true;
  }

  /** NFC (combining marks would be drawn beside their letter), one line, no unknown glyphs. */
  clean(text: string, face: Face): string {
    return [...text.normalize("NFC").replace(/\s+/g, " ").trim()]
      .map((c) => (face.metrics.has(c.codePointAt(0)!) ? c : "?"))
      .join("");
  }

  /** Word-wraps to `width`; a word longer than a line (a URL) is broken between characters. */
  wrap(text: string, face: Face, size: number, width: number): string[] {
    const fits = (s: string) => face.metrics.width(s, size) <= width;
    const lines: string[] = [];
    let line = "";
    for (const word of this.clean(text, face).split(" ")) {
      const candidate = line ? `${line} ${word}` : word;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = "";
      let rest = [...word];
      while (!fits(rest.join(""))) {
        let n = rest.length - 1;
        while (n > 1 && !fits(rest.slice(0, n).join(""))) n--;
        lines.push(rest.slice(0, n).join(""));
        rest = rest.slice(n);
      }
      line = rest.join("");
    }
    if (line || lines.length === 0) lines.push(line);
    return lines;
  }

  /** Draws one line (cleaned, not wrapped) with its baseline `size` below `top`; returns its width. */
  line(raw: string, o: { x: number; top: number; font: Face; size: number; align?: "left" | "center"; width?: number; color?: typeof INK }) {
    const text = this.clean(raw, o.font);
    const w = o.font.metrics.width(text, o.size);
    const x = o.align === "center" ? o.x + ((o.width ?? CONTENT_WIDTH) - w) / 2 : o.x;
    this.page.drawText(text, { x, y: o.top - o.size, font: o.font.pdf, size: o.size, color: o.color ?? INK });
    return w;
  }

  /** A wrapped paragraph at the cursor; returns its height. */
  paragraph(text: string, o: { x?: number; width?: number; font?: Face; size?: number; align?: "left" | "center"; gap?: number; color?: typeof INK }) {
    const font = o.font ?? this.fonts.regular;
    const size = o.size ?? 11;
    const width = o.width ?? CONTENT_WIDTH;
    const leading = size * 1.35;
    const lines = this.wrap(text, font, size, width);
    this.ensure(lines.length * leading);
    for (const l of lines) {
      this.line(l, { x: o.x ?? MARGIN.left, top: this.y, font, size, align: o.align, width, color: o.color });
      this.y -= leading;
    }
    this.y -= o.gap ?? 0;
    return lines.length * leading;
  }
}

/** Label in regular, value in bold, the value wrapping under itself. */
export function field(w: Writer, label: string, value: string) {
  const size = 11;
  const leading = size * 1.4;
  const labelWidth = 168;
  const lines = w.wrap(value, w.fonts.bold, size, CONTENT_WIDTH - labelWidth);
  w.ensure(lines.length * leading);
  w.line(`${label}:`, { x: MARGIN.left, top: w.y, font: w.fonts.regular, size });
  for (const l of lines) {
    w.line(l, { x: MARGIN.left + labelWidth, top: w.y, font: w.fonts.bold, size });
    w.y -= leading;
  }
}

/** The agency (left) and the national motto with place and date (right), as on every official letter. */
export function letterhead(w: Writer, input: { locale: ReceiptLocale; agencyName: string; date: Date }) {
  const L = RECEIPT_LABELS[input.locale];
  const { regular, bold } = w.fonts;
  const leftWidth = CONTENT_WIDTH * 0.42;
  const rightX = MARGIN.left + leftWidth;
  const rightWidth = CONTENT_WIDTH - leftWidth;
  const top = w.y;

  // Left: the receiving agency, underlined with a short rule.
  let y = top;
  for (const l of w.wrap(input.agencyName.toLocaleUpperCase("vi"), bold, 10.5, leftWidth - 8)) {
    w.line(l, { x: MARGIN.left, top: y, font: bold, size: 10.5, align: "center", width: leftWidth });
    y -= 14;
  }
  const ruleLeft = MARGIN.left + leftWidth / 2 - 30;
  w.page.drawLine({ start: { x: ruleLeft, y: y - 2 }, end: { x: ruleLeft + 60, y: y - 2 }, thickness: 0.6, color: INK });
  const leftBottom = y - 8;

  // Right: the national motto and the place and date.
  y = top;
  const nationSize = Math.min(11, fitSize(bold, L.nation, rightWidth));
  w.line(L.nation, { x: rightX, top: y, font: bold, size: nationSize, align: "center", width: rightWidth });
  y -= 15;
  const mottoWidth = w.line(L.motto, { x: rightX, top: y, font: bold, size: 11.5, align: "center", width: rightWidth });
  y -= 16;
  const mottoLeft = rightX + (rightWidth - mottoWidth) / 2;
  w.page.drawLine({ start: { x: mottoLeft, y: y - 1 }, end: { x: mottoLeft + mottoWidth, y: y - 1 }, thickness: 0.6, color: INK });
  y -= 10;
  w.line(L.place(vnDateParts(input.date)), { x: rightX, top: y, font: regular, size: 10.5, align: "center", width: rightWidth });
  y -= 14;

  w.y = Math.min(leftBottom, y) - 18;
}

/** A new A4 document with Noto Sans embedded (subset) and its metadata set, ready to write on. */
export async function startDocument(meta: { locale: ReceiptLocale; title: string; subject: string; author: string; date: Date; creator?: string }) {
  const creator = meta.creator ?? RECEIPT_LABELS[meta.locale].creator;
  const { doc, fonts } = await newDocument();
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setAuthor(meta.author);
  doc.setCreator(creator);
  doc.setProducer(creator);
  doc.setLanguage(meta.locale === "vi" ? "vi-VN" : "en-GB");
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  return { doc, fonts, w: new Writer(doc, fonts) };
}

/**
 * A new A4 document issued by an agency: its properties (title bar, language for screen readers,
 * dates) set, and its first page begun with the letterhead, the title and the line under it.
 */
export async function beginDocument(d: {
  locale: ReceiptLocale; agencyName: string; date: Date; title: string; id: string; subtitle: string; subject: string; creator: string;
}): Promise<{ doc: PDFDocument; w: Writer }> {
  const { doc, fonts, w } = await startDocument({ locale: d.locale, title: `${d.title} – ${d.id}`, subject: d.subject, author: d.agencyName, date: d.date, creator: d.creator });
  letterhead(w, d);
  w.paragraph(d.title, { font: fonts.bold, size: fitSize(fonts.bold, d.title, CONTENT_WIDTH), align: "center", gap: 2 });
  w.paragraph(d.subtitle, { font: fonts.bold, size: 12, align: "center", gap: 14 });
  return { doc, w };
}

/** The largest size (≤ 14) at which `text` fits on one line of `width`. */
export function fitSize(font: Face, text: string, width: number, max = 14) {
  const at1 = font.metrics.width(text, 1);
  return Math.min(max, Math.floor((width / at1) * 10) / 10);
}

function documentsTable(w: Writer, input: ReceiptInput) {
  const L = RECEIPT_LABELS[input.locale];
  const { regular, bold } = w.fonts;
  const size = 10.5;
  const leading = size * 1.3;
  const pad = 4;
  const cols = [36, CONTENT_WIDTH - 36 - 70 - 70, 70, 70];
  const xs = cols.map((_, i) => MARGIN.left + cols.slice(0, i).reduce((a, b) => a + b, 0));

  const headings = [L.docNo, L.docName, L.docOriginal, L.docCopies];
  const row = (cells: string[], font: Face, centerFrom: number) => {
    const wrapped = cells.map((c, i) => w.wrap(c, font, size, cols[i] - 2 * pad));
    const height = Math.max(...wrapped.map((l) => l.length)) * leading + 2 * pad;
    // On a new page the table starts again with its headings.
    if (w.ensure(height) && cells !== headings) row(headings, bold, 1);
    const top = w.y;
    wrapped.forEach((lines, i) => {
      lines.forEach((l, k) => {
        const align = i === 0 || i >= centerFrom ? "center" : "left";
        w.line(l, { x: xs[i] + pad, top: top - pad - k * leading, font, size, align, width: cols[i] - 2 * pad });
      });
      w.page.drawRectangle({ x: xs[i], y: top - height, width: cols[i], height, borderColor: INK, borderWidth: 0.6 });
    });
    w.y = top - height;
  };

  w.ensure(3 * leading + 4 * pad); // not the headings alone at the foot of a page
  row(headings, bold, 1);
  input.documents.forEach((d, i) => row([String(i + 1), d.name, String(d.original), String(d.copies)], regular, 2));
  w.y -= 10;
}

function signatures(w: Writer, input: ReceiptInput) {
  const L = RECEIPT_LABELS[input.locale];
  const half = CONTENT_WIDTH / 2;
  w.ensure(110);
  const top = w.y;
  const block = (x: number, title: string, name: string | undefined) => {
    w.line(title, { x, top, font: w.fonts.bold, size: 10.5, align: "center", width: half });
    w.line(L.signHint, { x, top: top - 14, font: w.fonts.regular, size: 9.5, align: "center", width: half, color: GREY });
    if (name) w.line(name, { x, top: top - 86, font: w.fonts.bold, size: 10.5, align: "center", width: half });
  };
  block(MARGIN.left, L.applicantSign, input.applicantName);
  block(MARGIN.left + half, L.receiverSign, input.receivedBy);
  w.y = top - 112;
}

async function qrBlock(w: Writer, doc: PDFDocument, input: ReceiptInput) {
  const L = RECEIPT_LABELS[input.locale];
  // 4 px per module and the standard 4-module quiet zone: crisp when printed, decodable from pixels.
  const png = await QRCode.toBuffer(input.statusUrl, { type: "png", errorCorrectionLevel: "M", margin: 4, scale: 4 });
  const image = await doc.embedPng(png);
  const side = 100;
  const urlLines = w.wrap(input.statusUrl, w.fonts.regular, 9, CONTENT_WIDTH);
  w.ensure(16 + side + 6 + urlLines.length * 12);
  w.paragraph(L.scan, { size: 10, gap: 2 });
  w.page.drawImage(image, { x: MARGIN.left, y: w.y - side, width: side, height: side });
  w.y -= side + 4;
  for (const l of urlLines) {
    w.line(l, { x: MARGIN.left, top: w.y, font: w.fonts.regular, size: 9 });
    w.y -= 12;
  }
}

/** Renders the receipt slip as an A4 PDF. */
export async function renderReceiptPdf(input: ReceiptInput): Promise<Uint8Array> {
  const L = RECEIPT_LABELS[input.locale];
  const { doc, w } = await beginDocument({
    locale: input.locale, agencyName: input.agencyName, date: input.submittedAt, title: L.title, id: input.dossierCode,
    subtitle: `${L.dossierCode}: ${input.dossierCode}`, subject: input.procedureName, creator: L.creator,
  });
  const fonts = w.fonts;

  field(w, L.agency, input.agencyName);
  field(w, L.applicant, input.applicantName);
  if (input.applicantIdNumber) field(w, L.idNumber, input.applicantIdNumber);
  if (input.applicantPhone) field(w, L.phone, input.applicantPhone);
  if (input.applicantAddress) field(w, L.address, input.applicantAddress);
  field(w, L.procedure, input.procedureName);
  field(w, L.procedureCode, input.procedureCode);
  field(w, L.channel, input.channelLabel);
  w.y -= 6;

  w.ensure(80); // the heading together with the first rows of the table
  w.paragraph(L.documents, { font: fonts.bold, gap: 4 });
  if (input.documents.length) documentsTable(w, input);
  else w.paragraph(L.noDocuments, { gap: 8 });

  const fee = input.feeVnd > 0 ? `${formatVnd(input.feeVnd, input.locale)} (${input.feePaid ? L.feePaid : L.feeUnpaid})` : L.noFee;
  field(w, L.fee, fee);
  field(w, L.submittedAt, formatReceiptDateTime(input.submittedAt));
  field(w, L.appointmentAt, input.appointmentAt ? formatReceiptDateTime(input.appointmentAt) : L.noAppointment);
  w.y -= 8;
  w.paragraph(L.note, { size: 10, color: GREY, gap: 14 });

  signatures(w, input);
  await qrBlock(w, doc, input);

  return doc.save();
}

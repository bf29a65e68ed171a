// The citizen-facing pages of the PayGov mock: the payment page, the "already handled" page and
// plain messages. Server-rendered HTML in the INIT's language (NgonNgu), no script; built to pass
// axe WCAG 2.2 AA: lang, title, landmarks, one h1, a fieldset with a legend around labelled radio
// buttons, targets ≥ 24 px, contrast ≥ 4.5:1, visible focus.
import crypto from "node:crypto";
import { FEE_KIND, PAY_PAGE_PREFIX } from "../contract";
import type { Transaction } from "./store";

export type Lang = "vi" | "en";

export const PAYMENT_METHODS = [
  { value: "ATM", vi: "Thẻ ATM nội địa (NAPAS)", en: "Domestic ATM card (NAPAS)" },
  { value: "CARD", vi: "Thẻ quốc tế (Visa, Mastercard, JCB)", en: "International card (Visa, Mastercard, JCB)" },
  { value: "QR", vi: "Chuyển khoản bằng mã QR (VietQR)", en: "Bank transfer by QR code (VietQR)" },
  { value: "WALLET", vi: "Ví điện tử", en: "E-wallet" },
] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]["value"];

const T = {
  vi: {
    banner: "Nền tảng thanh toán trực tuyến quốc gia (PayGov) · MÔI TRƯỜNG THỬ NGHIỆM",
    suffix: "PayGov (môi trường thử nghiệm)",
    h1: "Thanh toán phí, lệ phí",
    note: "Đây là môi trường thử nghiệm: không có khoản tiền thật nào được chuyển.",
    amount: "Số tiền",
    description: "Nội dung",
    partner: "Đơn vị thụ hưởng",
    transaction: "Mã giao dịch",
    reference: "Mã tham chiếu",
    dossier: "Mã hồ sơ",
    procedure: "Mã thủ tục hành chính",
    fees: "Chi tiết các khoản phí, lệ phí",
    item: "Khoản",
    kind: "Loại",
    kinds: { [FEE_KIND.FEE]: "Phí", [FEE_KIND.CHARGE]: "Lệ phí" },
    methods: "Phương thức thanh toán",
    pay: "Thanh toán",
    cancel: "Hủy",
    paidTitle: "Giao dịch đã được thanh toán",
    cancelledTitle: "Giao dịch đã bị hủy",
    handled: "Giao dịch này đã được xử lý; không thể thanh toán lại.",
    back: "Quay lại trang của đơn vị thụ hưởng",
    footer: "Trang mô phỏng phục vụ kiểm thử tích hợp.",
  },
  en: {
    banner: "National online payment platform (PayGov) · TEST ENVIRONMENT",
    suffix: "PayGov (test environment)",
    h1: "Pay fees and charges",
    note: "This is a test environment: no real money is moved.",
    amount: "Amount",
    description: "Description",
    partner: "Payee",
    transaction: "Transaction ID",
    reference: "Reference",
    dossier: "Dossier code",
    procedure: "Procedure code",
    fees: "Fees and charges",
    item: "Item",
    kind: "Type",
    kinds: { [FEE_KIND.FEE]: "Fee", [FEE_KIND.CHARGE]: "Charge" },
    methods: "Payment method",
    pay: "Pay",
    cancel: "Cancel",
    paidTitle: "This transaction has been paid",
    cancelledTitle: "This transaction was cancelled",
    handled: "This transaction has already been handled and cannot be paid again.",
    back: "Back to the payee's site",
    footer: "A simulated page for integration testing.",
  },
} as const;

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f4f4f4}
header{background:#0b4f9c;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:700}
main{max-width:42rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border:1px solid #c8c8c8;border-radius:4px}
footer{max-width:42rem;margin:0 auto 1.5rem;padding:0 1rem;color:#4a4a4a;font-size:.9rem}
h1{font-size:1.5rem;margin:0 0 1rem}
.note{background:#fff4ce;border-left:4px solid #8a6d00;padding:.5rem .75rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0}
dt{font-weight:700}
dd{margin:0;overflow-wrap:anywhere}
.amount{font-size:1.35rem;font-weight:700}
table{border-collapse:collapse;width:100%;margin:1rem 0}
caption{text-align:left;font-weight:700;padding-bottom:.25rem}
th,td{border:1px solid #c8c8c8;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#ececec}
td.num,th.num{text-align:right;white-space:nowrap}
fieldset{border:1px solid #8a8a8a;border-radius:4px;margin:1.25rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:700;padding:0 .25rem}
.choice{display:flex;align-items:center;gap:.5rem;margin-top:.5rem}
.choice input{width:1.5rem;height:1.5rem;margin:0;accent-color:#0b4f9c}
.choice label{padding:.25rem 0}
.actions{display:flex;flex-wrap:wrap;gap:1rem;margin-top:1rem}
button{min-height:2.75rem;padding:.6rem 1.5rem;font-size:1rem;font-weight:700;border:2px solid #0b4f9c;border-radius:4px;cursor:pointer}
button.primary{color:#fff;background:#0b4f9c}
button.primary:hover{background:#083a73;border-color:#083a73}
button.secondary{color:#0b4f9c;background:#fff}
button.secondary:hover{background:#e8f0fa}
a{color:#0b4f9c}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px}
code{font-family:ui-monospace,Consolas,monospace}
`;

const styleHash = crypto.createHash("sha256").update(CSS).digest("base64");

/** No script at all; the form posts to the mock itself, which answers with a redirect to the partner. */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'`;

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string);

/** 20000 → "20.000 ₫" (vi) or "VND 20,000" (en). */
export const formatVnd = (amount: number, lang: Lang) =>
  new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { style: "currency", currency: "VND", currencyDisplay: lang === "vi" ? "symbol" : "code" }).format(amount);

export const langOf = (tx: Transaction): Lang => tx.request.NgonNgu ?? "vi";

function layout(lang: Lang, title: string, body: string): string {
  const t = T[lang];
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} – ${t.suffix}</title>
<style>${CSS}</style>
</head>
<body>
<header><p>${t.banner}</p></header>
<main>
${body}
</main>
<footer><p>${t.footer}</p></footer>
</body>
</html>`;
}

function details(tx: Transaction, lang: Lang): string {
  const t = T[lang];
  const r = tx.request;
  const row = (label: string, value: string, cls = "") => `<dt>${label}</dt><dd${cls ? ` class="${cls}"` : ""}>${value}</dd>`;
  return `<dl>
${row(t.amount, escapeHtml(formatVnd(r.SoTien, lang)), "amount")}
${row(t.description, escapeHtml(r.ThongTinGiaoDich))}
${row(t.partner, escapeHtml(r.MaDoiTac))}
${row(t.transaction, `<code>${escapeHtml(tx.MaGiaoDich)}</code>`)}
${row(t.reference, `<code>${escapeHtml(r.MaThamChieu)}</code>`)}
${r.BienLai.MaHoSo ? row(t.dossier, `<code>${escapeHtml(r.BienLai.MaHoSo)}</code>`) : ""}
${row(t.procedure, `<code>${escapeHtml(r.BienLai.MaTTHC)}</code>`)}
</dl>`;
}

export function paymentPage(tx: Transaction): { title: string; html: string } {
  const lang = langOf(tx);
  const t = T[lang];
  const r = tx.request;
  const fees = r.BienLai.PhiLePhi.map(
    (f) => `<tr><td>${escapeHtml(f.MoTa)}</td><td>${t.kinds[f.LoaiPhiLePhi]}</td><td class="num">${escapeHtml(formatVnd(f.SoTien, lang))}</td></tr>`,
  ).join("\n");
  const methods = PAYMENT_METHODS.map(
    (m, i) => `<div class="choice"><input type="radio" id="pt-${m.value}" name="PhuongThuc" value="${m.value}"${i === 0 ? " checked" : ""}><label for="pt-${m.value}">${escapeHtml(m[lang])}</label></div>`,
  ).join("\n");
  const title = `${t.h1}: ${formatVnd(r.SoTien, lang)}`;
  const html = layout(lang, title, `<h1>${t.h1}</h1>
<p class="note">${t.note}</p>
${details(tx, lang)}
<table>
<caption>${t.fees}</caption>
<thead><tr><th scope="col">${t.item}</th><th scope="col">${t.kind}</th><th scope="col" class="num">${t.amount}</th></tr></thead>
<tbody>
${fees}
</tbody>
</table>
<form method="post" action="${PAY_PAGE_PREFIX}${encodeURIComponent(tx.MaGiaoDich)}">
<fieldset>
<legend>${t.methods}</legend>
${methods}
</fieldset>
<div class="actions">
<button type="submit" class="primary" name="action" value="pay">${t.pay}</button>
<button type="submit" class="secondary" name="action" value="cancel">${t.cancel}</button>
</div>
</form>`);
  return { title, html };
}

/** The pay link visited again after the citizen paid or cancelled: say so, link back (signed). */
export function handledPage(tx: Transaction, returnHref: string): string {
  const lang = langOf(tx);
  const t = T[lang];
  const h1 = tx.status === "paid" ? t.paidTitle : t.cancelledTitle;
  return layout(lang, h1, `<h1>${h1}</h1>
<p>${t.handled}</p>
${details(tx, lang)}
<p><a href="${escapeHtml(returnHref)}">${t.back}</a></p>`);
}

export function messagePage(lang: Lang, title: string, text: string): string {
  return layout(lang, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
}

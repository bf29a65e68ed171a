// The national portal's citizen pages the province links to in the single-portal model
// (CITIZEN_FRONT=national): the filing page a procedure page hands over to, and a dossier's page
// "my dossiers" links to. Minimal on purpose: they name what was asked for, honestly say what this
// mock does not do yet (VNeID sign-in, the e-form, uploads, payment), and carry no personal data.
import { z } from "zod";
import { esc } from "./admin";
import type { NationalService } from "./service";
import type { Store } from "./store";

const FilingQuery = z.object({
  MaTTHC: z.string().regex(/^\d\.\d{6}$/),
  // the full electronic code, or the short form live links use (H49, H49.22)
  MaCoQuanThucHien: z.string().regex(/^(\d{3}\.\d{2}\.\d{2}\.H\d{2}|H\d{2}(\.\d{1,3})?)$/),
});

const STATUS: Record<number, string> = {
  1: "Mới đăng ký", 2: "Được tiếp nhận", 3: "Không được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung giấy tờ",
  6: "Yêu cầu thực hiện nghĩa vụ tài chính", 7: "Công dân yêu cầu rút hồ sơ", 8: "Dừng xử lý", 9: "Đã xử lý xong", 10: "Đã trả kết quả",
};

const page = (title: string, body: string) => `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} | Cổng Dịch vụ công quốc gia (mock)</title><style>body{font-family:sans-serif;margin:1rem;max-width:48rem;line-height:1.5;color:#1a1a1a}dt{font-weight:bold}</style></head>
<body><header><p>Cổng Dịch vụ công quốc gia — bản giả lập cho phát triển và kiểm thử</p></header><main><h1>${esc(title)}</h1>
${body}</main></body></html>`;

// yyyyMMddHHmmss → dd/MM/yyyy HH:mm, as the national portal shows times
const shown = (d14: string) => (/^\d{14}$/.test(d14) ? `${d14.slice(6, 8)}/${d14.slice(4, 6)}/${d14.slice(0, 4)} ${d14.slice(8, 10)}:${d14.slice(10, 12)}` : d14);

export type CitizenPage = { status: number; html: string };

/** GET /nop-ho-so?MaTTHC=…&MaCoQuanThucHien=…: the procedure and agency the citizen is filing with. */
export function filingPage(service: NationalService, params: URLSearchParams): CitizenPage {
  const q = FilingQuery.safeParse({ MaTTHC: params.get("MaTTHC") ?? undefined, MaCoQuanThucHien: params.get("MaCoQuanThucHien") ?? undefined });
  if (!q.success) return { status: 400, html: page("Đường dẫn không hợp lệ", "<p>Cần mã thủ tục (MaTTHC, dạng 1.004222) và mã cơ quan thực hiện (MaCoQuanThucHien).</p>") };
  const proc = service.procedures.find((p) => p.MaTTHC === q.data.MaTTHC);
  const code = q.data.MaCoQuanThucHien;
  // a short form names the province: its unit (000.00.00.H49)
  const agency = service.agencies.find((a) => a.MaCoQuan === (code.includes(".H") ? code : service.unitOf(code.split(".")[0])));
  if (!proc || !agency) return { status: 404, html: page("Không tìm thấy", `<p>Không có thủ tục ${esc(q.data.MaTTHC)} hoặc cơ quan ${esc(code)} trong danh mục.</p>`) };
  return {
    status: 200,
    html: page(`Nộp hồ sơ: ${proc.TenTTHC}`, `<dl data-testid="national-filing">
<dt>Thủ tục</dt><dd><span data-testid="procedure-name">${esc(proc.TenTTHC)}</span> (<span data-testid="procedure-code">${esc(proc.MaTTHC)}</span>)</dd>
<dt>Lĩnh vực</dt><dd>${esc(proc.LinhVuc)}</dd>
<dt>Cơ quan thực hiện</dt><dd><span data-testid="agency-name">${esc(agency.TenCoQuan)}</span> (<span data-testid="agency-code">${esc(code)}</span>)</dd>
</dl>
<p>Bản giả lập chưa có hành trình nộp trên trang này (đăng nhập VNeID, biểu mẫu điện tử, tải tệp, thanh toán).
Hệ thống tích hợp nộp hồ sơ qua API: <code>POST /api/citizen/filings</code>; hồ sơ được chuyển về tỉnh giải quyết.</p>`),
  };
}

/** GET /tra-cuu-ho-so?MaHoSo=…: a dossier's status and progress as the national side holds them. */
export async function dossierPage(store: Store, params: URLSearchParams): Promise<CitizenPage> {
  const code = params.get("MaHoSo") ?? "";
  if (!/^[\w.-]{1,60}$/.test(code)) return { status: 400, html: page("Mã hồ sơ không hợp lệ", "<p>Cần mã hồ sơ (MaHoSo).</p>") };
  const [d] = await store.query<{ status: number; data: { TenTTHC?: string } }>("select status, data from mock_national.dossiers where ma_ho_so = $1", [code]);
  if (!d) return { status: 404, html: page("Không tìm thấy hồ sơ", `<p>Cổng quốc gia chưa có hồ sơ ${esc(code)}.</p>`) };
  const progress = await store.query<{ status: number; at: string }>("select status, at from mock_national.progress where ma_ho_so = $1 and not duplicate order by id", [code]);
  return {
    status: 200,
    html: page(`Hồ sơ ${code}`, `<dl><dt>Mã hồ sơ</dt><dd data-testid="dossier-code">${esc(code)}</dd><dt>Thủ tục</dt><dd>${esc(d.data.TenTTHC)}</dd>
<dt>Trạng thái</dt><dd data-testid="dossier-status">${esc(STATUS[d.status] ?? d.status)}</dd></dl>
<h2>Quá trình xử lý</h2><ol>${progress.map((p) => `<li>${esc(STATUS[p.status] ?? p.status)} — ${esc(shown(p.at))}</li>`).join("")}</ol>`),
  };
}

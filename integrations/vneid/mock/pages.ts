// The pages a tester sees on the VNeID mock: login, sign-out, signed-out, errors and a start page.
// Plain server-rendered HTML in Vietnamese, no script; built to pass axe WCAG 2.2 AA (lang, title,
// landmarks, labelled inputs, an error announced with role="alert", contrast ≥ 4.5:1, visible focus).
import crypto from "node:crypto";
import type { TestCitizen } from "../../population/fixtures";

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f4f4f4}
header{background:#a4161a;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:700}
main{max-width:46rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border:1px solid #c8c8c8;border-radius:4px}
h1{font-size:1.5rem;margin:0 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.note{background:#fff4ce;border-left:4px solid #8a6d00;padding:.5rem .75rem}
.error{background:#fdecea;border-left:4px solid #a4161a;color:#7a0d10;padding:.5rem .75rem;font-weight:700}
label{display:block;font-weight:700;margin-top:1rem}
input[type=text],input[type=password]{display:block;width:100%;max-width:22rem;padding:.5rem;font-size:1rem;border:2px solid #595959;border-radius:4px;color:#1a1a1a;background:#fff}
input[aria-invalid=true]{border-color:#a4161a}
button{margin-top:1.25rem;padding:.6rem 1.25rem;font-size:1rem;font-weight:700;color:#fff;background:#a4161a;border:2px solid #a4161a;border-radius:4px;cursor:pointer}
button:hover{background:#7a0d10}
a{color:#0b4f9c}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
table{border-collapse:collapse;width:100%;margin-top:.5rem;font-size:.95rem}
caption{text-align:left;font-weight:700;padding-bottom:.25rem}
th,td{border:1px solid #c8c8c8;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#ececec}
dt{font-weight:700}
dd{margin:0 0 .5rem}
code{font-family:ui-monospace,Consolas,monospace}
`;

const styleHash = crypto.createHash("sha256").update(CSS).digest("base64");

/**
 * The mock's Content-Security-Policy. script-src is present (not 'none') because oidc-provider adds
 * the hash of its one inline script (the auto-submitting sign-out form shown when there is no session)
 * to script-src; no form-action, because form posts here end in redirects to the portal and browsers
 * check form-action against every redirect.
 */
export const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'sha256-${styleHash}'; script-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'`;

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string);

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} – VNeID (môi trường thử nghiệm)</title>
<style>${CSS}</style>
</head>
<body>
<header><p>Cổng Dịch vụ công quốc gia · Đăng nhập bằng VNeID · MÔI TRƯỜNG THỬ NGHIỆM</p></header>
<main>
${body}
</main>
</body>
</html>`;
}

const dateVi = (iso: string) => iso.split("-").reverse().join("/");

export function citizensTable(citizens: readonly TestCitizen[], password: string): string {
  const rows = citizens
    .map((c) => `<tr><td>${escapeHtml(c.fullName)}</td><td><code>${c.identityNumber}</code></td><td>${dateVi(c.birthDate)}</td><td>${c.sex}</td><td>${escapeHtml(c.permanentAddress.communeName)}</td></tr>`)
    .join("\n");
  return `<table>
<caption>Công dân thử nghiệm (mật khẩu chung: <code>${escapeHtml(password)}</code>)</caption>
<thead><tr><th scope="col">Họ và tên</th><th scope="col">Số định danh cá nhân</th><th scope="col">Ngày sinh</th><th scope="col">Giới tính</th><th scope="col">Nơi thường trú</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

export interface LoginPageInput {
  action: string;
  clientName: string;
  identityNumber?: string;
  error?: string;
  citizens: readonly TestCitizen[];
  password: string;
}

export function loginPage(p: LoginPageInput): string {
  const invalid = p.error ? ` aria-invalid="true" aria-describedby="loi-dang-nhap"` : "";
  return layout(
    p.error ? "Lỗi: Đăng nhập" : "Đăng nhập",
    `<h1>Đăng nhập bằng tài khoản định danh điện tử</h1>
<p><strong>${escapeHtml(p.clientName)}</strong> đề nghị bạn đăng nhập. Sau khi đăng nhập, thông tin định danh của bạn (họ tên, số định danh, ngày sinh, giới tính, nơi thường trú, nơi ở hiện tại, số điện thoại, thư điện tử) sẽ được chia sẻ với hệ thống này.</p>
<p class="note">Đây là hệ thống giả lập để kiểm thử, không phải VNeID thật. Chỉ dùng các công dân thử nghiệm bên dưới.</p>
${p.error ? `<p id="loi-dang-nhap" class="error" role="alert">${escapeHtml(p.error)}</p>` : ""}
<form method="post" action="${escapeHtml(p.action)}" novalidate>
<label for="soDinhDanh">Số định danh cá nhân (12 chữ số)</label>
<input type="text" id="soDinhDanh" name="soDinhDanh" inputmode="numeric" autocomplete="username" required value="${escapeHtml(p.identityNumber ?? "")}"${invalid}>
<label for="matKhau">Mật khẩu</label>
<input type="password" id="matKhau" name="matKhau" autocomplete="current-password" required${invalid}>
<button type="submit">Đăng nhập</button>
</form>
<h2>Tài khoản dùng để kiểm thử</h2>
${citizensTable(p.citizens, p.password)}`,
  );
}

export function logoutPage(form: string, who: string | undefined, clientName: string | undefined): string {
  return layout(
    "Đăng xuất",
    `<h1>Đăng xuất khỏi tài khoản định danh điện tử</h1>
<p>${who ? `Bạn đang đăng nhập với tên <strong>${escapeHtml(who)}</strong>. ` : ""}Bấm “Đăng xuất” để kết thúc phiên đăng nhập VNeID${clientName ? ` và quay lại <strong>${escapeHtml(clientName)}</strong>` : ""}.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Đăng xuất</button>`,
  );
}

export function signedOutPage(clientName: string | undefined): string {
  return layout(
    "Đã đăng xuất",
    `<h1>Bạn đã đăng xuất</h1>
<p>Phiên đăng nhập VNeID${clientName ? ` với <strong>${escapeHtml(clientName)}</strong>` : ""} đã kết thúc. Bạn có thể đóng trang này.</p>`,
  );
}

export function errorPage(heading: string, message: string, details: Record<string, string> = {}): string {
  const entries = Object.entries(details).filter(([, v]) => v);
  return layout(
    heading,
    `<h1>${escapeHtml(heading)}</h1>
<p role="alert">${escapeHtml(message)}</p>
${entries.length ? `<dl>${entries.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(v)}</code></dd>`).join("")}</dl>` : ""}`,
  );
}

export function startPage(issuer: string, citizens: readonly TestCitizen[], password: string): string {
  return layout(
    "Giới thiệu",
    `<h1>VNeID giả lập (OpenID Connect)</h1>
<p>Máy chủ này đóng vai dịch vụ đăng nhập một lần của Cổng Dịch vụ công quốc gia bằng tài khoản VNeID, để kiểm thử Cổng Dịch vụ công tỉnh Quảng Ninh. Việc đăng nhập bắt đầu từ trang của cổng tỉnh.</p>
<p>Cấu hình: <a href="${escapeHtml(issuer)}/.well-known/openid-configuration">/.well-known/openid-configuration</a></p>
<h2>Tài khoản dùng để kiểm thử</h2>
${citizensTable(citizens, password)}`,
  );
}

// What integrators see: Decision 766 indicators over what the mock holds, and a small page.
import type { FaultInjector } from "./faults";
import type { Finding, Profile } from "./lenient";
import type { Store } from "./store";

export async function indicators(store: Store) {
  const [r] = await store.query<Record<string, number>>(`select
    count(*)::int as total,
    count(*) filter (where status in (9, 10))::int as finished,
    count(*) filter (where status in (9, 10) and data->>'NgayKetThucXuLy' is not null and data->>'NgayHenTra' is not null
                     and data->>'NgayKetThucXuLy' <= data->>'NgayHenTra')::int as finished_on_time,
    count(*) filter (where (data->>'KenhThucHien')::int = 2)::int as online,
    count(*) filter (where (data->>'HoSoCoThanhPhanSoHoa')::int = 1)::int as digitised,
    count(*) filter (where (data->>'TaiKhoanDuocXacThucVoiVNeID')::int = 1)::int as vneid,
    count(*) filter (where (data->>'DuocThanhToanTrucTuyen')::int = 1)::int as paid_online
    from mock_national.dossiers`);
  const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
  return {
    total: r.total,
    onTimeRate: rate(r.finished_on_time, r.finished),
    onlineRate: rate(r.online, r.total),
    digitisationRate: rate(r.digitised, r.total),
    vneidRate: rate(r.vneid, r.total),
    onlinePaymentRate: rate(r.paid_online, r.total),
  };
}

/** Calls accepted with lenient forms (production profile), newest first, each with its findings. */
export async function warnings(store: Store, limit: number) {
  return store.query<{ id: number; at: Date; service: string; ma_ho_so: string | null; error_code: number; findings: Finding[]; request: unknown }>(
    "select id, at, service, ma_ho_so, error_code, findings, request from mock_national.warnings order by id desc limit $1", [limit],
  );
}

export const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function adminPage(store: Store, faults: FaultInjector, profile: Profile): Promise<string> {
  const dossiers = await store.query<{ ma_ho_so: string; status: number; writes: number; n: number }>(
    `select d.ma_ho_so, d.status, d.writes, (select count(*)::int from mock_national.progress p where p.ma_ho_so = d.ma_ho_so) as n
     from mock_national.dossiers d order by d.updated_at desc limit 50`,
  );
  const refusals = await store.query<{ at: Date; service: string; error_code: number; message: string; ma_ho_so: string }>(
    "select at, service, error_code, message, ma_ho_so from mock_national.refusals order by id desc limit 50",
  );
  const ind = await indicators(store);
  const warned = await warnings(store, 50);
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Mock Cổng DVC quốc gia</title><style>body{font-family:sans-serif;margin:1rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left}</style></head>
<body><main><h1>Mock Cổng Dịch vụ công quốc gia</h1>
<p>API: <code>POST /mapi/login</code>, <code>POST /mapi/service</code> · <a href="/openapi.json">OpenAPI</a> · JSON: <a href="/__admin/dossiers">dossiers</a>, <a href="/__admin/refusals">refusals</a>, <a href="/__admin/warnings">warnings</a>, <a href="/__admin/indicators">indicators</a>, <a href="/__admin/stats">stats</a></p>
<h2>Chỉ số (QĐ 766)</h2><pre>${esc(JSON.stringify(ind, null, 2))}</pre>
<h2>Chế độ kiểm tra</h2><p><strong>${esc(profile)}</strong> — ${profile === "strict" ? "từ chối mọi dạng dữ liệu không chuẩn, nêu tên trường" : "nhận các dạng dữ liệu hệ thống thực gửi, chuẩn hoá và ghi cảnh báo"} (<code>POST /__admin/profile</code>)</p>
<h2>Lỗi giả lập</h2><pre>${esc(JSON.stringify(faults.get(), null, 2))}</pre>
<h2>Hồ sơ gần nhất</h2><table><thead><tr><th>Mã hồ sơ</th><th>Trạng thái</th><th>Số lần ghi</th><th>Tiến độ</th></tr></thead><tbody>
${dossiers.map((d) => `<tr><td>${esc(d.ma_ho_so)}</td><td>${d.status}</td><td>${d.writes}</td><td>${d.n}</td></tr>`).join("")}</tbody></table>
<h2>Yêu cầu bị từ chối</h2><table><thead><tr><th>Lúc</th><th>Dịch vụ</th><th>Mã lỗi</th><th>Lý do</th><th>Hồ sơ</th></tr></thead><tbody>
${refusals.map((r) => `<tr><td>${esc(new Date(r.at).toISOString())}</td><td>${esc(r.service)}</td><td>${r.error_code}</td><td>${esc(r.message)}</td><td>${esc(r.ma_ho_so)}</td></tr>`).join("")}</tbody></table>
<h2>Cảnh báo: lời gọi được nhận với dạng dữ liệu không chuẩn</h2><table><thead><tr><th>Lúc</th><th>Dịch vụ</th><th>Hồ sơ</th><th>Mã trả lời</th><th>Trường và cách đọc</th></tr></thead><tbody>
${warned.map((w) => `<tr><td>${esc(new Date(w.at).toISOString())}</td><td>${esc(w.service)}</td><td>${esc(w.ma_ho_so)}</td><td>${w.error_code}</td><td><ul>${w.findings.map((f) => `<li><code>${esc(f.path)}</code>: ${esc(f.message)}</li>`).join("")}</ul></td></tr>`).join("")}</tbody></table>
</main></body></html>`;
}

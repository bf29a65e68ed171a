// The national side of the reverse direction: a citizen files on the national portal (JSON API
// or a minimal page); the mock pushes the dossier to the province's inbound endpoint,
// authenticated, retrying until acknowledged. Integrators can make it deliver twice or never
// (to prove the province's idempotency and its periodic pull).
import type http from "node:http";
import { z } from "zod";
import { type NationalDossier, toDate14 } from "../contract";
import { dossierPage, filingPage } from "./citizen-pages";
import type { NationalService } from "./service";
import type { Store } from "./store";

export const CitizenFiling = z.object({
  MaTTHC: z.string().regex(/^\d\.\d{6}$/),
  DonViXuLy: z.string().regex(/^[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}$/),
  ChuHoSo: z.string().trim().min(1).max(255),
  SoDinhDanh: z.string().regex(/^\d{12}$/),
  SoDienThoai: z.string().regex(/^0\d{9}$/),
  Email: z.string().email().max(255).optional().or(z.literal("").transform(() => undefined)),
  TrichYeuHoSo: z.string().trim().max(1000).default(""),
});

type Helpers = {
  readJson(req: http.IncomingMessage): Promise<unknown>;
  send(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void;
  provincePortalUrl?: string;
};

export type DeliveryMode = "normal" | "twice" | "never";

export class CitizenDesk {
  private timer?: NodeJS.Timeout;
  private mode: DeliveryMode = "normal";
  private busy = false;
  constructor(
    private store: Store,
    private service: NationalService,
    private opts: { inboundUrl?: string; inboundToken?: string; log?: (l: Record<string, unknown>) => void },
  ) {}

  start() {
    this.timer = setInterval(() => void this.deliverPending(), 500);
    this.timer.unref();
  }
  stop() {
    clearInterval(this.timer);
  }

  async file(input: z.infer<typeof CitizenFiling>): Promise<NationalDossier> {
    const proc = this.service.procedures.find((p) => p.MaTTHC === input.MaTTHC);
    if (!proc) throw Object.assign(new Error(`Mã thủ tục ${input.MaTTHC} không tồn tại`), { status: 400 });
    if (!this.service.agencies.some((a) => a.MaCoQuan === input.DonViXuLy)) throw Object.assign(new Error(`Mã cơ quan ${input.DonViXuLy} không tồn tại`), { status: 400 });
    const now = new Date();
    const day = toDate14(now).slice(0, 8);
    const [{ n }] = await this.store.query<{ n: number }>(
      "select count(*)::int + 1 as n from mock_national.citizen_filings where data->>'MaHoSo' like $1", [`%-${day}-%`],
    );
    const dossier: NationalDossier = {
      MaHoSo: `${input.DonViXuLy}-${day}-${String(n).padStart(7, "0")}`,
      MaTTHC: input.MaTTHC, TenTTHC: proc.TenTTHC, MaLinhVuc: proc.LinhVuc, KenhThucHien: 2,
      ChuHoSo: input.ChuHoSo, LoaiDoiTuong: 1, SoGiayToChuHoSo: input.SoDinhDanh, SoDienThoai: input.SoDienThoai,
      Email: input.Email ?? null, TrichYeuHoSo: input.TrichYeuHoSo || proc.TenTTHC, NgayNopHoSo: toDate14(now),
      TrangThaiHoSo: 1, DonViXuLy: input.DonViXuLy, NoiNopHoSo: "Cổng Dịch vụ công quốc gia",
      TaiKhoanDuocXacThucVoiVNeID: 1, DinhDanhCHS: [{ LoaiDinhDanh: 1, SoDinhDanh: input.SoDinhDanh }],
    };
    const unit = this.service.unitOf(input.DonViXuLy);
    await this.store.tx(async (sql) => {
      await sql.query("insert into mock_national.citizen_filings (ma_ho_so, data) values ($1, $2)", [dossier.MaHoSo, JSON.stringify(dossier)]);
      // it is a national dossier from the start: the province syncs its later statuses onto it
      await sql.query("insert into mock_national.dossiers (ma_ho_so, madonvi, data, status) values ($1, $2, $3, 1)", [dossier.MaHoSo, unit, JSON.stringify(dossier)]);
      const record = { MaHoSo: dossier.MaHoSo, NguoiXuLy: input.ChuHoSo.slice(0, 50), ThoiDiemXuLy: dossier.NgayNopHoSo, TrangThai: 1, NoiDungXuLy: "Nộp trên Cổng Dịch vụ công quốc gia" };
      await sql.query("insert into mock_national.progress (ma_ho_so, status, at, data) values ($1, 1, $2, $3)", [dossier.MaHoSo, dossier.NgayNopHoSo, JSON.stringify(record)]);
    });
    void this.deliverPending();
    return dossier;
  }

  async deliverPending() {
    if (this.busy || !this.opts.inboundUrl || this.mode === "never") return;
    this.busy = true;
    try {
      const rows = await this.store.query<{ ma_ho_so: string; data: NationalDossier }>(
        "select ma_ho_so, data from mock_national.citizen_filings where not delivered order by created_at limit 20",
      );
      for (const row of rows) {
        const times = this.mode === "twice" ? 2 : 1;
        let delivered = false;
        let lastError = "";
        for (let i = 0; i < times; i++) {
          try {
            const r = await fetch(this.opts.inboundUrl, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${this.opts.inboundToken ?? ""}` },
              body: JSON.stringify({ dossier: row.data }),
              signal: AbortSignal.timeout(10_000),
            });
            const body = (await r.json().catch(() => ({}))) as { error_code?: unknown };
            delivered = r.ok && (body.error_code === 0 || body.error_code === "0");
            if (!delivered) lastError = `HTTP ${r.status} ${JSON.stringify(body).slice(0, 200)}`;
          } catch (e) {
            lastError = String(e);
          }
        }
        await this.store.query(
          "update mock_national.citizen_filings set delivered = $2, attempts = attempts + 1, last_error = $3 where ma_ho_so = $1",
          [row.ma_ho_so, delivered, delivered ? null : lastError],
        );
        this.opts.log?.({ msg: "pushed to province", MaHoSo: row.ma_ho_so, delivered, lastError: delivered ? undefined : lastError });
      }
    } finally {
      this.busy = false;
    }
  }

  /** Routes of the citizen side; true when the request was one of them. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, h: Helpers): Promise<boolean> {
    if (url.pathname === "/api/citizen/filings" && req.method === "POST") {
      const parsed = CitizenFiling.safeParse(await h.readJson(req).catch(() => undefined));
      if (!parsed.success) return h.send(res, 400, { error_code: 2, message: z.prettifyError(parsed.error) }), true;
      try {
        const d = await this.file(parsed.data);
        h.send(res, 201, { error_code: 0, message: "Nộp hồ sơ thành công", result: d });
      } catch (e) {
        h.send(res, (e as { status?: number }).status ?? 500, { error_code: 2, message: (e as Error).message });
      }
      return true;
    }
    if (url.pathname === "/__admin/citizen-delivery" && req.method === "POST") {
      const mode = z.object({ mode: z.enum(["normal", "twice", "never"]) }).safeParse(await h.readJson(req).catch(() => undefined));
      if (!mode.success) return h.send(res, 400, { error: "mode: normal | twice | never" }), true;
      this.mode = mode.data.mode;
      h.send(res, 200, { mode: this.mode });
      return true;
    }
    if ((url.pathname === "/nop-ho-so" || url.pathname === "/tra-cuu-ho-so") && req.method === "GET") {
      const p = url.pathname === "/nop-ho-so" ? filingPage(this.service, url.searchParams) : await dossierPage(this.store, url.searchParams);
      return h.send(res, p.status, p.html), true;
    }
    if (url.pathname === "/chuyen-huong" && req.method === "GET") {
      // The hand-off deep link into the province portal.
      const q = z.object({ MaTTHC: z.string().regex(/^\d\.\d{6}$/), MaCoQuanThucHien: z.string().regex(/^H\d{2}(\.\d{1,3})?$/) })
        .safeParse(Object.fromEntries(url.searchParams));
      if (!q.success || !h.provincePortalUrl) return h.send(res, 400, { error_code: 2, message: "Tham số chuyển hướng không hợp lệ" }), true;
      const target = new URL("/nop-ho-so", h.provincePortalUrl);
      target.searchParams.set("MaTTHC", q.data.MaTTHC);
      target.searchParams.set("MaCoQuanThucHien", q.data.MaCoQuanThucHien);
      res.writeHead(302, { location: target.toString() }).end();
      return true;
    }
    return false;
  }
}

// What the mock national portal does with a call once it reaches the application: sessions,
// strict validation, state changes — and the write-level faults (lost writes, duplicate acks,
// partial batches, success-code variants, early session expiry).
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import {
  AGENCY_CODE, type Answer, DOSSIER_CODE, ERR, isLegalTransition, LoginRequest, NationalDossier,
  ProgressRecord, ServiceRequest,
} from "../contract";
import type { FaultInjector } from "./faults";
import type { Sql, Store } from "./store";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = (name: string) => JSON.parse(fs.readFileSync(path.join(here, "fixtures", name), "utf8"));

export interface MockUser { username: string; password: string; madonvi: string }
export interface ServiceOptions { users: MockUser[]; sessionTtlMs: number }

const MSG = {
  ok: "Thành công",
  session: "Phiên làm việc không hợp lệ hoặc đã hết hạn",
  login: "Tên đăng nhập hoặc mật khẩu không đúng",
  exists: "Hồ sơ đã tồn tại",
  notFound: "Không tìm thấy hồ sơ",
  progressNotFound: "Không tìm thấy hồ sơ để cập nhật tiến độ",
  transition: (from: number, to: number) => `Không được chuyển trạng thái từ ${from} sang ${to}`,
  unit: "Mã hồ sơ không thuộc đơn vị gửi",
  unitEnvelope: "Mã đơn vị không khớp với tài khoản đăng nhập",
  procedure: (c: string) => `Mã thủ tục ${c} không có trong CSDL thủ tục hành chính`,
  agency: (c: string) => `Mã cơ quan ${c} không có trong danh mục`,
  batch: "Mỗi lần gửi tối đa 10 bản ghi tiến độ",
  service: (s: string) => `Dịch vụ ${s} không được hỗ trợ`,
  partial: "Một phần dữ liệu chưa được cập nhật, vui lòng gửi lại",
  initialStatus: "Hồ sơ mới chỉ nhận trạng thái 1, 2 hoặc 3",
};

const fieldMessage = (e: z.ZodError) =>
  e.issues.map((i) => `${i.path.join(".") || "dữ liệu"}: ${i.message}`).join("; ");

export class NationalService {
  readonly procedures: { MaTTHC: string; TenTTHC: string; LinhVuc: string; ThoiHanGiaiQuyet: string | null }[] = fixtures("procedures.json");
  readonly agencies: { MaCoQuan: string; TenCoQuan: string; MaCoQuanCha: string | null }[] = fixtures("agencies.json");
  private procedureCodes = new Set(this.procedures.map((p) => p.MaTTHC));
  private agencyCodes = new Set(this.agencies.map((a) => a.MaCoQuan));

  constructor(private store: Store, private faults: FaultInjector, private opts: ServiceOptions) {}

  private success(result?: unknown): Answer {
    const code = this.faults.hits("successVariant") ? this.faults.pick([0, "0", "00"] as const) : 0;
    return { error_code: code, message: MSG.ok, ...(result === undefined ? {} : { result }) };
  }

  private async refuse(service: string | undefined, code: number, message: string, request: unknown, maHoSo?: string): Promise<Answer> {
    await this.store.query(
      "insert into mock_national.refusals (service, error_code, message, ma_ho_so, request) values ($1, $2, $3, $4, $5)",
      [service ?? null, code, message, maHoSo ?? null, JSON.stringify(request ?? null)],
    );
    return { error_code: code, message };
  }

  async login(body: unknown): Promise<Answer & { session?: string }> {
    const parsed = LoginRequest.safeParse(body);
    if (!parsed.success) return this.refuse("login", ERR.INVALID, fieldMessage(parsed.error), body);
    const user = this.opts.users.find((u) => u.username === parsed.data.username && u.password === parsed.data.password);
    if (!user) return this.refuse("login", ERR.LOGIN, MSG.login, { username: parsed.data.username });
    const token = randomBytes(24).toString("base64url");
    await this.store.query("insert into mock_national.sessions (token, username, expires_at) values ($1, $2, $3)", [
      token, user.username, new Date(Date.now() + this.opts.sessionTtlMs),
    ]);
    return { error_code: 0, message: MSG.ok, session: token };
  }

  async service(body: unknown): Promise<Answer> {
    const b = (body ?? {}) as Record<string, unknown>;
    const serviceName = typeof b.service === "string" ? b.service : undefined;
    // the session is checked before anything else, as the real one does
    const user = await this.sessionUser(b.session);
    if (!user) return this.refuse(serviceName, ERR.SESSION, MSG.session, { service: serviceName });
    if (this.faults.hits("sessionExpiry")) {
      await this.store.query("delete from mock_national.sessions where token = $1", [b.session]);
      return this.refuse(serviceName, ERR.SESSION, MSG.session, { service: serviceName });
    }
    const known = ["TraCuuHoSo", "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "LayDanhSachTTHC", "LayThuTuc", "LayDanhMucCoQuan", "TraCuuTechID", "LayHoSoTuDVCQG"];
    if (!serviceName || !known.includes(serviceName)) return this.refuse(serviceName, ERR.SERVICE, MSG.service(String(serviceName)), body);
    const parsed = ServiceRequest.safeParse(body);
    if (!parsed.success) return this.refuse(serviceName, ERR.INVALID, fieldMessage(parsed.error), body);
    const req = parsed.data;
    if (req.madonvi !== user.madonvi) return this.refuse(serviceName, ERR.UNIT, MSG.unitEnvelope, body);
    await this.store.query("insert into mock_national.calls (service, outcome) values ($1, 'handled')", [serviceName]);

    switch (req.service) {
      case "TraCuuHoSo": return this.lookup(req.mahoso, req.madonvi);
      case "DongBoHoSoMC": return this.pushDossiers(req.madonvi, req.isUpdating, req.data);
      case "CapNhatTienDoHoSoMC": return this.pushProgress(req.madonvi, req.data);
      case "LayDanhSachTTHC": return this.success(this.procedures);
      case "LayThuTuc": {
        const p = this.procedures.find((x) => x.MaTTHC === req.maTTHC);
        return p ? this.success(p) : this.refuse(req.service, ERR.PROCEDURE, MSG.procedure(req.maTTHC), body);
      }
      case "LayDanhMucCoQuan": return this.success(this.agencies.filter((a) => this.belongsTo(a.MaCoQuan, req.madonvi)));
      case "TraCuuTechID": {
        const techId = createHash("sha256").update(`techid:${req.soDinhDanh}`).digest("hex").slice(0, 24);
        return this.success({ SoDinhDanh: req.soDinhDanh, TechID: techId });
      }
      case "LayHoSoTuDVCQG": {
        const rows = await this.store.query<{ data: unknown }>(
          "select data from mock_national.citizen_filings where ($1::text is null or data->>'NgayNopHoSo' >= $1) order by created_at",
          [req.tuNgay ?? null],
        );
        return this.success(rows.map((r) => r.data).filter((d) => this.belongsTo(String((d as { DonViXuLy: string }).DonViXuLy), req.madonvi)));
      }
    }
  }

  /** The province-level unit (madonvi) an agency reports through: 000.00.00.{suffix}. */
  unitOf(agency: string): string {
    return `000.00.00.${agency.split(".").pop()}`;
  }

  /** An agency belongs to a unit when both carry the same province suffix (…H49). */
  private belongsTo(agency: string, madonvi: string) {
    return AGENCY_CODE.test(agency) && agency.split(".").pop() === madonvi.split(".").pop();
  }

  private async sessionUser(token: unknown): Promise<MockUser | undefined> {
    if (typeof token !== "string" || !token) return undefined;
    const [row] = await this.store.query<{ username: string }>(
      "select username from mock_national.sessions where token = $1 and expires_at > now()", [token],
    );
    return row ? this.opts.users.find((u) => u.username === row.username) : undefined;
  }

  private async lookup(maHoSo: string, madonvi: string): Promise<Answer> {
    const [d] = await this.store.query<{ data: NationalDossier; status: number; madonvi: string }>(
      "select data, status, madonvi from mock_national.dossiers where ma_ho_so = $1", [maHoSo],
    );
    if (!d || d.madonvi !== madonvi) return { error_code: ERR.NOT_FOUND, message: MSG.notFound };
    const progress = await this.store.query<{ data: ProgressRecord }>(
      "select data from mock_national.progress where ma_ho_so = $1 order by id", [maHoSo],
    );
    return this.success({ ...d.data, TrangThaiHoSo: d.status, TienDoXuLy: progress.map((p) => p.data) });
  }

  private checkDossier(madonvi: string, raw: unknown): { ok: true; d: NationalDossier } | { ok: false; code: number; message: string; maHoSo?: string } {
    const parsed = NationalDossier.safeParse(raw);
    const maybeCode = (raw as { MaHoSo?: unknown } | null)?.MaHoSo;
    const maHoSo = typeof maybeCode === "string" ? maybeCode : undefined;
    if (!parsed.success) return { ok: false, code: ERR.INVALID, message: fieldMessage(parsed.error), maHoSo };
    const d = parsed.data;
    const prefix = DOSSIER_CODE.exec(d.MaHoSo)!;
    const prefixAgency = prefix[1] ?? prefix[4];
    if (!this.belongsTo(prefixAgency, madonvi) || !this.agencyCodes.has(prefixAgency)) return { ok: false, code: ERR.UNIT, message: MSG.unit, maHoSo };
    if (!this.procedureCodes.has(d.MaTTHC)) return { ok: false, code: ERR.PROCEDURE, message: MSG.procedure(d.MaTTHC), maHoSo };
    if (!this.agencyCodes.has(d.DonViXuLy)) return { ok: false, code: ERR.AGENCY, message: MSG.agency(d.DonViXuLy), maHoSo };
    return { ok: true, d };
  }

  private async pushDossiers(madonvi: string, isUpdating: boolean, data: unknown[]): Promise<Answer> {
    const results: { MaHoSo?: string; error_code: number; message: string }[] = [];
    for (const raw of data) {
      const checked = this.checkDossier(madonvi, raw);
      if (!checked.ok) {
        await this.refuse("DongBoHoSoMC", checked.code, checked.message, raw, checked.maHoSo);
        results.push({ MaHoSo: checked.maHoSo, error_code: checked.code, message: checked.message });
        continue;
      }
      const d = checked.d;
      const lost = this.faults.hits("lostWrite");
      const outcome = await this.store.tx(async (sql) => {
        const [existing] = await sql.query<{ status: number }>(
          "select status from mock_national.dossiers where ma_ho_so = $1 for update", [d.MaHoSo],
        );
        if (!isUpdating) {
          if (existing) return { error_code: ERR.EXISTS, message: MSG.exists };
          if (![1, 2, 3].includes(d.TrangThaiHoSo)) return { error_code: ERR.TRANSITION, message: MSG.initialStatus };
          if (!lost) {
            await sql.query("insert into mock_national.dossiers (ma_ho_so, madonvi, data, status) values ($1, $2, $3, $4)", [
              d.MaHoSo, madonvi, JSON.stringify(d), d.TrangThaiHoSo,
            ]);
          }
          return { error_code: 0, message: MSG.ok };
        }
        if (!existing) return { error_code: ERR.NOT_FOUND, message: MSG.notFound };
        if (existing.status !== d.TrangThaiHoSo && !isLegalTransition(existing.status, d.TrangThaiHoSo)) {
          return { error_code: ERR.TRANSITION, message: MSG.transition(existing.status, d.TrangThaiHoSo) };
        }
        if (!lost) {
          await sql.query(
            "update mock_national.dossiers set data = $2, status = $3, writes = writes + 1, updated_at = now() where ma_ho_so = $1",
            [d.MaHoSo, JSON.stringify(d), d.TrangThaiHoSo],
          );
        }
        return { error_code: 0, message: MSG.ok };
      });
      if (outcome.error_code !== 0) await this.refuse("DongBoHoSoMC", outcome.error_code, outcome.message, { MaHoSo: d.MaHoSo, isUpdating }, d.MaHoSo);
      else if (this.faults.hits("duplicateAck")) {
        results.push({ MaHoSo: d.MaHoSo, error_code: ERR.EXISTS, message: MSG.exists });
        continue;
      }
      results.push({ MaHoSo: d.MaHoSo, ...outcome });
    }
    return this.summarise(results);
  }

  private summarise(results: { error_code: number; message: string }[]): Answer {
    if (results.every((r) => r.error_code === 0)) return this.success(results);
    if (results.length === 1) return { error_code: results[0].error_code, message: results[0].message, result: results };
    return { error_code: ERR.PARTIAL, message: MSG.partial, result: results };
  }

  private async pushProgress(madonvi: string, data: unknown[]): Promise<Answer> {
    if (data.length > 10) return this.refuse("CapNhatTienDoHoSoMC", ERR.BATCH, MSG.batch, { count: data.length });
    const cut = data.length > 1 && this.faults.hits("partialBatch") ? 1 + Math.floor(this.faults.fraction() * (data.length - 1)) : data.length;
    const results: { MaHoSo?: string; error_code: number; message: string }[] = [];
    for (const [i, raw] of data.entries()) {
      if (i >= cut) {
        results.push({ MaHoSo: (raw as { MaHoSo?: string })?.MaHoSo, error_code: ERR.PARTIAL, message: MSG.partial });
        continue;
      }
      const parsed = ProgressRecord.safeParse(raw);
      if (!parsed.success) {
        const message = fieldMessage(parsed.error);
        await this.refuse("CapNhatTienDoHoSoMC", ERR.INVALID, message, raw);
        results.push({ error_code: ERR.INVALID, message });
        continue;
      }
      const r = parsed.data;
      const lost = this.faults.hits("lostWrite");
      const outcome = await this.store.tx((sql) => this.appendProgress(sql, madonvi, r, lost));
      if (outcome.error_code !== 0) await this.refuse("CapNhatTienDoHoSoMC", outcome.error_code, outcome.message, r, r.MaHoSo);
      results.push({ MaHoSo: r.MaHoSo, ...outcome });
    }
    return this.summarise(results);
  }

  private async appendProgress(sql: Sql, madonvi: string, r: ProgressRecord, lost: boolean) {
    const [dossier] = await sql.query<{ madonvi: string }>(
      "select madonvi from mock_national.dossiers where ma_ho_so = $1 for update", [r.MaHoSo],
    );
    if (!dossier || dossier.madonvi !== madonvi) return { error_code: ERR.NOT_FOUND, message: MSG.progressNotFound };
    const history = await sql.query<{ status: number; at: string }>(
      "select status, at from mock_national.progress where ma_ho_so = $1 and not duplicate order by id", [r.MaHoSo],
    );
    // A record identical to one already stored is kept but flagged: integrators must see duplicates.
    const duplicate = history.some((h) => h.status === r.TrangThai && h.at === r.ThoiDiemXuLy);
    const last = history.at(-1);
    if (!duplicate && last && !isLegalTransition(last.status, r.TrangThai)) {
      return { error_code: ERR.TRANSITION, message: MSG.transition(last.status, r.TrangThai) };
    }
    if (!duplicate && !last && ![1, 2, 3].includes(r.TrangThai)) return { error_code: ERR.TRANSITION, message: MSG.initialStatus };
    if (!lost) {
      await sql.query(
        "insert into mock_national.progress (ma_ho_so, status, at, data, duplicate) values ($1, $2, $3, $4, $5)",
        [r.MaHoSo, r.TrangThai, r.ThoiDiemXuLy, JSON.stringify(r), duplicate],
      );
    }
    return { error_code: 0, message: MSG.ok };
  }
}

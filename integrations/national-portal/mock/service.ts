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
import { readPullPage } from "./pull";
import type { Store } from "./store";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = (name: string) => JSON.parse(fs.readFileSync(path.join(here, "fixtures", name), "utf8"));

interface StoredDossier { data: NationalDossier; status: number; madonvi: string; progress: ProgressRecord[] }
/** A progress record of a call, judged: its place in the call and the answer for it. */
interface JudgedProgress { i: number; r: ProgressRecord; error_code: number; message: string }

/**
 * Calls made in one turn of the event loop, handled together: `run` gets their inputs in arrival
 * order and answers each, in the same order. If it fails, every call fails, as each alone would.
 */
function perTick<I, O>(run: (inputs: I[]) => Promise<O[]>): (input: I) => Promise<O> {
  let waiting: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    run(batch.map((w) => w.input)).then(
      (out) => batch.forEach((w, k) => w.resolve(out[k])),
      (e: unknown) => batch.forEach((w) => w.reject(e)),
    );
  };
  return (input) => new Promise<O>((resolve, reject) => {
    if (waiting.length === 0) setImmediate(flush);
    waiting.push({ input, resolve, reject });
  });
}

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

  /** Sessions seen by this process (the database stays the record: a restart reads it back). */
  private sessions = new Map<string, { username: string; expiresAt: number }>();
  /** The call log is written in batches, off the answer's path. */
  private pendingCalls: string[] = [];
  private callsTimer?: ReturnType<typeof setTimeout>;

  constructor(private store: Store, private faults: FaultInjector, private opts: ServiceOptions) {}

  /** After /__admin/reset: the store was emptied under us. */
  forget() {
    this.sessions.clear();
    this.pendingCalls = [];
  }

  async flushCalls() {
    clearTimeout(this.callsTimer);
    this.callsTimer = undefined;
    const batch = this.pendingCalls.splice(0);
    if (batch.length === 0) return;
    await this.store.query(
      "insert into mock_national.calls (service, outcome) select s, 'handled' from jsonb_array_elements_text($1::jsonb) s", [JSON.stringify(batch)],
    );
  }

  private logCall(service: string) {
    this.pendingCalls.push(service);
    this.callsTimer ??= setTimeout(() => void this.flushCalls().catch(() => {}), 200);
    this.callsTimer.unref?.();
  }

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
    const expiresAt = Date.now() + this.opts.sessionTtlMs;
    await this.store.query("insert into mock_national.sessions (token, username, expires_at) values ($1, $2, $3)", [
      token, user.username, new Date(expiresAt),
    ]);
    this.sessions.set(token, { username: user.username, expiresAt });
    return { error_code: 0, message: MSG.ok, session: token };
  }

  async service(body: unknown): Promise<Answer> {
    const b = (body ?? {}) as Record<string, unknown>;
    const serviceName = typeof b.service === "string" ? b.service : undefined;
    // the session is checked before anything else, as the real one does
    const user = await this.sessionUser(b.session);
    if (!user) return this.refuse(serviceName, ERR.SESSION, MSG.session, { service: serviceName });
    if (this.faults.hits("sessionExpiry")) {
      this.sessions.delete(String(b.session));
      await this.store.query("delete from mock_national.sessions where token = $1", [b.session]);
      return this.refuse(serviceName, ERR.SESSION, MSG.session, { service: serviceName });
    }
    const known = ["TraCuuHoSo", "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "LayDanhSachTTHC", "LayThuTuc", "LayDanhMucCoQuan", "TraCuuTechID", "LayHoSoTuDVCQG"];
    if (!serviceName || !known.includes(serviceName)) return this.refuse(serviceName, ERR.SERVICE, MSG.service(String(serviceName)), body);
    const parsed = ServiceRequest.safeParse(body);
    if (!parsed.success) return this.refuse(serviceName, ERR.INVALID, fieldMessage(parsed.error), body);
    const req = parsed.data;
    if (req.madonvi !== user.madonvi) return this.refuse(serviceName, ERR.UNIT, MSG.unitEnvelope, body);
    this.logCall(serviceName);

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
        if (req.soLuong !== undefined || req.cursor) {
          const page = await readPullPage(this.store, req.madonvi, req.cursor ?? null, req.soLuong ?? 100);
          return "refusal" in page ? this.refuse(req.service, ERR.INVALID, page.refusal, body) : this.success(page);
        }
        // without paging: every filing, as before
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
    let s = this.sessions.get(token);
    if (!s) {
      const [row] = await this.store.query<{ username: string; expires_at: Date }>(
        "select username, expires_at from mock_national.sessions where token = $1 and expires_at > now()", [token],
      );
      if (!row) return undefined;
      s = { username: row.username, expiresAt: new Date(row.expires_at).getTime() };
      this.sessions.set(token, s);
    }
    if (s.expiresAt <= Date.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    const { username } = s;
    return this.opts.users.find((u) => u.username === username);
  }

  private async lookup(maHoSo: string, madonvi: string): Promise<Answer> {
    const d = await this.readDossier(maHoSo);
    if (!d || d.madonvi !== madonvi) return { error_code: ERR.NOT_FOUND, message: MSG.notFound };
    return this.success({ ...d.data, TrangThaiHoSo: d.status, TienDoXuLy: d.progress });
  }

  /**
   * Look-ups that arrive together (in one turn of the event loop) are read in one statement:
   * each still sees every write answered before it arrived. One look-up per call on the API, as
   * on the real portal; only the mock's own database work is shared.
   */
  private readDossier = perTick<string, StoredDossier | undefined>(async (codes) => {
    const rows = await this.store.query<StoredDossier & { ma_ho_so: string }>(
      `select d.ma_ho_so, d.data, d.status, d.madonvi,
         coalesce((select jsonb_agg(p.data order by p.id) from mock_national.progress p where p.ma_ho_so = d.ma_ho_so), '[]'::jsonb) as progress
       from mock_national.dossiers d where d.ma_ho_so = any(array(select jsonb_array_elements_text($1::jsonb)))`, [JSON.stringify([...new Set(codes)])],
    );
    const byCode = new Map(rows.map((r) => [r.ma_ho_so, r]));
    return codes.map((code) => byCode.get(code));
  });

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

  /** Refusals of one call, logged in one statement. */
  private async logRefusals(rows: { service: string; code: number; message: string; request: unknown; maHoSo?: string }[]) {
    if (rows.length === 0) return;
    await this.store.query(
      `insert into mock_national.refusals (service, error_code, message, ma_ho_so, request)
       select r.service, r.code, r.message, r.ma_ho_so, r.request
       from jsonb_to_recordset($1::jsonb) as r(service text, code int, message text, ma_ho_so text, request jsonb)`,
      [JSON.stringify(rows.map((r) => ({ service: r.service, code: r.code, message: r.message, ma_ho_so: r.maHoSo ?? null, request: r.request ?? null })))],
    );
  }

  // A batch is handled as the sequence of its items, one after the other, in one transaction:
  // each item is judged against the state the items before it left (rows locked, in code order).
  private async pushDossiers(madonvi: string, isUpdating: boolean, data: unknown[]): Promise<Answer> {
    type Result = { MaHoSo?: string; error_code: number; message: string };
    const results: Result[] = new Array(data.length);
    const refusals: Parameters<NationalService["logRefusals"]>[0] = [];
    const valid: { i: number; d: NationalDossier }[] = [];
    for (const [i, raw] of data.entries()) {
      const checked = this.checkDossier(madonvi, raw);
      if (checked.ok) valid.push({ i, d: checked.d });
      else {
        refusals.push({ service: "DongBoHoSoMC", code: checked.code, message: checked.message, request: raw, maHoSo: checked.maHoSo });
        results[i] = { MaHoSo: checked.maHoSo, error_code: checked.code, message: checked.message };
      }
    }
    if (valid.length) {
      await this.store.tx(async (sql) => {
        const codes = [...new Set(valid.map((v) => v.d.MaHoSo))].sort();
        const existing = await sql.query<{ ma_ho_so: string; status: number }>(
          "select ma_ho_so, status from mock_national.dossiers where ma_ho_so = any(array(select jsonb_array_elements_text($1::jsonb))) order by ma_ho_so for update",
          [JSON.stringify(codes)],
        );
        const status = new Map(existing.map((r) => [r.ma_ho_so, r.status]));
        const inserts: { i: number; d: NationalDossier }[] = [];
        const updates = new Map<string, { d: NationalDossier; n: number }>();
        const outcomes: { i: number; d: NationalDossier; outcome: Result; duplicateAck: boolean }[] = [];
        for (const { i, d } of valid) {
          const lost = this.faults.hits("lostWrite");
          const current = status.get(d.MaHoSo);
          let outcome: Result;
          if (!isUpdating) {
            if (current !== undefined) outcome = { error_code: ERR.EXISTS, message: MSG.exists };
            else if (![1, 2, 3].includes(d.TrangThaiHoSo)) outcome = { error_code: ERR.TRANSITION, message: MSG.initialStatus };
            else {
              if (!lost) { inserts.push({ i, d }); status.set(d.MaHoSo, d.TrangThaiHoSo); }
              outcome = { error_code: 0, message: MSG.ok };
            }
          } else if (current === undefined) outcome = { error_code: ERR.NOT_FOUND, message: MSG.notFound };
          else if (current !== d.TrangThaiHoSo && !isLegalTransition(current, d.TrangThaiHoSo)) {
            outcome = { error_code: ERR.TRANSITION, message: MSG.transition(current, d.TrangThaiHoSo) };
          } else {
            if (!lost) { updates.set(d.MaHoSo, { d, n: (updates.get(d.MaHoSo)?.n ?? 0) + 1 }); status.set(d.MaHoSo, d.TrangThaiHoSo); }
            outcome = { error_code: 0, message: MSG.ok };
          }
          outcomes.push({ i, d, outcome, duplicateAck: outcome.error_code === 0 && this.faults.hits("duplicateAck") });
        }
        if (inserts.length) {
          const stored = await sql.query<{ ma_ho_so: string }>(
            `insert into mock_national.dossiers (ma_ho_so, madonvi, data, status)
             select r.ma_ho_so, $2, r.data, r.status from jsonb_to_recordset($1::jsonb) as r(ma_ho_so text, data jsonb, status int)
             on conflict (ma_ho_so) do nothing returning ma_ho_so`,
            [JSON.stringify(inserts.map(({ d }) => ({ ma_ho_so: d.MaHoSo, data: d, status: d.TrangThaiHoSo }))), madonvi],
          );
          // another call inserted it first, between our look and our insert
          const won = new Set(stored.map((r) => r.ma_ho_so));
          for (const o of outcomes) if (!isUpdating && o.outcome.error_code === 0 && inserts.some((x) => x.i === o.i) && !won.has(o.d.MaHoSo)) o.outcome = { error_code: ERR.EXISTS, message: MSG.exists };
        }
        if (updates.size) {
          await sql.query(
            `update mock_national.dossiers d set data = r.data, status = r.status, writes = d.writes + r.n, updated_at = now()
             from jsonb_to_recordset($1::jsonb) as r(ma_ho_so text, data jsonb, status int, n int) where d.ma_ho_so = r.ma_ho_so`,
            [JSON.stringify([...updates.values()].map(({ d, n }) => ({ ma_ho_so: d.MaHoSo, data: d, status: d.TrangThaiHoSo, n })))],
          );
        }
        for (const { i, d, outcome, duplicateAck } of outcomes) {
          if (outcome.error_code !== 0) refusals.push({ service: "DongBoHoSoMC", code: outcome.error_code, message: outcome.message, request: { MaHoSo: d.MaHoSo, isUpdating }, maHoSo: d.MaHoSo });
          results[i] = duplicateAck ? { MaHoSo: d.MaHoSo, error_code: ERR.EXISTS, message: MSG.exists } : { MaHoSo: d.MaHoSo, ...outcome };
        }
      });
    }
    await this.logRefusals(refusals);
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
    type Result = { MaHoSo?: string; error_code: number; message: string };
    const results: Result[] = new Array(data.length);
    const refusals: Parameters<NationalService["logRefusals"]>[0] = [];
    const valid: { i: number; r: ProgressRecord }[] = [];
    for (const [i, raw] of data.entries()) {
      if (i >= cut) {
        results[i] = { MaHoSo: (raw as { MaHoSo?: string })?.MaHoSo, error_code: ERR.PARTIAL, message: MSG.partial };
        continue;
      }
      const parsed = ProgressRecord.safeParse(raw);
      if (parsed.success) valid.push({ i, r: parsed.data });
      else {
        const message = fieldMessage(parsed.error);
        refusals.push({ service: "CapNhatTienDoHoSoMC", code: ERR.INVALID, message, request: raw });
        results[i] = { error_code: ERR.INVALID, message };
      }
    }
    for (const j of valid.length ? await this.judgeProgress({ madonvi, valid }) : []) {
      if (j.error_code !== 0) refusals.push({ service: "CapNhatTienDoHoSoMC", code: j.error_code, message: j.message, request: j.r, maHoSo: j.r.MaHoSo });
      results[j.i] = { MaHoSo: j.r.MaHoSo, error_code: j.error_code, message: j.message };
    }
    await this.logRefusals(refusals);
    return this.summarise(results);
  }

  /**
   * Progress calls that arrive together (in one turn of the event loop) are judged and stored in one
   * transaction, each call's records in turn in the order the calls arrived: a call is judged
   * against everything stored before it, as if it had its own transaction. Each call still gets
   * its own answer; only the mock's database work is shared (like look-ups, in readDossier).
   */
  private judgeProgress = perTick<{ madonvi: string; valid: { i: number; r: ProgressRecord }[] }, JudgedProgress[]>((group) => this.store.tx(async (sql) => {
    const codes = JSON.stringify([...new Set(group.flatMap((g) => g.valid.map((v) => v.r.MaHoSo)))].sort());
    // each dossier's owner and its stored history (duplicates left out), locked, in one statement
    const owners = await sql.query<{ ma_ho_so: string; madonvi: string; history: [number, string][] }>(
      `select d.ma_ho_so, d.madonvi,
         coalesce((select jsonb_agg(jsonb_build_array(p.status, p.at) order by p.id) from mock_national.progress p
                   where p.ma_ho_so = d.ma_ho_so and not p.duplicate), '[]'::jsonb) as history
       from mock_national.dossiers d where d.ma_ho_so = any(array(select jsonb_array_elements_text($1::jsonb))) order by d.ma_ho_so for update of d`, [codes],
    );
    const owner = new Map(owners.map((o) => [o.ma_ho_so, o.madonvi]));
    const history = new Map(owners.map((o) => [o.ma_ho_so, o.history.map(([status, at]) => ({ status, at }))]));
    const rows: { ma_ho_so: string; status: number; at: string; data: ProgressRecord; duplicate: boolean }[] = [];
    const out = group.map(({ madonvi, valid }) => valid.map(({ i, r }): JudgedProgress => {
      const lost = this.faults.hits("lostWrite");
      const outcome = this.appendProgress(owner.get(r.MaHoSo), madonvi, history.get(r.MaHoSo) ?? [], r);
      if (outcome.error_code === 0 && !lost) {
        rows.push({ ma_ho_so: r.MaHoSo, status: r.TrangThai, at: r.ThoiDiemXuLy, data: r, duplicate: outcome.duplicate });
        if (!outcome.duplicate) history.set(r.MaHoSo, [...(history.get(r.MaHoSo) ?? []), { status: r.TrangThai, at: r.ThoiDiemXuLy }]);
      }
      return { i, r, error_code: outcome.error_code, message: outcome.message };
    }));
    if (rows.length) {
      await sql.query(
        `insert into mock_national.progress (ma_ho_so, status, at, data, duplicate)
         select r.ma_ho_so, r.status, r.at, r.data, r.duplicate
         from rows from (jsonb_to_recordset($1::jsonb) as (ma_ho_so text, status int, at text, data jsonb, duplicate boolean))
           with ordinality as r(ma_ho_so, status, at, data, duplicate, n)
         order by r.n`,
        [JSON.stringify(rows)],
      );
    }
    return out;
  }));

  /** Judges one progress record against the dossier's owner and the history stored before it. */
  private appendProgress(owner: string | undefined, madonvi: string, history: { status: number; at: string }[], r: ProgressRecord) {
    if (owner !== madonvi) return { error_code: ERR.NOT_FOUND, message: MSG.progressNotFound, duplicate: false };
    // A record identical to one already stored is kept but flagged: integrators must see duplicates.
    const duplicate = history.some((h) => h.status === r.TrangThai && h.at === r.ThoiDiemXuLy);
    const last = history.at(-1);
    if (!duplicate && last && !isLegalTransition(last.status, r.TrangThai)) {
      return { error_code: ERR.TRANSITION, message: MSG.transition(last.status, r.TrangThai), duplicate };
    }
    if (!duplicate && !last && ![1, 2, 3].includes(r.TrangThai)) return { error_code: ERR.TRANSITION, message: MSG.initialStatus, duplicate };
    return { error_code: 0, message: MSG.ok, duplicate };
  }
}

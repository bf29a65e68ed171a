// What the portal depends on: the national sync API as verbs with typed inputs and outcomes
// (docs/decisions/022-typed-national-port.md). Service names, answer codes and answer shapes stay
// in this folder; the app sees dossiers, procedures and what each call came to.
import type { Answer, NationalDossier, NationalProcedure, ProgressRecord, ServiceRequest } from "./contract";

/** A business refusal (non-zero error_code), naming the service that refused. */
export type Refusal = { kind: "refused"; service: string; code: number; message: string };
/** Transient: timeout, reset, 5xx, 429, maintenance. Back off (afterMs from Retry-After). */
export type Retry = { kind: "retry"; reason: string; afterMs?: number };
/** An answer that does not have the contract's shape (reason says what was wrong). */
export type Malformed = { kind: "malformed"; reason: string };

export type Outcome<T> = { kind: "ok"; value: T } | Refusal | Retry;

/**
 * What one item of a batched write came to. "unconfirmed": the answer proves neither that the
 * item landed nor that it never will (already there, not there yet, partly stored, an answer
 * naming another dossier) — the next look-up shows what really happened.
 */
export type ItemOutcome = { kind: "ok" } | { kind: "unconfirmed"; code: number; message: string } | Refusal | Retry;

/** What TraCuuHoSo shows of a dossier; the fields the sync and the reconciliation compare are typed. */
export type NationalView = Record<string, unknown> & {
  MaHoSo?: string;
  TrangThaiHoSo: number;
  NgayHenTra?: string | null;
  TienDoXuLy?: { TrangThai: number; ThoiDiemXuLy: string }[];
  DanhSachGiayToKetQua?: { TepDinhKemId?: string | null }[] | null;
  DuocThanhToanTrucTuyen?: number | string | null;
  DanhSachHoSoBoSung?: { NgayYeuCauBoSung?: string | null; NgayBoSung?: string | null }[] | null;
};

/** An entry of a pulled page that fails the contract: what it named itself, why, and how it began. */
export type UnreadableEntry = { code: string | null; reason: string; excerpt: string };
/**
 * One page of the pull. `cursor` is where the next page starts (opaque; null before the first
 * filing) and covers every entry of this page, readable or not; `more`: another page follows.
 */
export type PulledPage = { dossiers: NationalDossier[]; unreadable: UnreadableEntry[]; cursor: string | null; more: boolean };

/** One HTTP call as the sync ledger (sync_attempts) records it. */
export interface CallRecord {
  service: string;
  request: unknown;
  response: unknown;
  latencyMs: number;
  outcome: CallOutcome["kind"];
}
export type OnCall = (r: CallRecord) => void;

export interface NationalPortal {
  readonly madonvi: string;
  /** TraCuuHoSo; a dossier the national side does not hold is null, not a refusal. */
  lookUp(code: string, onCall?: OnCall): Promise<Outcome<NationalView | null>>;
  /** DongBoHoSoMC (at most 50 dossiers): one outcome per dossier, in order. */
  upsertDossiers(items: readonly NationalDossier[], mode: "insert" | "update", onCall?: OnCall): Promise<ItemOutcome[]>;
  /** CapNhatTienDoHoSoMC (at most 10 records): one outcome per record, in order. */
  pushProgress(records: readonly ProgressRecord[], onCall?: OnCall): Promise<ItemOutcome[]>;
  /**
   * LayHoSoTuDVCQG, one page: the dossiers filed on the national portal after `cursor` (null: from
   * the start), at most `size`. An answer that is not a page is malformed; entries failing the
   * contract come back as unreadable, not as dossiers.
   */
  pullNew(page: { cursor: string | null; size: number }, onCall?: OnCall): Promise<Outcome<PulledPage> | Malformed>;
  /** LayDanhSachTTHC: the codes of the national procedure catalogue, each once. */
  listProcedures(onCall?: OnCall): Promise<Outcome<string[]> | Malformed>;
  /** LayThuTuc: one procedure, checked against the contract and against the code asked for. */
  getProcedure(code: string, onCall?: OnCall): Promise<Outcome<NationalProcedure> | Malformed>;
}

/** The service names of the API (contract.ts's ServiceRequest). */
export type Service = ServiceRequest["service"];

/** One call to the service endpoint, classified: what a transport (http.ts) gives the verbs. */
export type CallOutcome =
  | { kind: "ok"; answer: Answer }
  | { kind: "refused"; code: number; message: string; answer: Answer }
  | Retry;

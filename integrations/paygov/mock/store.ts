// The mock's transactions, in memory only (a restart forgets them; a test mock needs no more),
// bounded to the newest `max` (5000 by default): the oldest is forgotten first, its reference with it.
import type { CallbackMessage, InitRequest } from "../contract";

export type TransactionStatus = "pending" | "paid" | "cancelled";

export interface CallbackAttempt {
  attempt: number;
  at: string;
  durationMs: number;
  /** null when no HTTP answer came (refused connection, timeout, reset). */
  httpStatus: number | null;
  /** The MaLoi the partner answered, when its answer was readable. */
  MaLoi: string | null;
  /** HTTP 200 with MaLoi "00": the delivery is done. */
  accepted: boolean;
  error?: string;
}

export interface Delivery {
  id: number;
  kind: "original" | "duplicate" | "replay";
  /** Sent with a wrong MaXacThuc (fault). */
  tampered: boolean;
  status: "scheduled" | "delivering" | "delivered" | "failed" | "dropped" | "aborted";
  createdAt: string;
  body: CallbackMessage;
  attempts: CallbackAttempt[];
}

export interface Transaction {
  MaGiaoDich: string;
  request: Omit<InitRequest, "MaXacThuc">;
  /** The INIT's content minus ThoiGianGD and MaXacThuc: the same again is the same payment. */
  fingerprint: string;
  createdAt: string;
  /** How many INITs (the first and its idempotent repeats) named this reference. */
  initCount: number;
  status: TransactionStatus;
  PhuongThuc?: string;
  completedAt?: string;
  /** The genuine, signed result once the citizen paid or cancelled. */
  result?: CallbackMessage;
  /** The body of the last callback delivery sent (what a replay re-sends). */
  lastSent?: CallbackMessage;
  deliveries: Delivery[];
}

/** A stable text of what makes two INITs the same payment. */
export function fingerprintOf(r: InitRequest): string {
  return JSON.stringify([
    r.MaDoiTac, r.MaThamChieu, r.SoTien, r.ThongTinGiaoDich, r.UrlCallback, r.UrlReturn, r.NgonNgu ?? "vi",
    r.BienLai.MaHoSo ?? null, r.BienLai.MaTTHC, r.BienLai.PhiLePhi.map((f) => [f.LoaiPhiLePhi, f.SoTien, f.MoTa]),
  ]);
}

export class TransactionStore {
  private byId = new Map<string, Transaction>();
  private byReference = new Map<string, string>();

  constructor(private max = 5000) {}

  private static key = (partner: string, reference: string) => `${partner}\u0000${reference}`;

  get(id: string): Transaction | undefined {
    return this.byId.get(id);
  }

  findByReference(partner: string, reference: string): Transaction | undefined {
    const id = this.byReference.get(TransactionStore.key(partner, reference));
    return id === undefined ? undefined : this.byId.get(id);
  }

  add(tx: Transaction): void {
    this.byId.set(tx.MaGiaoDich, tx);
    this.byReference.set(TransactionStore.key(tx.request.MaDoiTac, tx.request.MaThamChieu), tx.MaGiaoDich);
    while (this.byId.size > this.max) {
      const [oldestId, oldest] = this.byId.entries().next().value as [string, Transaction];
      this.byId.delete(oldestId);
      this.byReference.delete(TransactionStore.key(oldest.request.MaDoiTac, oldest.request.MaThamChieu));
    }
  }

  /** Oldest first. */
  list(): Transaction[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  clear(): void {
    this.byId.clear();
    this.byReference.clear();
  }
}

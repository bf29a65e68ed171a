// The port's verbs over one classified call per service (http.ts makes the call): each verb
// builds its service's request and reads its answer — per-item results, "not found", the
// catalogue's shapes — into the typed outcomes of port.ts.
import { z } from "zod";
import { ERR, isSuccessCode, NationalDossier, NationalProcedure, type ProgressRecord, PullPage } from "./contract";
import type { CallOutcome, ItemOutcome, Malformed, NationalPortal, NationalView, OnCall, Outcome, PulledPage, Refusal, Retry, Service, UnreadableEntry } from "./port";

/** Per-item refusals that only mean "look again": the next look-up shows what really landed. */
const UNCONFIRMED: Record<"insert" | "update" | "progress", readonly number[]> = {
  insert: [ERR.EXISTS, ERR.PARTIAL],
  update: [ERR.EXISTS, ERR.NOT_FOUND, ERR.PARTIAL],
  progress: [ERR.PARTIAL, ERR.NOT_FOUND],
};

// shared, never mutated: the sync hot path reads thousands of these per second
const OK_ITEM: ItemOutcome = Object.freeze({ kind: "ok" });
const NOT_THERE: Outcome<null> = Object.freeze({ kind: "ok", value: null });

const ProcedureList = z.array(z.object({ MaTTHC: z.string() }).passthrough());

const failed = (service: Service, o: Exclude<CallOutcome, { kind: "ok" }>): Refusal | Retry =>
  o.kind === "refused" ? { kind: "refused", service, code: o.code, message: o.message } : o;

const itemRefusal = (service: Service, code: number, message: string, unconfirmed: readonly number[]): ItemOutcome =>
  unconfirmed.includes(code) ? { kind: "unconfirmed", code, message } : { kind: "refused", service, code, message };

/**
 * What each item of a batched write came to. The answer's result[] carries one entry per item
 * (MaHoSo, error_code, message); without it the call's own code stands for every item. An entry
 * that names another dossier proves nothing: it reads as "partly stored", i.e. look again.
 */
export function itemOutcomes(service: Service, o: CallOutcome, items: readonly { MaHoSo: string }[], unconfirmed: readonly number[]): ItemOutcome[] {
  if (o.kind === "retry") return items.map(() => o);
  const result = o.answer.result;
  const perItem = Array.isArray(result) && result.length === items.length ? (result as { MaHoSo?: unknown; error_code?: unknown; message?: unknown }[]) : null;
  return items.map((item, i): ItemOutcome => {
    if (!perItem) return o.kind === "ok" ? OK_ITEM : itemRefusal(service, o.code, o.message, unconfirmed);
    const r = perItem[i] ?? {};
    if (typeof r.MaHoSo === "string" && r.MaHoSo !== item.MaHoSo) return { kind: "unconfirmed", code: ERR.PARTIAL, message: "the answer does not name this item" };
    if (isSuccessCode(r.error_code)) return OK_ITEM;
    const n = Number(r.error_code);
    return itemRefusal(service, Number.isFinite(n) ? n : ERR.PARTIAL, String(r.message ?? ""), unconfirmed);
  });
}

const issues = (e: z.ZodError) => e.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ");

const EXCERPT = 1000;
function excerptOf(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, EXCERPT);
  } catch {
    return String(raw).slice(0, EXCERPT);
  }
}

/** One entry of a pulled page: a dossier, or what the operator needs to see of an unreadable one. */
export function readPulledEntry(raw: unknown): NationalDossier | UnreadableEntry {
  const named = (raw as { MaHoSo?: unknown } | null)?.MaHoSo;
  const code = typeof named === "string" ? named.slice(0, 100) : null;
  const parsed = NationalDossier.safeParse(raw);
  if (!parsed.success) return { code, reason: issues(parsed.error).slice(0, EXCERPT), excerpt: excerptOf(raw) };
  return parsed.data;
}

/** The verbs; a subclass supplies the transport (`call`), as NationalPortalHttp does. */
export abstract class NationalPortalClient implements NationalPortal {
  abstract readonly madonvi: string;
  /** One call to the service endpoint, classified ok / refused / retry, each HTTP call reported to onCall. */
  abstract call(service: Service, payload: Record<string, unknown>, onCall?: OnCall): Promise<CallOutcome>;

  async lookUp(code: string, onCall?: OnCall): Promise<Outcome<NationalView | null>> {
    const o = await this.call("TraCuuHoSo", { mahoso: code }, onCall);
    if (o.kind === "ok") return { kind: "ok", value: o.answer.result as NationalView };
    return o.kind === "refused" && o.code === ERR.NOT_FOUND ? NOT_THERE : failed("TraCuuHoSo", o);
  }

  async upsertDossiers(items: readonly NationalDossier[], mode: "insert" | "update", onCall?: OnCall): Promise<ItemOutcome[]> {
    const o = await this.call("DongBoHoSoMC", { isUpdating: mode === "update", data: items }, onCall);
    return itemOutcomes("DongBoHoSoMC", o, items, UNCONFIRMED[mode]);
  }

  async pushProgress(records: readonly ProgressRecord[], onCall?: OnCall): Promise<ItemOutcome[]> {
    const o = await this.call("CapNhatTienDoHoSoMC", { data: records }, onCall);
    return itemOutcomes("CapNhatTienDoHoSoMC", o, records, UNCONFIRMED.progress);
  }

  async pullNew(page: { cursor: string | null; size: number }, onCall?: OnCall): Promise<Outcome<PulledPage> | Malformed> {
    const o = await this.call("LayHoSoTuDVCQG", { soLuong: page.size, ...(page.cursor ? { cursor: page.cursor } : {}) }, onCall);
    if (o.kind !== "ok") return failed("LayHoSoTuDVCQG", o);
    const answered = PullPage.safeParse(o.answer.result);
    if (!answered.success) return { kind: "malformed", reason: `LayHoSoTuDVCQG answered something that is not a page: ${issues(answered.error).slice(0, 500)}` };
    const dossiers: NationalDossier[] = [];
    const unreadable: UnreadableEntry[] = [];
    for (const raw of answered.data.data) {
      const entry = readPulledEntry(raw);
      if ("reason" in entry) unreadable.push(entry);
      else dossiers.push(entry);
    }
    return { kind: "ok", value: { dossiers, unreadable, cursor: answered.data.cursor, more: answered.data.conTiep } };
  }

  async listProcedures(onCall?: OnCall): Promise<Outcome<string[]> | Malformed> {
    const o = await this.call("LayDanhSachTTHC", {}, onCall);
    if (o.kind !== "ok") return failed("LayDanhSachTTHC", o);
    const listed = ProcedureList.safeParse(o.answer.result);
    if (!listed.success) return { kind: "malformed", reason: "LayDanhSachTTHC answered something that is not a list of procedures" };
    return { kind: "ok", value: [...new Set(listed.data.map((p) => p.MaTTHC))] };
  }

  async getProcedure(code: string, onCall?: OnCall): Promise<Outcome<NationalProcedure> | Malformed> {
    const o = await this.call("LayThuTuc", { maTTHC: code }, onCall);
    if (o.kind !== "ok") return failed("LayThuTuc", o);
    const p = NationalProcedure.safeParse(o.answer.result);
    if (!p.success) return { kind: "malformed", reason: issues(p.error) };
    if (p.data.MaTTHC !== code) return { kind: "malformed", reason: `LayThuTuc answered for ${p.data.MaTTHC}` };
    return { kind: "ok", value: p.data };
  }
}

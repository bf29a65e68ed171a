// The real client of the national population database: one POST per lookup, a strict timeout,
// the answer validated against the shared contract and classified into a LookupResult.
import { type CitizenRecord, ERR, LOOKUP_PATH, LookupAnswer, type LookupRequest } from "./contract";
import type { LookupCitizenInput, LookupResult, PopulationRecord, PopulationRegistry } from "./port";
import { parseRetryAfter } from "../retry-after";

export interface PopulationHttpConfig {
  baseUrl: string;
  /** The bearer token the province was issued. */
  token: string;
  timeoutMs?: number;
}

const fromNationalDate = (ddmmyyyy: string) => ddmmyyyy.split("/").reverse().join("-");
const toNationalDate = (isoDate: string) => isoDate.split("-").reverse().join("/");

function toRecord(d: CitizenRecord): PopulationRecord {
  const address = (a: CitizenRecord["ThuongTru"]) => ({ communeCode: a.MaXa, communeName: a.TenXa, detail: a.ChiTiet });
  return {
    identityNumber: d.SoDinhDanh,
    fullName: d.HoVaTen,
    birthDate: fromNationalDate(d.NgayThangNamSinh),
    sex: d.GioiTinh,
    phone: d.SoDienThoai,
    email: d.Email,
    permanentAddress: address(d.ThuongTru),
    currentAddress: address(d.NoiOHienNay),
  };
}

export class PopulationRegistryHttp implements PopulationRegistry {
  constructor(private cfg: PopulationHttpConfig) {}

  async lookupCitizen(input: LookupCitizenInput): Promise<LookupResult> {
    const body: LookupRequest = {
      SoDinhDanh: input.identityNumber,
      ...(input.fullName !== undefined ? { HoVaTen: input.fullName } : {}),
      ...(input.birthDate !== undefined ? { NgayThangNamSinh: toNationalDate(input.birthDate) } : {}),
      MaCanBo: input.requestedBy,
      MaYeuCau: input.requestId,
    };
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(LOOKUP_PATH, this.cfg.baseUrl), {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.cfg.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.cfg.timeoutMs ?? 10_000),
      });
      // The timeout covers the body too: a server that stalls mid-answer is as slow as one that never answers.
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return { kind: "unavailable", reason: err.name === "TimeoutError" ? "timeout" : (err.cause?.code ?? err.message) };
    }
    if (res.status === 429 || res.status >= 500) {
      return { kind: "unavailable", reason: `HTTP ${res.status}`, afterMs: parseRetryAfter(res.headers.get("retry-after")) };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: "unavailable", reason: `unreadable answer (HTTP ${res.status})` };
    }
    const parsed = LookupAnswer.safeParse(json);
    if (!parsed.success) return { kind: "unavailable", reason: `answer does not follow the contract (HTTP ${res.status})` };
    const answer = parsed.data;
    if ("data" in answer) {
      return res.status === 200 ? { kind: "found", citizen: toRecord(answer.data) } : { kind: "unavailable", reason: `success answer with HTTP ${res.status}` };
    }
    if (res.status === 404 || answer.error_code === ERR.NOT_FOUND) return { kind: "not_found", message: answer.message };
    if (res.status === 409 || answer.error_code === ERR.MISMATCH) return { kind: "mismatch", message: answer.message };
    return { kind: "rejected", status: res.status, code: answer.error_code, message: answer.message };
  }
}

// The real PayGov client: builds the signed INIT, posts it with a strict timeout, validates and
// classifies the answer; and parseCallback, the one parser for the server-to-server callback body
// and the browser's return query string.
import { CALLBACK_CHECKSUM_FIELDS, checksumFields, initChecksum, verifyChecksum } from "./checksum";
import { CallbackMessage, ERR, ERROR_MESSAGES, FEE_KIND, fromPaygovTime, INIT_PATH, InitAnswer, type InitRequest, STATUS, toPaygovTime } from "./contract";
import type { CallbackVerification, InitPaymentInput, InitPaymentResult, PaymentGateway } from "./port";

export interface PaygovConfig {
  baseUrl: string;
  /** MaDoiTac, as PayGov issued it. */
  partnerCode: string;
  secret: string;
  timeoutMs?: number;
}

/** The INIT message for `input`, signed with `secret`. */
export function buildInitMessage(input: InitPaymentInput, partnerCode: string, secret: string): InitRequest {
  const unsigned = {
    MaDoiTac: partnerCode,
    MaThamChieu: input.reference,
    SoTien: input.amount,
    ThongTinGiaoDich: input.description,
    ThoiGianGD: toPaygovTime(input.at ?? new Date()),
    UrlCallback: input.callbackUrl,
    UrlReturn: input.returnUrl,
    ...(input.language ? { NgonNgu: input.language } : {}),
    BienLai: {
      ...(input.receipt.dossierCode ? { MaHoSo: input.receipt.dossierCode } : {}),
      MaTTHC: input.receipt.procedureCode,
      PhiLePhi: input.receipt.fees.map((f) => ({
        LoaiPhiLePhi: f.kind === "fee" ? FEE_KIND.FEE : FEE_KIND.CHARGE,
        SoTien: f.amount,
        MoTa: f.description,
      })),
    },
  };
  return { ...unsigned, MaXacThuc: initChecksum(unsigned, secret) };
}

/**
 * Verifies a payment result (callback JSON body, or Object.fromEntries of the return query):
 * the fields' shape, then MaXacThuc in constant time. Unknown extra fields are ignored.
 */
export function parseCallback(input: Readonly<Record<string, unknown>>, secret: string): CallbackVerification {
  const parsed = CallbackMessage.safeParse(input);
  if (!parsed.success) {
    return { ok: false, reason: "malformed", detail: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  }
  const m = parsed.data;
  if (!verifyChecksum(checksumFields(m, CALLBACK_CHECKSUM_FIELDS), secret, m.MaXacThuc)) return { ok: false, reason: "bad_checksum" };
  return {
    ok: true,
    data: {
      partnerCode: m.MaDoiTac,
      reference: m.MaThamChieu,
      transactionId: m.MaGiaoDich,
      amount: m.SoTien,
      outcome: m.TrangThai === STATUS.PAID ? "paid" : "cancelled",
      statusCode: m.TrangThai,
      at: fromPaygovTime(m.ThoiGianThanhToan),
    },
  };
}

const failure = (retryable: boolean, code: string, message: string): InitPaymentResult => ({ ok: false, retryable, code, message });

export class PaygovHttp implements PaymentGateway {
  constructor(private cfg: PaygovConfig) {}

  async initPayment(input: InitPaymentInput): Promise<InitPaymentResult> {
    let body: InitRequest;
    try {
      body = buildInitMessage(input, this.cfg.partnerCode, this.cfg.secret);
    } catch (e) {
      // a "|" in a signed field: PayGov would refuse it as invalid data, so do we, without sending
      return failure(false, ERR.INVALID, `${ERROR_MESSAGES[ERR.INVALID]}: ${(e as Error).message}`);
    }
    let res: Response;
    let text: string;
    try {
      res = await fetch(new URL(INIT_PATH, this.cfg.baseUrl), {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.cfg.timeoutMs ?? 15_000),
      });
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      return failure(true, err.name === "TimeoutError" ? "timeout" : "network", err.cause?.code ?? err.message);
    }
    if (res.status === 429 || res.status >= 500) return failure(true, `http_${res.status}`, `HTTP ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return failure(true, "unreadable", `unreadable answer (HTTP ${res.status})`);
    }
    const parsed = InitAnswer.safeParse(json);
    if (!parsed.success) return failure(true, "unreadable", `answer does not follow the contract (HTTP ${res.status})`);
    const a = parsed.data;
    if (a.MaLoi === ERR.OK && "MaGiaoDich" in a) return { ok: true, transactionId: a.MaGiaoDich, payUrl: a.UrlThanhToan };
    const message = [a.MoTaLoi ?? ERROR_MESSAGES[a.MaLoi as keyof typeof ERROR_MESSAGES] ?? "", ...("ChiTietLoi" in a ? (a.ChiTietLoi ?? []) : [])].filter(Boolean).join("; ");
    return failure(a.MaLoi === ERR.INTERNAL, a.MaLoi, message);
  }

  verifyCallback(fields: Readonly<Record<string, unknown>>): CallbackVerification {
    const result = parseCallback(fields, this.cfg.secret);
    if (result.ok && result.data.partnerCode !== this.cfg.partnerCode) return { ok: false, reason: "unknown_partner" };
    return result;
  }
}

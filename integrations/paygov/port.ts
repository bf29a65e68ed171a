// What the portal depends on: starting a payment on the national payment platform (PayGov) and
// checking a payment result it was handed, either by PayGov's server-to-server callback or by the
// citizen's browser coming back. Expected outcomes are data, not exceptions.

export interface FeeItem {
  /** "fee" is a phí (LoaiPhiLePhi 1), "charge" a lệ phí (2). */
  kind: "fee" | "charge";
  /** Whole VND. */
  amount: number;
  description: string;
}

export interface InitPaymentInput {
  /** Our unique reference for this payment (MaThamChieu): ≤ 50 characters of A-Z, a-z, 0-9, "-". */
  reference: string;
  /** Whole VND, > 0; must equal the sum of the receipt's fee items. */
  amount: number;
  /** Shown to the citizen on the payment page (ThongTinGiaoDich), ≤ 255 characters. */
  description: string;
  /** Where PayGov posts the result server-to-server. */
  callbackUrl: string;
  /** Where PayGov sends the citizen's browser back, with the result in the query string. */
  returnUrl: string;
  language?: "vi" | "en";
  receipt: { dossierCode?: string; procedureCode: string; fees: FeeItem[] };
  /** The transaction time sent (ThoiGianGD); now when absent. */
  at?: Date;
}

export type InitPaymentResult =
  | { ok: true; transactionId: string; payUrl: string }
  /**
   * retryable: a timeout, network error, 5xx or PayGov's own "99": send the same input again (INIT
   * is idempotent on the reference). Otherwise the request is wrong and will be refused again.
   */
  | { ok: false; retryable: boolean; code: string; message: string };

/** A verified payment result. */
export interface PaymentResult {
  partnerCode: string;
  reference: string;
  transactionId: string;
  amount: number;
  outcome: "paid" | "cancelled";
  /** TrangThai as sent: "00" paid, "01" cancelled or failed. */
  statusCode: "00" | "01";
  /** ThoiGianThanhToan. */
  at: Date;
}

export type CallbackVerification =
  | { ok: true; data: PaymentResult }
  /** malformed: fields missing or ill-formed; bad_checksum: MaXacThuc does not match; unknown_partner: not ours. */
  | { ok: false; reason: "malformed" | "bad_checksum" | "unknown_partner"; detail?: string };

export interface PaymentGateway {
  initPayment(input: InitPaymentInput): Promise<InitPaymentResult>;
  /**
   * Checks a payment result: the JSON body of the callback, or the return URL's query as
   * Object.fromEntries(url.searchParams). It proves PayGov sent it, not that it is the first time:
   * callers must still refuse a result for an unknown reference or with a different amount and treat
   * a repeated one as already handled.
   */
  verifyCallback(fields: Readonly<Record<string, unknown>>): CallbackVerification;
}

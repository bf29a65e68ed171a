// Fees through the national payment platform: one reference per attempt, the result accepted
// only when PayGov's checksum verifies, the reference is ours, the amount matches and the attempt
// has not expired. A result that arrives twice (callback and browser return, or a replay) is
// applied once. Every refusal is logged and audited.
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Lng } from "~/i18n";
import { appError, type AppError, err, ok, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { plausibleCode } from "~/modules/dossiers/citizen-view.server";
import { log } from "~/modules/observability/logger.server";
import { renderPaymentReceiptPdf } from "~/modules/receipts/payment-receipt-pdf.server";
import type { AppDb, AppTx } from "~db/client.server";
import { agencies, citizens, dossiers, payments, procedures } from "~db/schema";
import type { PaymentGateway } from "~integrations/paygov/port";

export const PAYMENT_TTL_MS = 30 * 60_000;
/** A result may arrive a little after the attempt's window (PayGov retries); later ones are refused. */
const LATE_GRACE_MS = 15 * 60_000;

export const PaymentErrors = {
  unavailable: () => appError("payment.unavailable", 503, "payment.errors.unavailable"),
  refused: () => appError("payment.refused", 502, "payment.errors.refused"),
  badResult: () => appError("payment.bad_result", 400, "payment.errors.badResult"),
  late: () => appError("payment.late", 409, "payment.errors.late"),
  nothingToPay: () => appError("payment.nothing", 400, "payment.errors.nothingToPay"),
};

export type Payment = typeof payments.$inferSelect;

export async function startPayment(
  db: AppDb,
  gateway: PaymentGateway,
  input: { citizenId: string; draftId: string; procedureCode: string; procedureName: string; amountVnd: number; lang: "vi" | "en"; baseUrl: string },
): Promise<Result<{ payUrl: string; reference: string }>> {
  if (input.amountVnd <= 0) return err(PaymentErrors.nothingToPay());
  const reference = `QN-${Date.now().toString(36).toUpperCase()}-${randomBytes(5).toString("hex").toUpperCase()}`;
  await db.insert(payments).values({
    reference, citizenId: input.citizenId, draftId: input.draftId, procedureCode: input.procedureCode,
    amountVnd: input.amountVnd, expiresAt: new Date(Date.now() + PAYMENT_TTL_MS),
  });
  const r = await gateway.initPayment({
    reference, amount: input.amountVnd, description: `Le phi ${input.procedureCode}`.slice(0, 255),
    callbackUrl: `${input.baseUrl}/api/paygov/callback`, returnUrl: `${input.baseUrl}/thanh-toan/ket-qua`,
    language: input.lang, receipt: { procedureCode: input.procedureCode, fees: [{ kind: "charge", amount: input.amountVnd, description: input.procedureName.slice(0, 200) }] },
  });
  if (!r.ok) {
    await db.update(payments).set({ status: "failed" }).where(eq(payments.reference, reference));
    log.warn("payment init refused", { reference, code: r.code, retryable: r.retryable });
    return err(r.retryable ? PaymentErrors.unavailable() : PaymentErrors.refused());
  }
  await db.update(payments).set({ providerTxn: r.transactionId }).where(eq(payments.reference, reference));
  return ok({ payUrl: r.payUrl, reference });
}

export type ResultOutcome = { payment: Payment; outcome: "paid" | "cancelled" | "already" };

/** Applies a payment result from the callback or the browser's return; idempotent. */
export async function applyPaymentResult(
  db: AppDb,
  gateway: PaymentGateway,
  fields: Readonly<Record<string, unknown>>,
  via: "callback" | "return",
  now = new Date(),
): Promise<Result<ResultOutcome>> {
  const v = gateway.verifyCallback(fields);
  const refuse = async (tx: AppTx, reason: string, reference: string, error: AppError) => {
    log.warn("payment result refused", { via, reason, reference });
    await appendAudit(tx, { actorKind: "system", actorId: "paygov", action: "payment.result_refused", subjectKind: "payment", subjectId: reference || "?", details: { via, reason } });
    return err(error);
  };
  // what a refused message claims its reference is: any JSON value or query text, so only a
  // string is taken, and without control characters (PostgreSQL text refuses NUL)
  const claimed = typeof fields.MaThamChieu === "string" ? fields.MaThamChieu.replace(/\p{Cc}/gu, "").slice(0, 60) : "";
  if (!v.ok) return db.transaction((tx) => refuse(tx, v.reason, claimed, PaymentErrors.badResult()));
  const r = v.data;
  return db.transaction(async (tx) => {
    const [p] = await tx.select().from(payments).where(eq(payments.reference, r.reference)).for("update");
    if (!p) return refuse(tx, "unknown_reference", r.reference, PaymentErrors.badResult());
    if (p.amountVnd !== r.amount) return refuse(tx, "amount_mismatch", r.reference, PaymentErrors.badResult());
    if (p.providerTxn && p.providerTxn !== r.transactionId) return refuse(tx, "transaction_mismatch", r.reference, PaymentErrors.badResult());
    if (p.status === "paid") {
      // the same result again (the other channel, or a replay): already applied
      if (via === "callback") log.info("payment result repeated", { reference: r.reference });
      return ok({ payment: p, outcome: "already" as const });
    }
    if (now.getTime() > p.expiresAt.getTime() + LATE_GRACE_MS) return refuse(tx, r.outcome === "paid" ? "late_paid_needs_refund" : "late", r.reference, PaymentErrors.late());
    if (r.outcome === "cancelled") {
      if (p.status === "pending") await tx.update(payments).set({ status: "failed" }).where(eq(payments.id, p.id));
      return ok({ payment: p, outcome: "cancelled" as const });
    }
    const [paid] = await tx.update(payments).set({ status: "paid", paidAt: r.at, providerTxn: r.transactionId }).where(and(eq(payments.id, p.id), sql`${payments.status} <> 'paid'`)).returning();
    await appendAudit(tx, { actorKind: "system", actorId: "paygov", action: "payment.paid", subjectKind: "payment", subjectId: r.reference, details: { via, amount: r.amount, transaction: r.transactionId } });
    return ok({ payment: paid ?? p, outcome: "paid" as const });
  });
}

/** The e-receipt's address: a dossier code and one of our payment references (QN-…). */
export const PaymentReceiptParams = z.object({
  code: z.string().refine(plausibleCode),
  reference: z.string().regex(/^[A-Z0-9-]{1,60}$/),
});

/**
 * The e-receipt ("Biên lai thu phí, lệ phí điện tử") of a paid fee of the citizen's own dossier;
 * null for anybody else's dossier, an unknown reference, or a payment that is pending or failed.
 */
export async function citizenPaymentReceipt(
  db: AppDb,
  citizenId: string,
  params: { code: string; reference: string },
  lng: Lng,
): Promise<Uint8Array | null> {
  const parsed = PaymentReceiptParams.safeParse(params);
  if (!parsed.success) return null;
  const [row] = await db
    .select({
      reference: payments.reference, transactionId: payments.providerTxn, paidAt: payments.paidAt, amountVnd: payments.amountVnd,
      payerName: citizens.fullName, payerIdNumber: citizens.idNumber,
      dossierCode: dossiers.code, procedureCode: dossiers.procedureCode, procedureName: dossiers.procedureName, procedureNameEn: procedures.nameEn,
      agencyCode: dossiers.agencyCode, agencyVi: agencies.nameVi, agencyEn: agencies.nameEn,
    })
    .from(payments)
    .innerJoin(dossiers, eq(dossiers.id, payments.dossierId))
    .innerJoin(citizens, eq(citizens.id, payments.citizenId))
    .leftJoin(procedures, eq(procedures.code, dossiers.procedureCode))
    .leftJoin(agencies, eq(agencies.code, dossiers.agencyCode))
    .where(and(
      eq(payments.reference, parsed.data.reference), eq(payments.status, "paid"), eq(payments.citizenId, citizenId),
      eq(dossiers.code, parsed.data.code), eq(dossiers.citizenId, citizenId),
    ));
  if (!row?.paidAt || !row.transactionId) return null;
  return renderPaymentReceiptPdf({
    locale: lng,
    reference: row.reference,
    transactionId: row.transactionId,
    paidAt: row.paidAt,
    amountVnd: row.amountVnd,
    payerName: row.payerName,
    payerIdNumber: row.payerIdNumber,
    dossierCode: row.dossierCode,
    procedureCode: row.procedureCode,
    procedureName: lng === "en" && row.procedureNameEn ? row.procedureNameEn : row.procedureName,
    agencyName: (lng === "en" ? row.agencyEn : row.agencyVi) ?? row.agencyCode,
  });
}

// Fees through the national payment platform: one reference per attempt, the result accepted
// only when PayGov's checksum verifies, the reference is ours, the amount matches and the attempt
// has not expired. A result that arrives twice (callback and browser return, or a replay) is
// applied once. Every refusal is logged and audited.
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { err, ok, type AppError, type Result } from "~/lib/result";
import { appendAudit } from "~/modules/audit/audit.server";
import { log } from "~/modules/observability/logger.server";
import type { AppDb, AppTx } from "~db/client.server";
import { payments } from "~db/schema";
import type { PaymentGateway } from "~integrations/paygov/port";

export const PAYMENT_TTL_MS = 30 * 60_000;
/** A result may arrive a little after the attempt's window (PayGov retries); later ones are refused. */
const LATE_GRACE_MS = 15 * 60_000;

const e = (code: string, status: number, i18nKey: string): AppError => ({ code, status, i18nKey });
export const PaymentErrors = {
  unavailable: () => e("payment.unavailable", 503, "payment.errors.unavailable"),
  refused: () => e("payment.refused", 502, "payment.errors.refused"),
  badResult: () => e("payment.bad_result", 400, "payment.errors.badResult"),
  late: () => e("payment.late", 409, "payment.errors.late"),
  nothingToPay: () => e("payment.nothing", 400, "payment.errors.nothingToPay"),
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

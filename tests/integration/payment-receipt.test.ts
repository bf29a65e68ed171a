// The e-receipt of a fee paid online: a PDF for the citizen's own paid payment only, naming the
// payer, the dossier, the procedure, the amount in digits and in Vietnamese words, PayGov's
// transaction, the time in Viet Nam and the collecting agency, with every diacritic intact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citizenPaymentReceipt } from "~/modules/payments/payments.server";
import { PAYMENT_RECEIPT_LABELS } from "~/modules/receipts/payment-receipt-pdf.server";
import { seedCatalog } from "~db/seed";
import { agencies, dossiers, payments } from "~db/schema";
import { eq } from "drizzle-orm";
import { openTestDb, type TestDb } from "../support/db";
import { communeCommittees, insertCitizens, type CitizenRow } from "../support/filing-drafts";
import { inspectPdf } from "../support/pdf";

const PERMANENT_RESIDENCE = "1.004222";
const CODE = "000.00.00.H49-261128-0042";
const flat = (text: string) => text.replace(/\s+/g, " ");

let t: TestDb;
let owner: CitizenRow;
let other: CitizenRow;
let agency: { code: string; nameVi: string; nameEn: string };

beforeAll(async () => {
  t = await openTestDb();
  await seedCatalog(t.db);
  [owner, other] = await insertCitizens(t.db, 2, 700);
  const [committee] = await communeCommittees(t.db);
  [agency] = await t.db.select({ code: agencies.code, nameVi: agencies.nameVi, nameEn: agencies.nameEn }).from(agencies).where(eq(agencies.code, committee.agencyCode));
  const [dossier] = await t.db.insert(dossiers).values({
    code: CODE, procedureCode: PERMANENT_RESIDENCE, procedureName: "Đăng ký thường trú", agencyCode: agency.code, channel: 2,
    applicantName: owner.fullName, applicantIdNumber: owner.idNumber, citizenId: owner.id, feeVnd: 10_000, status: 1,
    submittedAt: new Date("2026-11-28T02:00:00Z"),
  }).returning();
  const payment = (reference: string, status: string, paid: boolean) => ({
    reference, citizenId: owner.id, dossierId: dossier.id, procedureCode: PERMANENT_RESIDENCE, amountVnd: 10_000, status,
    providerTxn: paid ? "PG20261128000123" : null, paidAt: paid ? new Date("2026-11-28T01:47:00Z") : null,
    expiresAt: new Date("2026-11-28T02:15:00Z"),
  });
  await t.db.insert(payments).values([payment("QN-PAID-0000000001", "paid", true), payment("QN-PEND-0000000002", "pending", false), payment("QN-FAIL-0000000003", "failed", false)]);
});
afterAll(() => t?.cleanup());

describe("payment e-receipt", () => {
  it("gives the payer a PDF with every detail, in Vietnamese with its diacritics", async () => {
    const pdf = await citizenPaymentReceipt(t.db, owner.id, { code: CODE, reference: "QN-PAID-0000000001" }, "vi");
    expect(pdf).not.toBeNull();
    const r = await inspectPdf(pdf!);
    const L = PAYMENT_RECEIPT_LABELS.vi;
    expect(r.language).toBe("vi-VN");
    expect(r.fonts.map((f) => f.baseFont).sort()).toEqual([expect.stringMatching(/^NotoSans-Bold\b/), expect.stringMatching(/^NotoSans-Regular\b/)]);
    expect(r.fonts.every((f) => f.embedded)).toBe(true);
    expect(r.notdefCount).toBe(0);
    expect(r.blankGlyphs).toEqual([]);
    expect(r.text.split("\n")).toContain(L.title);
    const text = flat(r.text);
    for (const s of [
      `${L.number}: QN-PAID-0000000001`, `${L.payer}:`, owner.fullName, owner.idNumber, `${L.dossierCode}:`, CODE,
      "Đăng ký thường trú", PERMANENT_RESIDENCE, "10.000 ₫", `${L.amountInWords}:`, "Mười nghìn đồng",
      `${L.transaction}:`, "PG20261128000123",
      // 01:47 UTC is 08:47 in Viet Nam
      `${L.paidAt}:`, "28/11/2026 08:47", "Quảng Ninh, ngày 28 tháng 11 năm 2026", `${L.agency}:`, agency.nameVi,
    ]) {
      expect(text).toContain(s);
    }
  });

  it("writes English labels but keeps the amount in Vietnamese words", async () => {
    const pdf = await citizenPaymentReceipt(t.db, owner.id, { code: CODE, reference: "QN-PAID-0000000001" }, "en");
    const text = flat((await inspectPdf(pdf!)).text);
    for (const s of [PAYMENT_RECEIPT_LABELS.en.title, "VND 10,000", "Mười nghìn đồng", "PG20261128000123", agency.nameEn]) expect(text).toContain(s);
  });

  it("has none for a pending or failed payment, another citizen, another dossier or a malformed address", async () => {
    const none = [
      [owner.id, CODE, "QN-PEND-0000000002"], [owner.id, CODE, "QN-FAIL-0000000003"], [owner.id, CODE, "QN-NONE-0000000004"],
      [other.id, CODE, "QN-PAID-0000000001"], [owner.id, "000.00.00.H49-261128-0043", "QN-PAID-0000000001"],
      [owner.id, `${CODE}\u0000`, "QN-PAID-0000000001"], [owner.id, CODE, "qn-paid-0000000001"], [owner.id, CODE, "' or '1'='1"], [owner.id, CODE, "Q".repeat(61)],
    ] as const;
    for (const [citizenId, code, reference] of none) {
      expect(await citizenPaymentReceipt(t.db, citizenId, { code, reference }, "vi"), `${code} ${reference}`).toBeNull();
    }
  });
});

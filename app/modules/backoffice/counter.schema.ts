// The counter's start form, safe for the browser: the procedure, the citizen's card as the officer
// reads it (the same checks as a kiosk's typed identification), and the citizen's signature.
import { z } from "zod";
import { ManualIdentify } from "~/modules/kiosk/kiosk.schema";

export const CounterStartForm = ManualIdentify.extend({
  procedureCode: z.string().trim().regex(/^\d\.\d{6}$/, "counter.errors.noForm"),
  consent: z.literal("on", { message: "counter.errors.consentRequired" }),
});
export type CounterStartForm = z.infer<typeof CounterStartForm>;

/** The cash receipt number the desk writes on its own receipt book (letters, digits, - and /). */
export const CashReceipt = z.string().trim().min(1, "counter.errors.cashReceipt").max(60, "counter.errors.cashReceipt").regex(/^[\p{L}\p{N}\-/. ]+$/u, "counter.errors.cashReceipt");

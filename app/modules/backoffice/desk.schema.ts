import { z } from "zod";
import { plainText, searchText } from "~/lib/text";
import { DESK_ACTIONS } from "./permissions";

export const QueueQuery = z.object({
  q: z.string().transform(searchText).pipe(z.string().max(100, "desk.errors.qTooLong")).default(""),
  status: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(10).optional()),
  channel: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(3).optional()),
  due: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["soon", "overdue"]).optional()),
  after: z.string().regex(/^\d{13}_[0-9a-f-]{36}$/).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

/** Text a citizen reads on a letter: refused with a control character in it (tab and line breaks are text). */
const letterText = (max: number, tooLong: string) => plainText({ multiline: true }).trim().max(max, tooLong);

export const ActionForm = z.object({
  csrf: z.string().min(1),
  action: z.enum(DESK_ACTIONS as [string, ...string[]], { message: "desk.errors.badAction" }),
  note: letterText(2000, "desk.errors.noteTooLong").default(""),
  /** Refusals: the rule the refusal rests on (default: the procedure's legal bases). */
  legalBasis: letterText(1000, "letters.errors.legalBasisTooLong").default(""),
});

/** A new appointment date for a late dossier (the apology letter's reason is shown to the citizen). */
export const RescheduleForm = z.object({
  csrf: z.string().min(1),
  intent: z.literal("reschedule"),
  newDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "letters.errors.badDate"),
  reason: letterText(2000, "desk.errors.noteTooLong").min(1, "letters.errors.reasonRequired"),
});

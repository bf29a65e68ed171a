import { z } from "zod";
import { DESK_ACTIONS } from "./permissions";

export const QueueQuery = z.object({
  q: z.string().trim().max(100, "desk.errors.qTooLong").default(""),
  status: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(10).optional()),
  channel: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(3).optional()),
  due: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["soon", "overdue"]).optional()),
  after: z.string().regex(/^\d{13}_[0-9a-f-]{36}$/).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const ActionForm = z.object({
  csrf: z.string().min(1),
  action: z.enum(DESK_ACTIONS as [string, ...string[]], { message: "desk.errors.badAction" }),
  note: z.string().trim().max(2000, "desk.errors.noteTooLong").default(""),
});

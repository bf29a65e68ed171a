import { z } from "zod";
import { plainText } from "~/lib/text";

export const HolidayForm = z.object({
  csrf: z.string().min(1),
  intent: z.enum(["save", "delete"]),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "holidays.errors.date").refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "holidays.errors.date"),
  name: plainText().trim().max(200, "holidays.errors.name").default(""),
  kind: z.enum(["day_off", "make_up_working_day"], { message: "holidays.errors.kind" }).default("day_off"),
});
export type HolidayForm = z.infer<typeof HolidayForm>;

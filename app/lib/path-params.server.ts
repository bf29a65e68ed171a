// Every route's path parameters are checked at the edge, against the shape of what they name,
// before any module (and so any SQL) sees them: a malformed one names nothing, so it is a 404.
// PostgreSQL refuses NUL in any text parameter (22021), and a uuid column refuses a malformed
// uuid (22P02): both would otherwise be 500s on a hand-typed or hostile URL.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

/** The national dossier code shapes, and ours: {agency}-{yyMMdd}-{NNNN…} (the counter may pass 9999 a day). */
export const DossierCodeParam = z.string().max(60).regex(/^[0-9A-Z]{2,3}(?:\.[0-9A-Z]{2,3}){3}-(?:\d{6}-\d{4,7}|\d{8}-\d{7})$/);
/** A row id (gen_random_uuid()); any version, as the uuid column takes it. */
export const UuidParam = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
/** A form step's id (forms.schema.ts StepDef) or a reserved step (tai-lieu, xem-lai). */
export const StepParam = z.string().regex(/^[a-z][a-z0-9-]{0,30}$/);
/** A kiosk's e-ID approval token: 32 random bytes, base64url. */
export const ApprovalTokenParam = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** One of our payment references (QN-<time>-<random>, upper case). */
export const PaymentReferenceParam = z.string().regex(/^QN-[A-Z0-9-]{1,57}$/);

/** The parameter `name`, if it has the shape; otherwise the request ends here with a 404. */
export function paramOf(params: LoaderFunctionArgs["params"], name: string, shape: z.ZodType<string>, headers?: HeadersInit): string {
  const parsed = shape.safeParse(params[name]);
  if (!parsed.success) throw new Response("Not Found", { status: 404, headers });
  return parsed.data;
}

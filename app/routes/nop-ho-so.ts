// The national portal's hand-off deep link: /nop-ho-so?MaTTHC=1.004222&MaCoQuanThucHien=H49.22.
// Until online filing lands, it opens the procedure's page (what a citizen needs before filing).
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";

const HandOff = z.object({
  MaTTHC: z.string().regex(/^\d\.\d{6}$/),
  MaCoQuanThucHien: z.string().regex(/^H\d{2}(\.\d{1,3})?$/).optional(),
});

export function loader({ request }: LoaderFunctionArgs) {
  const parsed = HandOff.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return redirect("/thu-tuc");
  return redirect(`/thu-tuc/${parsed.data.MaTTHC}`);
}

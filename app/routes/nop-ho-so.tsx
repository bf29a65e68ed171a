// The national portal's hand-off deep link: /nop-ho-so?MaTTHC=1.004222&MaCoQuanThucHien=H49.22.
// National front (ADR 025): on to the national filing page for that procedure and agency.
// Province front: the procedure's page here, where our own online filing starts.
import { data, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { nationalFront, resolveHandOff } from "~/modules/filing/national-front.server";

const HandOff = z.object({
  MaTTHC: z.string().regex(/^\d\.\d{6}$/),
  MaCoQuanThucHien: z.string().regex(/^H\d{2}(\.\d{1,3})?$/).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const query = new URL(request.url).searchParams;
  const front = nationalFront();
  if (front.on) {
    const r = await resolveHandOff(await getDb(), query, { filingPage: front.pages.filing, provinceUnit: front.provinceUnit });
    if (!r.ok) {
      const { t } = await getFixedT(request);
      throw data({ message: t(r.error.i18nKey, r.error.params) }, { status: r.error.status });
    }
    return redirect(r.value);
  }
  const parsed = HandOff.safeParse(Object.fromEntries(query));
  if (!parsed.success) return redirect("/thu-tuc");
  return redirect(`/thu-tuc/${parsed.data.MaTTHC}`);
}

// Never rendered (the loader redirects or throws): its presence makes a refusal a translated page
// in the site's layout (the root error boundary) instead of a bare JSON answer.
export default function HandOffRefused() {
  return null;
}

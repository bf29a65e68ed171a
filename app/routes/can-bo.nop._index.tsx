// Counter filing, first step: a one-stop desk officer picks the procedure, types the citizen's
// card details (checked against the population database) and ticks that the citizen has signed
// their consent; the same form steps as citizens and kiosks follow (/can-bo/nop/<draft>/<step>).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { CounterStartForm } from "~/modules/backoffice/counter.schema";
import { COUNTER_ROLES } from "~/modules/backoffice/permissions";
import { counterProcedures, startCounterFiling } from "~/modules/backoffice/counter.server";
import { csrfOk, requireRole } from "~/modules/identity/staff-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];
export const headers = () => ({ "Cache-Control": "no-store" });
const noStore = { "Cache-Control": "no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const { user, csrf } = await requireRole(db, request, COUNTER_ROLES, "counter.view");
  const { t, lng } = await getFixedT(request);
  const procedures = await counterProcedures(db, user);
  return data({
    title: `${t("counter.title")} | ${t("site.name")}`, csrf,
    procedures: procedures.map((p) => ({ code: p.code, name: lng === "en" ? p.name_en : p.name_vi })),
  }, { headers: noStore });
}

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireRole(db, request, COUNTER_ROLES, "counter.start");
  const device = request.headers.get("user-agent") ?? undefined;
  const form = await formFields(request);
  const fail = (error: string, status: number) => data({ error }, { status, headers: noStore });
  if (!form) return fail("errors.badRequestTitle", 400);
  if (!csrfOk(session, form.csrf)) return fail("desk.errors.badCsrf", 403);
  const parsed = CounterStartForm.safeParse(form);
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "errors.badRequestTitle", 400);
  const r = await startCounterFiling(db, session.user, { ...parsed.data, consent: true }, services.population, device);
  if (!r.ok) return fail(r.error.i18nKey, r.error.status);
  return redirect(`/can-bo/nop/${r.value.draftId}/${r.value.step}`, { headers: noStore });
}

export default function CounterStart() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  return (
    <div className="container">
      <p><Link to="/can-bo/ho-so">← {t("desk.title")}</Link></p>
      <h1>{t("counter.title")}</h1>
      <p>{t("counter.intro")}</p>
      {params.get("da-huy") ? <div className="alert success" role="status">{t("filing.discarded")}</div> : null}
      {result?.error ? <div className="alert error" role="alert">{t(result.error)}</div> : null}
      {d.procedures.length === 0 ? <p className="empty">{t("counter.noProcedures")}</p> : (
        <Form method="post" className="stack-form" autoComplete="off">
          <input type="hidden" name="csrf" value={d.csrf} />
          <label htmlFor="procedureCode">{t("counter.procedure")}</label>
          <select id="procedureCode" name="procedureCode" required>
            {d.procedures.map((p) => <option key={p.code} value={p.code}>{p.name} ({p.code})</option>)}
          </select>
          <fieldset>
            <legend>{t("counter.citizen")}</legend>
            <label htmlFor="idNumber">{t("kiosk.idNumber")}</label>
            <input id="idNumber" name="idNumber" inputMode="numeric" pattern="\d{12}" maxLength={12} autoComplete="off" required />
            <label htmlFor="fullName">{t("kiosk.fullName")}</label>
            <input id="fullName" name="fullName" autoComplete="off" required maxLength={150} />
            <label htmlFor="birthDate">{t("kiosk.birthDate")}</label>
            <input id="birthDate" name="birthDate" inputMode="numeric" placeholder="dd/mm/yyyy" autoComplete="off" required />
          </fieldset>
          <div className="field checkbox">
            <input type="checkbox" id="consent" name="consent" value="on" required aria-describedby="consent-scope" />
            <label htmlFor="consent">{t("counter.consent")}</label>
          </div>
          <p id="consent-scope" className="hint">{t("counter.consentScope")}</p>
          <button type="submit" className="button primary" disabled={busy}>{t("counter.start")}</button>
        </Form>
      )}
    </div>
  );
}

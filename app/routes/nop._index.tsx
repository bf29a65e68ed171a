// Start filing a procedure online: signed-in citizens open a draft (prefilled from the population
// database) or resume one they already have for it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { ProcedureCode } from "~/modules/catalog/catalog.schema";
import { getProcedure } from "~/modules/catalog/catalog.server";
import { formFields, listDrafts, loadForm, startDraft } from "~/modules/filing/filing.server";
import { citizenCsrfOk, requireCitizen } from "~/modules/identity/citizen-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const { t, lng } = await getFixedT(request);
  const code = ProcedureCode.safeParse(new URL(request.url).searchParams.get("thu-tuc"));
  if (!code.success) throw data({ message: t("filing.errors.noForm") }, { status: 404 });
  const [proc, form] = await Promise.all([getProcedure(db, code.data), loadForm(db, code.data)]);
  if (!proc.ok || !form) throw data({ message: t("filing.errors.noForm") }, { status: 404 });
  const drafts = (await listDrafts(db, session.citizen.id)).filter((d) => d.procedureCode === code.data);
  return data({
    title: `${t("filing.startTitle")} | ${t("site.name")}`, lng, csrf: session.csrf, code: code.data,
    name: lng === "en" ? proc.value.nameEn : proc.value.nameVi,
    drafts: drafts.map((d) => ({ id: d.id, step: d.step, updatedAt: d.updatedAt.toISOString(), expiresAt: d.expiresAt.toISOString() })),
  }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const form = await formFields(request);
  if (!form) return data({ error: "errors.badRequestTitle" }, { status: 400 });
  if (!citizenCsrfOk(session, form.csrf)) return data({ error: "filing.errors.csrf" }, { status: 403 });
  const code = ProcedureCode.safeParse(form.procedureCode);
  if (!code.success) return data({ error: "filing.errors.noForm" }, { status: 400 });
  const r = await startDraft(db, { citizen: session.citizen, procedureCode: code.data, population: services.population, device: request.headers.get("user-agent") ?? undefined });
  if (!r.ok) return data({ error: r.error.i18nKey }, { status: r.error.status });
  const form0 = await loadForm(db, code.data);
  return redirect(`/nop/${r.value.draftId}/${form0?.def.steps[0].id ?? "xem-lai"}`);
}

export default function StartFiling() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const fmt = new Intl.DateTimeFormat(d.lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  return (
    <div className="container narrow">
      <p><Link to={`/thu-tuc/${d.code}`}>← {d.name}</Link></p>
      <h1>{t("filing.startTitle")}</h1>
      <p>{d.name} ({d.code})</p>
      {result?.error ? <div className="alert error" role="alert">{t(result.error)}</div> : null}
      <p>{t("filing.startIntro")}</p>
      <Form method="post">
        <input type="hidden" name="csrf" value={d.csrf} />
        <input type="hidden" name="procedureCode" value={d.code} />
        <button type="submit" className="button primary">{t("filing.startNew")}</button>
      </Form>
      {d.drafts.length ? (
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title">{t("filing.resumeTitle")}</h2>
          <ul>
            {d.drafts.map((x) => (
              <li key={x.id}>
                <Link to={`/nop/${x.id}/${x.step}`}>{t("filing.resumeDraft", { date: fmt.format(new Date(x.updatedAt)) })}</Link>{" "}
                <span className="note">{t("filing.expires", { date: fmt.format(new Date(x.expiresAt)) })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

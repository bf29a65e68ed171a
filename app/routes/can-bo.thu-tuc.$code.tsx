// Administrators: edit one procedure (texts, processing time, fee, online mode) and publish a new
// version of its form. Both changes are audited; earlier form versions stay for the dossiers
// filed under them.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formFields } from "~/lib/form-data.server";
import { CATALOG_ROLES, procedureForAdmin, publishFormVersion, updateProcedure } from "~/modules/catalog/admin.server";
import { FormPublish, ProcedureCode, ProcedureEdit } from "~/modules/catalog/catalog.schema";
import { csrfOk, requireRole } from "~/modules/identity/staff-auth.server";
import { paramOf } from "~/lib/path-params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const { csrf } = await requireRole(db, request, CATALOG_ROLES, "catalog.view");
  const { t } = await getFixedT(request);
  const code = paramOf(params, "code", ProcedureCode);
  const view = await procedureForAdmin(db, code);
  if (!view) throw data({ message: t("catalog.errors.notFound", { code }) }, { status: 404 });
  const p = view.procedure;
  return data({
    title: `${p.code} | ${t("catalogAdmin.title")} | ${t("site.name")}`, csrf,
    procedure: {
      code: p.code, nameVi: p.nameVi, nameEn: p.nameEn, field: p.field, agencyText: p.agencyText, processingText: p.processingText ?? "",
      processingValue: p.processingValue ?? "", processingUnit: p.processingUnit ?? "", feeAmountVnd: p.feeAmountVnd ?? "", feeText: p.feeText ?? "", onlineMode: p.onlineMode,
    },
    versions: view.versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })),
    definition: view.latestDefinition ? JSON.stringify(view.latestDefinition, null, 2) : "",
  }, { headers: { "Cache-Control": "no-store" } });
}

type ActionResult = { intent: "procedure" | "form"; error: string; params?: Record<string, string | number> };

export async function action({ request, params }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireRole(db, request, CATALOG_ROLES, "catalog.edit");
  const code = paramOf(params, "code", ProcedureCode);
  const fields = (await formFields(request)) ?? {};
  const intent = fields.intent === "form" ? "form" : "procedure";
  const fail = (error: string, status: number, p?: Record<string, string | number>) => data<ActionResult>({ intent, error, params: p }, { status });
  if (!csrfOk(session, fields.csrf)) return fail("desk.errors.badCsrf", 403);
  if (intent === "form") {
    const parsed = FormPublish.safeParse(fields);
    if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "catalogAdmin.errors.formJson", 400);
    const r = await publishFormVersion(db, session.user, code, parsed.data.definition);
    if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
    return redirect(`/can-bo/thu-tuc/${encodeURIComponent(code)}?phien-ban=${r.value.version}`);
  }
  const parsed = ProcedureEdit.safeParse(fields);
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? "catalogAdmin.errors.name", 400);
  const r = await updateProcedure(db, session.user, code, parsed.data);
  if (!r.ok) return fail(r.error.i18nKey, r.error.status, r.error.params);
  return redirect(`/can-bo/thu-tuc/${encodeURIComponent(code)}?da-luu=1`);
}

export default function EditProcedure() {
  const { procedure: p, versions, definition, csrf } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { t } = useTranslation();
  const errorFor = (intent: ActionResult["intent"]) =>
    result && "intent" in result && result.intent === intent ? <div className="alert error" role="alert">{t(result.error, result.params)}</div> : null;
  const text = (name: keyof typeof p, label: string, opts: { required?: boolean; max?: number; type?: string } = {}) => (
    <>
      <label htmlFor={`p-${name}`}>{t(label)}</label>
      <input id={`p-${name}`} name={name} type={opts.type ?? "text"} defaultValue={String(p[name])} required={opts.required} maxLength={opts.max} />
    </>
  );
  return (
    <div className="container">
      <p><Link to="/can-bo/thu-tuc">← {t("catalogAdmin.title")}</Link></p>
      <h1><span className="code">{p.code}</span> {p.nameVi}</h1>
      {search.get("da-luu") ? <div className="alert success" role="status">{t("catalogAdmin.saved")}</div> : null}
      {search.get("phien-ban") ? <div className="alert success" role="status">{t("catalogAdmin.published", { version: search.get("phien-ban") })}</div> : null}
      <h2>{t("catalogAdmin.procedureTitle")}</h2>
      {errorFor("procedure")}
      <Form method="post" className="stack-form">
        <input type="hidden" name="csrf" value={csrf} /><input type="hidden" name="intent" value="procedure" />
        {text("nameVi", "catalogAdmin.nameVi", { required: true, max: 500 })}
        {text("nameEn", "catalogAdmin.nameEn", { required: true, max: 500 })}
        {text("field", "catalogAdmin.field", { required: true, max: 300 })}
        {text("agencyText", "catalogAdmin.agencyText", { max: 500 })}
        {text("processingText", "catalogAdmin.processingText", { max: 2000 })}
        {text("processingValue", "catalogAdmin.processingValue", { type: "number" })}
        <label htmlFor="p-processingUnit">{t("catalogAdmin.processingUnit")}</label>
        <select id="p-processingUnit" name="processingUnit" defaultValue={String(p.processingUnit)}>
          <option value="">—</option>
          {["working_days", "days", "immediate"].map((u) => <option key={u} value={u}>{t(`catalogAdmin.unit.${u}`)}</option>)}
        </select>
        {text("feeAmountVnd", "catalogAdmin.fee", { type: "number" })}
        {text("feeText", "catalogAdmin.feeText", { max: 2000 })}
        <label htmlFor="p-onlineMode">{t("catalogAdmin.onlineMode")}</label>
        <select id="p-onlineMode" name="onlineMode" defaultValue={p.onlineMode}>
          {["full", "partial", "none"].map((m) => <option key={m} value={m}>{t(`catalogAdmin.online.${m}`)}</option>)}
        </select>
        <button type="submit" className="button primary">{t("catalogAdmin.save")}</button>
      </Form>
      <h2>{t("catalogAdmin.formTitle")}</h2>
      <p>{t("catalogAdmin.formIntro")}</p>
      {versions.length ? (
        <ul data-testid="form-versions">
          {versions.map((v) => <li key={v.version}>{t("catalogAdmin.version", { version: v.version })} — <time dateTime={v.createdAt}>{v.createdAt.slice(0, 10)}</time> ({v.byAdmin ? t("catalogAdmin.byAdmin") : t("catalogAdmin.bySeed")})</li>)}
        </ul>
      ) : <p>{t("catalogAdmin.noForm")}</p>}
      {errorFor("form")}
      <Form method="post" className="stack-form">
        <input type="hidden" name="csrf" value={csrf} /><input type="hidden" name="intent" value="form" />
        <label htmlFor="definition">{t("catalogAdmin.definition")}</label>
        <textarea id="definition" name="definition" rows={20} spellCheck={false} defaultValue={definition} className="code" required />
        <button type="submit" className="button primary">{t("catalogAdmin.publish")}</button>
      </Form>
    </div>
  );
}

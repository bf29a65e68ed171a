// One of the citizen's dossiers: status timeline, documents, payments, receipt slip.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formatVnd } from "~/lib/format";
import { citizenDossier } from "~/modules/dossiers/citizen-view.server";
import { requireCitizen } from "~/modules/identity/citizen-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const { t, lng } = await getFixedT(request);
  const view = await citizenDossier(db, session.citizen.id, params.code ?? "");
  if (!view) throw data({ message: t("dossier.errors.notFound") }, { status: 404 });
  const d = view.dossier;
  return data({
    title: `${d.code} | ${t("site.name")}`, lng,
    code: d.code, procedureCode: d.procedureCode, procedureName: d.procedureName, status: d.status,
    agency: (lng === "en" ? view.agency?.nameEn : view.agency?.nameVi) ?? d.agencyCode,
    submittedAt: d.submittedAt.toISOString(), dueAt: d.dueAt?.toISOString() ?? null, fee: d.feeVnd ?? 0,
    provisionalDueAt: d.dueAt ? null : view.provisionalDueAt?.toISOString() ?? null,
    events: view.events.map((e) => ({ seq: e.seq, status: e.status, at: e.at.toISOString(), note: e.note })),
    files: view.files, payments: view.payments.map((p) => ({ ...p, paidAt: p.paidAt?.toISOString() ?? null })),
  }, { headers: { "Cache-Control": "no-store" } });
}

export default function MyDossier() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const fmt = new Intl.DateTimeFormat(d.lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  return (
    <div className="container">
      <p><Link to="/ho-so">← {t("citizen.myDossiers")}</Link></p>
      {params.get("moi") ? <div className="alert success" role="status">{t("filing.submittedNotice", { code: d.code })}</div> : null}
      <h1>{t("citizen.dossierTitle", { code: d.code })}</h1>
      <dl className="summary">
        <div><dt>{t("citizen.procedure")}</dt><dd>{d.procedureName} ({d.procedureCode})</dd></div>
        <div><dt>{t("citizen.agency")}</dt><dd>{d.agency}</dd></div>
        <div><dt>{t("citizen.status")}</dt><dd data-testid="status">{t(`desk.s.${d.status}`)}</dd></div>
        <div><dt>{t("citizen.submittedAt")}</dt><dd>{fmt.format(new Date(d.submittedAt))}</dd></div>
        <div>
          <dt>{t("citizen.dueAt")}</dt>
          <dd data-testid="due">
            {d.dueAt ? fmt.format(new Date(d.dueAt)) : d.provisionalDueAt ? `${fmt.format(new Date(d.provisionalDueAt))} (${t("citizen.provisional")})` : "—"}
          </dd>
        </div>
        <div><dt>{t("filing.feeTitle")}</dt><dd>{d.fee > 0 ? formatVnd(d.fee, d.lng) : t("filing.free")}</dd></div>
      </dl>
      <p><a className="button" href={`/ho-so/${d.code}/bien-nhan.pdf`} download>{t("citizen.downloadReceipt")}</a></p>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("citizen.timeline")}</h2>
        <ol className="timeline">
          {d.events.map((e) => (
            <li key={e.seq}><strong>{t(`desk.s.${e.status}`)}</strong> — <time dateTime={e.at}>{fmt.format(new Date(e.at))}</time>{e.note ? `: ${e.note}` : ""}</li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="files-title">
        <h2 id="files-title">{t("filing.documentsTitle")}</h2>
        {d.files.length ? <ul>{d.files.map((f) => <li key={f.id}>{f.fileName}</li>)}</ul> : <p>{t("filing.none")}</p>}
      </section>
      {d.payments.length ? (
        <section aria-labelledby="pay-title">
          <h2 id="pay-title">{t("citizen.payments")}</h2>
          <ul>{d.payments.map((p) => <li key={p.reference}>{formatVnd(p.amountVnd, d.lng)} — {t(`payment.status.${p.status}`)} ({p.reference})</li>)}</ul>
        </section>
      ) : null}
    </div>
  );
}

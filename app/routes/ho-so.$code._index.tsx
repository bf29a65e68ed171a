// One of the citizen's dossiers: status timeline, documents, payments, receipt slip.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { formatVnd } from "~/lib/format";
import { citizenDossier } from "~/modules/dossiers/citizen-view.server";
import { canAnswerSupplement, canRate, canWithdraw, DossierStatus } from "~/modules/dossiers/status";
import { rateDossier, SUPPLEMENT_SLOT, supplementDossier, withdrawDossier } from "~/modules/filing/after-submit.server";
import { formFields } from "~/modules/filing/filing.server";
import { citizenCsrfOk, requireCitizen } from "~/modules/identity/citizen-auth.server";
import { DossierCodeParam, paramOf } from "~/lib/path-params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const { t, lng } = await getFixedT(request);
  const view = await citizenDossier(db, session.citizen.id, paramOf(params, "code", DossierCodeParam));
  if (!view) throw data({ message: t("dossier.errors.notFound") }, { status: 404 });
  const d = view.dossier;
  return data({
    title: `${d.code} | ${t("site.name")}`, lng,
    code: d.code, assisted: d.helperStaffId === null ? null : d.helperKioskId === null ? ("counter" as const) : ("kiosk" as const), procedureCode: d.procedureCode, procedureName: lng === "en" && view.procedureNameEn ? view.procedureNameEn : d.procedureName, status: d.status,
    agency: (lng === "en" ? view.agency?.nameEn : view.agency?.nameVi) ?? d.agencyCode,
    submittedAt: d.submittedAt.toISOString(), dueAt: d.dueAt?.toISOString() ?? null, fee: d.feeVnd ?? 0,
    provisionalDueAt: d.dueAt ? null : view.provisionalDueAt?.toISOString() ?? null,
    events: view.events.map((e) => ({ seq: e.seq, status: e.status, at: e.at.toISOString(), note: e.note })),
    letters: view.letters.map((l) => ({ id: l.id, kind: l.kind, at: l.issuedAt.toISOString(), newDueAt: l.newDueAt?.toISOString() ?? null })),
    csrf: session.csrf, rating: d.rating, canWithdraw: canWithdraw(d.status), canRate: canRate(d.status) && d.rating === null, slot: SUPPLEMENT_SLOT,
    supplementNote: canAnswerSupplement(d.status) ? [...view.events].reverse().find((e) => e.status === DossierStatus.SUPPLEMENT)?.note ?? "" : null,
    files: view.files, results: view.results, payments: view.payments.map((p) => ({ ...p, paidAt: p.paidAt?.toISOString() ?? null })),
    accessLog: view.accessLog.map((a) => ({ at: a.at.toISOString(), who: [a.name ?? t("citizen.access.official"), a.title].filter(Boolean).join(", "), agency: (lng === "en" ? a.agencyEn : a.agencyVi) ?? "", what: a.what })),
  }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params, context: { services } }: ActionFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const code = paramOf(params, "code", DossierCodeParam);
  const back = (what: string) => redirect(`/ho-so/${encodeURIComponent(code)}?${what}=1`);
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const r = await supplementDossier(db, services.storage, request, session.citizen, code, (token) => citizenCsrfOk(session, token));
    return r.ok ? back("da-bo-sung") : data({ error: r.error.i18nKey, params: r.error.params ?? {} }, { status: r.error.status });
  }
  const form = await formFields(request);
  if (!form) return data({ error: "errors.badRequestTitle", params: {} }, { status: 400 });
  if (!citizenCsrfOk(session, form.csrf)) return data({ error: "filing.errors.csrf", params: {} }, { status: 403 });
  const device = request.headers.get("user-agent") ?? undefined;
  if (form.intent === "withdraw") {
    const r = await withdrawDossier(db, session.citizen, code, device);
    return r.ok ? back("da-rut") : data({ error: r.error.i18nKey, params: {} }, { status: r.error.status });
  }
  if (form.intent === "rate") {
    const r = await rateDossier(db, session.citizen, code, form.rating, form.comment);
    return r.ok ? back("da-danh-gia") : data({ error: r.error.i18nKey, params: {} }, { status: r.error.status });
  }
  return data({ error: "filing.errors.badStep", params: {} }, { status: 400 });
}

export default function MyDossier() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const fmt = new Intl.DateTimeFormat(d.lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  return (
    <div className="container">
      <p><Link to="/ho-so">← {t("citizen.myDossiers")}</Link></p>
      {params.get("moi") ? <div className="alert success" role="status">{t("filing.submittedNotice", { code: d.code })}</div> : null}
      {["da-rut", "da-bo-sung", "da-danh-gia"].map((k) => (params.get(k) ? <div key={k} className="alert success" role="status">{t(`citizen.done.${k}`)}</div> : null))}
      {result?.error ? <div className="alert error" role="alert">{t(result.error, result.params)}</div> : null}
      <h1>{t("citizen.dossierTitle", { code: d.code })}</h1>
      <dl className="summary">
        <div><dt>{t("citizen.procedure")}</dt><dd>{d.procedureName} ({d.procedureCode})</dd></div>
        <div><dt>{t("citizen.agency")}</dt><dd>{d.agency}</dd></div>
        <div><dt>{t("citizen.status")}</dt><dd data-testid="status">{t(`desk.s.${d.status}`)}</dd></div>
        {d.assisted ? <div><dt>{t("kiosk.channel")}</dt><dd data-testid="assisted">{d.assisted === "counter" ? t("counter.channel") : t("kiosk.filedWithHelp")}</dd></div> : null}
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
      {d.supplementNote !== null ? (
        <section aria-labelledby="supplement-title" className="document-slot">
          <h2 id="supplement-title">{t("citizen.supplementTitle")}</h2>
          <p>{t("citizen.supplementAsked")}: {d.supplementNote || "—"}</p>
          <Form method="post" encType="multipart/form-data" reloadDocument className="upload-form">
            <input type="hidden" name="csrf" value={d.csrf} />
            <label htmlFor="supplement-files">{t("uploads.choose")}</label>
            <input id="supplement-files" type="file" name={d.slot} multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" />
            <button type="submit" className="button primary">{t("citizen.sendSupplement")}</button>
          </Form>
        </section>
      ) : null}
      {d.canRate ? (
        <section aria-labelledby="rate-title">
          <h2 id="rate-title">{t("citizen.rateTitle")}</h2>
          <Form method="post" className="stack-form">
            <input type="hidden" name="csrf" value={d.csrf} />
            <input type="hidden" name="intent" value="rate" />
            <fieldset>
              <legend>{t("citizen.rateQuestion")}</legend>
              {[5, 4, 3, 2, 1].map((n) => (
                <div key={n} className="field checkbox">
                  <input type="radio" id={`rating-${n}`} name="rating" value={n} required />
                  <label htmlFor={`rating-${n}`}>{t(`citizen.rating.${n}`)}</label>
                </div>
              ))}
            </fieldset>
            <label htmlFor="comment">{t("citizen.rateComment")} <span className="optional">({t("forms.optional")})</span></label>
            <textarea id="comment" name="comment" maxLength={500} rows={3} />
            <button type="submit" className="button primary">{t("citizen.rateSubmit")}</button>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("citizen.timeline")}</h2>
        <ol className="timeline" data-testid="timeline">
          {[...d.events.map((e) => ({ at: e.at, key: `e${e.seq}`, item: (
            <><strong>{t(`desk.s.${e.status}`)}</strong> — <time dateTime={e.at}>{fmt.format(new Date(e.at))}</time>{e.note ? `: ${e.note}` : ""}</>
          ) })), ...d.letters.map((l) => ({ at: l.at, key: l.id, item: (
            <>
              <strong>{l.newDueAt ? t("letters.rescheduled", { date: fmt.format(new Date(l.newDueAt)) }) : t(`letters.${l.kind}`)}</strong> — <time dateTime={l.at}>{fmt.format(new Date(l.at))}</time>
              {" — "}<a href={`/ho-so/${d.code}/phieu/${l.id}`} download>{t(`letters.${l.kind}`)} ({t("letters.download")})</a>
            </>
          ) }))].sort((a, b) => a.at.localeCompare(b.at)).map((x) => <li key={x.key}>{x.item}</li>)}
        </ol>
      </section>
      {d.results.length ? (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{t("results.title")}</h2>
          <ul data-testid="results">
            {d.results.map((f) => <li key={f.id}><a href={`/ho-so/${d.code}/ket-qua/${f.id}`} download>{f.fileName}</a></li>)}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="files-title">
        <h2 id="files-title">{t("filing.documentsTitle")}</h2>
        {d.files.length ? <ul>{d.files.map((f) => <li key={f.id}>{f.fileName}</li>)}</ul> : <p>{t("filing.none")}</p>}
      </section>
      {d.payments.length ? (
        <section aria-labelledby="pay-title">
          <h2 id="pay-title">{t("citizen.payments")}</h2>
          <ul>
            {d.payments.map((p) => (
              <li key={p.reference}>
                {formatVnd(p.amountVnd, d.lng)} — {t(`payment.status.${p.status}`)} ({p.reference})
                {p.status === "paid" ? (
                  <>
                    {" "}
                    <a href={`/ho-so/${d.code}/bien-lai/${p.reference}`} download>
                      {t("payment.downloadReceipt")}<span className="visually-hidden"> {p.reference}</span>
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="access-title">
        <h2 id="access-title">{t("citizen.access.title")}</h2>
        <p>{t("citizen.access.intro")}</p>
        {d.accessLog.length ? (
          <table data-testid="access-log">
            <caption className="visually-hidden">{t("citizen.access.title")}</caption>
            <thead><tr><th scope="col">{t("citizen.access.when")}</th><th scope="col">{t("citizen.access.who")}</th><th scope="col">{t("citizen.agency")}</th><th scope="col">{t("citizen.access.what")}</th></tr></thead>
            <tbody>
              {d.accessLog.map((a, i) => (
                <tr key={i}><td><time dateTime={a.at}>{fmt.format(new Date(a.at))}</time></td><td>{a.who}</td><td>{a.agency}</td><td>{t(`citizen.access.${a.what}`)}</td></tr>
              ))}
            </tbody>
          </table>
        ) : <p data-testid="access-none">{t("citizen.access.none")}</p>}
      </section>
      {d.canWithdraw ? (
        <Form method="post" className="stack-form">
          <input type="hidden" name="csrf" value={d.csrf} />
          <input type="hidden" name="intent" value="withdraw" />
          <button type="submit" className="button">{t("citizen.withdraw")}</button>
        </Form>
      ) : null}
    </div>
  );
}

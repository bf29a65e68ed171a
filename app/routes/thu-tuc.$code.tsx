import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { feeLabel, onlineLabel, processingLabel } from "~/components/catalog-format";
import { getDb } from "~/db.server";
import type { Lng } from "~/i18n";
import { getFixedT } from "~/i18next.server";
import { getProcedure } from "~/modules/catalog/catalog.server";
import { loadForm } from "~/modules/filing/filing.server";
import { paramOf } from "~/lib/path-params.server";
import { ProcedureCode } from "~/modules/catalog/catalog.schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} | ${data.siteName}` : "" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const code = paramOf(params, "code", ProcedureCode);
  const db = await getDb();
  const { t, lng } = await getFixedT(request);
  const [result, form] = await Promise.all([getProcedure(db, code), loadForm(db, code)]);
  if (!result.ok) {
    throw data({ message: t(result.error.i18nKey, result.error.params) }, { status: result.error.status });
  }
  const p = result.value;
  return { procedure: p, lng, canFileOnline: Boolean(form), title: lng === "en" ? p.nameEn : p.nameVi, siteName: t("site.name") };
}

const channelKey: Record<string, string> = {
  direct: "procedure.channelDirect",
  online: "procedure.channelOnline",
  postal: "procedure.channelPostal",
};

const count = (n: number | null) => (n === null ? "—" : String(n));

export default function ProcedurePage() {
  const { procedure: p, lng: rawLng, canFileOnline } = useLoaderData<typeof loader>();
  const lng = rawLng as Lng;
  const { t } = useTranslation();
  return (
    <article className="container procedure-detail">
      <p><Link to="/thu-tuc">← {t("procedure.back")}</Link></p>
      <h1>{lng === "en" ? p.nameEn : p.nameVi}</h1>
      {lng === "en" ? <p className="subtitle" lang="vi">{p.nameVi}</p> : null}
      {lng === "en" ? <p className="note">{t("procedure.officialText")}</p> : null}
      {canFileOnline ? (
        <p><Link className="button primary" to={`/nop?thu-tuc=${p.code}`}>{t("filing.fileOnline")}</Link></p>
      ) : null}
      <dl className="summary">
        <div>
          <dt>{t("catalog.code")}</dt>
          <dd className="code" data-testid="procedure-code">
            {p.code}
            {p.hasNationalCode ? null : <span className="note"> ({t("procedure.localCode")})</span>}
          </dd>
        </div>
        <div><dt>{t("procedure.field")}</dt><dd lang="vi">{p.field}</dd></div>
        <div><dt>{t("procedure.agency")}</dt><dd lang="vi">{p.agencyText}</dd></div>
        <div><dt>{t("procedure.level")}</dt><dd>{t(p.level === "province" ? "search.levelProvince" : "search.levelCommune")}</dd></div>
        <div>
          <dt>{t("procedure.processing")}</dt>
          <dd>
            {processingLabel(t, lng, p.processingValue, p.processingUnit)}
            {p.processingText ? <span className="detail" lang="vi">{p.processingText}</span> : null}
          </dd>
        </div>
      </dl>

      <section aria-labelledby="fees">
        <h2 id="fees">{t("procedure.fees")}</h2>
        <p className="fee-headline">{feeLabel(t, lng, p.feeAmountVnd)}</p>
        {p.fees.length > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t("procedure.fees")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("procedure.feeCase")}</th>
                  <th scope="col">{t("procedure.channel")}</th>
                  <th scope="col">{t("procedure.feeAmount")}</th>
                  <th scope="col">{t("procedure.feePer")}</th>
                </tr>
              </thead>
              <tbody>
                {p.fees.map((f) => (
                  <tr key={f.position}>
                    <td lang="vi">{f.label}</td>
                    <td>{t(f.channel ? channelKey[f.channel] : "procedure.channelAny")}</td>
                    <td className="num">{feeLabel(t, lng, f.amountVnd)}</td>
                    <td lang="vi">{f.per ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : p.feeText ? <p lang="vi">{p.feeText}</p> : null}
        {p.feeExemptions ? (
          <p><strong>{t("procedure.exemptions")}:</strong> <span lang="vi">{p.feeExemptions}</span></p>
        ) : null}
      </section>

      <section aria-labelledby="documents">
        <h2 id="documents">{t("procedure.documents")}</h2>
        {p.documents.length === 0 ? <p>{t("catalog.notStated")}</p> : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t("procedure.documents")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("procedure.documentName")}</th>
                  <th scope="col">{t("procedure.originals")}</th>
                  <th scope="col">{t("procedure.copies")}</th>
                </tr>
              </thead>
              <tbody>
                {p.documents.map((d) => (
                  <tr key={d.position}>
                    <td lang="vi">{d.name}{d.note ? <span className="detail">{d.note}</span> : null}</td>
                    <td className="num">{count(d.originals)}</td>
                    <td className="num">{count(d.copies)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="result">
        <h2 id="result">{t("procedure.result")}</h2>
        <p lang="vi">{p.resultText ?? t("catalog.notStated")}</p>
      </section>

      <section aria-labelledby="where">
        <h2 id="where">{t("procedure.whereToFile")}</h2>
        <p className={`badge online-${p.onlineMode}`}>{onlineLabel(t, p.onlineMode)}</p>
        {p.onlineChannels ? <p><strong>{t("procedure.onlineChannels")}:</strong> <span lang="vi">{p.onlineChannels}</span></p> : null}
        <p><strong>{t("procedure.agency")}:</strong> <span lang="vi">{p.agencyText}</span></p>
      </section>

      {p.legalBases.length > 0 ? (
        <section aria-labelledby="legal">
          <h2 id="legal">{t("procedure.legalBases")}</h2>
          <ul lang="vi">{p.legalBases.map((l) => <li key={l}>{l}</li>)}</ul>
        </section>
      ) : null}

      {p.notes.length > 0 ? (
        <section aria-labelledby="notes">
          <h2 id="notes">{t("procedure.notes")}</h2>
          <ul>{p.notes.map((n) => <li key={n}>{n}</li>)}</ul>
        </section>
      ) : null}
    </article>
  );
}

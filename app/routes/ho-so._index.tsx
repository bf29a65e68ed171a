// The citizen's own dossiers and drafts.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { listCitizenDossiers } from "~/modules/dossiers/citizen-view.server";
import { listDrafts } from "~/modules/filing/filing.server";
import { nationalDossierUrl, nationalFront } from "~/modules/filing/national-front.server";
import { requireCitizen } from "~/modules/identity/citizen-auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const session = await requireCitizen(db, request);
  const { t, lng } = await getFixedT(request);
  const front = nationalFront();
  // national mode: drafts cannot be filed here any more, so they are not offered
  const [dossiers, drafts] = await Promise.all([listCitizenDossiers(db, session.citizen.id), front.on ? [] : listDrafts(db, session.citizen.id)]);
  return data({
    title: `${t("citizen.myDossiers")} | ${t("site.name")}`, lng, name: session.citizen.fullName, national: front.on,
    dossiers: dossiers.map(({ knownNationally, ...d }) => ({
      ...d, procedureName: lng === "en" && d.procedureNameEn ? d.procedureNameEn : d.procedureName, submittedAt: d.submittedAt.toISOString(), dueAt: d.dueAt?.toISOString() ?? null,
      nationalUrl: knownNationally ? nationalDossierUrl(front.pages.dossier, d.code) : null,
    })),
    drafts: drafts.map((d) => ({ id: d.id, step: d.step, procedureCode: d.procedureCode, name: lng === "en" ? d.procedureNameEn : d.procedureName, updatedAt: d.updatedAt.toISOString(), expiresAt: d.expiresAt.toISOString() })),
  }, { headers: { "Cache-Control": "no-store" } });
}

const filedViaKey = { national: "front.origin.national", online: "front.origin.online", counter: "counter.channel", kiosk: "kiosk.filedWithHelp" } as const;

export default function MyDossiers() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const fmt = new Intl.DateTimeFormat(d.lng === "en" ? "en-GB" : "vi-VN", { dateStyle: "short", timeZone: "Asia/Ho_Chi_Minh" });
  return (
    <div className="container">
      <h1>{t("citizen.myDossiers")}</h1>
      <p>{t("citizen.signedInAs", { name: d.name })}</p>
      {params.get("da-huy") ? <div className="alert success" role="status">{t("filing.discarded")}</div> : null}
      <section aria-labelledby="dossiers-title">
        <h2 id="dossiers-title">{t("citizen.submitted")}</h2>
        {d.dossiers.length ? (
          <table>
            <caption className="visually-hidden">{t("citizen.submitted")}</caption>
            <thead><tr><th scope="col">{t("citizen.code")}</th><th scope="col">{t("citizen.procedure")}</th><th scope="col">{t("front.filedVia")}</th><th scope="col">{t("citizen.status")}</th><th scope="col">{t("citizen.submittedAt")}</th><th scope="col">{t("citizen.dueAt")}</th></tr></thead>
            <tbody>
              {d.dossiers.map((x) => (
                <tr key={x.code} data-testid="dossier-row">
                  <td><Link to={`/ho-so/${x.code}`}>{x.code}</Link></td>
                  <td>{x.procedureName}</td>
                  <td>
                    <span data-testid={x.filedVia === "counter" || x.filedVia === "kiosk" ? "assisted" : "filed-via"}>{t(filedViaKey[x.filedVia])}</span>
                    {x.nationalUrl ? (
                      <span className="detail"><a href={x.nationalUrl} data-testid="follow-national">{t("front.followNational")}</a></span>
                    ) : null}
                  </td>
                  <td>{t(`desk.s.${x.status}`)}</td>
                  <td>{fmt.format(new Date(x.submittedAt))}</td>
                  <td>{x.dueAt ? fmt.format(new Date(x.dueAt)) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p>{t("citizen.noDossiers")} <Link to="/thu-tuc">{t("citizen.findProcedure")}</Link></p>}
      </section>
      {d.national ? null : <section aria-labelledby="drafts-title">
        <h2 id="drafts-title">{t("citizen.drafts")}</h2>
        {d.drafts.length ? (
          <ul>
            {d.drafts.map((x) => (
              <li key={x.id}>
                <Link to={`/nop/${x.id}/${x.step}`}>{x.name}</Link>{" "}
                <span className="note">{t("filing.expires", { date: fmt.format(new Date(x.expiresAt)) })}</span>
              </li>
            ))}
          </ul>
        ) : <p>{t("citizen.noDrafts")}</p>}
      </section>}
    </div>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { listCommunes } from "~/modules/catalog/catalog.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

const Query = z.object({ q: z.string().trim().max(100).catch("") });

export async function loader({ request }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  const { q } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const communes = await listCommunes(await getDb(), q);
  return { communes, q, lng, title: `${t("communes.title")} | ${t("site.name")}` };
}

export default function CommunesPage() {
  const { communes, q, lng } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="container">
      <h1>{t("communes.title")}</h1>
      <p className="lead">{t("communes.lead")}</p>
      <Form method="get" className="search-panel compact" role="search">
        <label htmlFor="commune-q">{t("communes.filter")}</label>
        <div className="search-input">
          <input id="commune-q" name="q" type="search" defaultValue={q} maxLength={100} />
          <button type="submit" className="button primary">{t("search.submit")}</button>
        </div>
      </Form>
      <p aria-live="polite">{t("communes.count", { count: communes.length })}</p>
      <ul className="commune-list" data-testid="communes">
        {communes.map((c) => (
          <li key={c.code} className="commune-card">
            <h2 lang="vi">{c.name}</h2>
            <p className="meta">
              {t(`communes.${c.type}`)} · {t("communes.code")} <span className="code">{c.code}</span>
            </p>
            <ul className="agency-list">
              {c.agencies.map((a) => (
                <li key={a.code}>
                  {lng === "en" ? a.nameEn : <span lang="vi">{a.nameVi}</span>}{" "}
                  <span className="code" title={t("communes.agencyCode")}>{a.code}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}

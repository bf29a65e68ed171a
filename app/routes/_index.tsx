import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getFixedT } from "~/i18next.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "" },
  { name: "description", content: data?.description ?? "" },
];

const POPULAR = [
  { code: "1.004222", vi: "Đăng ký thường trú", en: "Permanent residence registration" },
  { code: "1.004194", vi: "Đăng ký tạm trú", en: "Temporary residence registration" },
  { code: "1.001193", vi: "Đăng ký khai sinh", en: "Birth registration" },
  { code: "1.000894", vi: "Đăng ký kết hôn", en: "Marriage registration" },
  { code: "3.000333", vi: "Cấp Phiếu lý lịch tư pháp", en: "Judicial record certificate" },
  { code: "2.000815", vi: "Chứng thực bản sao từ bản chính", en: "Certified copy from the original" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { t, lng } = await getFixedT(request);
  return { lng, title: t("site.name"), description: t("site.tagline") };
}

export default function Home() {
  const { lng } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <section className="hero">
        <div className="container">
          <h1>{t("home.title")}</h1>
          <p className="lead">{t("home.lead")}</p>
          <Form method="get" action="/thu-tuc" role="search" className="hero-search">
            <label htmlFor="home-q">{t("search.label")}</label>
            <div className="search-input">
              <input id="home-q" name="q" type="search" maxLength={200} placeholder={t("search.placeholder")} />
              <button type="submit" className="button primary">{t("search.submit")}</button>
            </div>
          </Form>
        </div>
      </section>
      <div className="container">
        <h2>{t("home.popular")}</h2>
        <ul className="tile-list">
          {POPULAR.map((p) => (
            <li key={p.code}>
              <Link to={`/thu-tuc/${p.code}`} className="tile">
                <span className="tile-title">{lng === "en" ? p.en : p.vi}</span>
                <span className="code">{p.code}</span>
              </Link>
            </li>
          ))}
        </ul>
        <p className="more-links">
          <Link to="/thu-tuc" className="button">{t("home.browseAll")}</Link>
          <Link to="/don-vi" className="button">{t("home.browseCommunes")}</Link>
        </p>
      </div>
    </>
  );
}

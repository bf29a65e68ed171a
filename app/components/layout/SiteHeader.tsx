import { Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The other language's URL: the current one with ?lng= set (the server persists it in a cookie). */
function languageHref(pathname: string, search: string, lng: string) {
  const params = new URLSearchParams(search);
  params.set("lng", lng);
  return `${pathname}?${params.toString()}`;
}

export function SiteHeader({ lng }: { lng: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const other = lng === "vi" ? "en" : "vi";
  return (
    <>
      <a className="skip-link" href="#main">{t("site.skipToContent")}</a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">QN</span>
            <span className="brand-text">{t("site.name")}</span>
          </Link>
          <a
            className="lang-switch"
            href={languageHref(location.pathname, location.search, other)}
            hrefLang={other}
            lang={other}
            aria-label={t("site.switchToLabel")}
            data-testid="language-switch"
          >
            {t("site.switchTo")}
          </a>
        </div>
        <nav className="main-nav" aria-label={t("site.mainNav")}>
          <ul className="container">
            <li><NavLink to="/" end>{t("site.home")}</NavLink></li>
            <li><NavLink to="/thu-tuc">{t("site.procedures")}</NavLink></li>
            <li><NavLink to="/don-vi">{t("site.communes")}</NavLink></li>
            <li><NavLink to="/tra-cuu">{t("site.lookup")}</NavLink></li>
            <li><NavLink to="/ho-so">{t("site.myDossiers")}</NavLink></li>
          </ul>
        </nav>
      </header>
    </>
  );
}

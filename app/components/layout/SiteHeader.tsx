import { Link, NavLink, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The other language's URL: the current one with ?lng= set (the server persists it in a cookie). */
function languageHref(pathname: string, search: string, lng: string) {
  const params = new URLSearchParams(search);
  params.set("lng", lng);
  return `${pathname}?${params.toString()}`;
}

/** Who is signed in, as the header shows it: null when nobody is (or on staff pages: `undefined`). */
export interface HeaderAccount {
  name: string;
  csrf: string;
}

/** Sign-in link or the citizen's name with a sign-out button (a plain form post: works without JavaScript). */
function AccountArea({ account, returnTo }: { account: HeaderAccount | null; returnTo: string }) {
  const { t } = useTranslation();
  return (
    <nav className="account" aria-label={t("site.account")}>
      {account ? (
        <>
          <span className="account-name" data-testid="account-name">
            <span className="visually-hidden">{t("site.signedInAs")} </span>
            {account.name}
          </span>
          <form method="post" action="/dang-xuat">
            <input type="hidden" name="csrf" value={account.csrf} />
            <button type="submit" className="account-button">{t("site.signOut")}</button>
          </form>
        </>
      ) : (
        <a className="account-button" href={`/dang-nhap?returnTo=${encodeURIComponent(returnTo)}`}>{t("site.signIn")}</a>
      )}
    </nav>
  );
}

export function SiteHeader({ lng, account }: { lng: string; account?: HeaderAccount | null }) {
  const { t } = useTranslation();
  const location = useLocation();
  const other = lng === "vi" ? "en" : "vi";
  // back to this page after signing in (the sign-in page itself leads to the citizen's dossiers)
  const returnTo = location.pathname.startsWith("/dang-nhap") ? "/ho-so" : location.pathname + location.search;
  return (
    <>
      <a className="skip-link" href="#main">{t("site.skipToContent")}</a>
      <header className="site-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true">QN</span>
            <span className="brand-text">{t("site.name")}</span>
          </Link>
          <div className="header-tools">
            {account !== undefined ? <AccountArea account={account} returnTo={returnTo} /> : null}
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

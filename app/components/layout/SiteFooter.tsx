import { useTranslation } from "react-i18next";

export function SiteFooter() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        <p><strong>{t("site.footerOwner")}</strong></p>
        <p>{t("site.footerNote")}</p>
        <p>{t("site.hotline")}</p>
      </div>
    </footer>
  );
}

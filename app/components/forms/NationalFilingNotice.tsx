// Our own online filing pages when citizens file on the National Public Service Portal (ADR 025).
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export function NationalFilingNotice({ href, procedureName }: { href: string; procedureName: string | null }) {
  const { t } = useTranslation();
  return (
    <div className="container narrow" data-testid="national-front">
      <h1>{t("front.onlineTitle")}</h1>
      <p>{t("front.onlineBody")}</p>
      <p><a className="button primary" href={href}>{procedureName ? t("front.goNationalProcedure", { name: procedureName }) : t("front.goNational")}</a></p>
      <p>{t("front.otherWays")}</p>
      <p><Link to="/ho-so">{t("citizen.myDossiers")}</Link> · <Link to="/thu-tuc">{t("citizen.findProcedure")}</Link></p>
    </div>
  );
}

// Kiosk mode's frame: a registered device with a commune police officer signed in. The header
// shows who and where, the idle countdown of an assisted session, the language, large-text and
// high-contrast switches (kept for the assisted session in browser-session cookies that ending
// the session expires) and "end session".
import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { IdleLock } from "~/components/kiosk/IdleLock";
import { config } from "~/config.server";
import { getDb } from "~/db.server";
import { getFixedT } from "~/i18next.server";
import { idleLeftMs, requireKiosk } from "~/modules/kiosk/guard.server";
import { KIOSK_VIEW_COOKIE } from "~/modules/kiosk/kiosk.schema";
import { kioskViewOf } from "~/modules/kiosk/sessions.server";
import kioskStyles from "~/styles/kiosk.css";

export const handle = { kiosk: true };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kioskStyles }];
export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

export async function loader({ request, context: { services } }: LoaderFunctionArgs) {
  const db = await getDb();
  const ctx = await requireKiosk(db, services.storage, request, "officer");
  const { lng } = await getFixedT(request);
  return data({
    lng, officer: ctx.officer.fullName, device: ctx.device.label, csrf: ctx.csrf, endCsrf: ctx.officerCsrf,
    view: kioskViewOf(request), session: Boolean(ctx.session), idle: { seconds: config().KIOSK_IDLE_SECONDS, leftMs: idleLeftMs(ctx) },
  }, { headers: { "Cache-Control": "no-store" } });
}

export const headers = () => ({ "Cache-Control": "no-store" });

function Toggle({ label, on, set }: { label: string; on: boolean; set: (v: boolean) => void }) {
  return <button type="button" className="button kiosk-toggle" aria-pressed={on} onClick={() => set(!on)}>{label}</button>;
}

export default function KioskFrame() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const location = useLocation();
  const [large, setLarge] = useState(d.view.large);
  const [contrast, setContrast] = useState(d.view.contrast);
  useEffect(() => {
    const html = document.documentElement;
    // kept for this browser session only (no Max-Age); ending the kiosk session expires it
    const value = [large ? "large" : "", contrast ? "contrast" : ""].filter(Boolean).join(".");
    document.cookie = `${KIOSK_VIEW_COOKIE}=${value}; Path=/; SameSite=Lax${window.location.protocol === "https:" ? "; Secure" : ""}`;
    html.classList.toggle("kiosk-large", large);
    html.classList.toggle("kiosk-contrast", contrast);
    return () => html.classList.remove("kiosk-large", "kiosk-contrast");
  }, [large, contrast]);
  const other = d.lng === "vi" ? "en" : "vi";
  return (
    <div className="kiosk">
      <header className="kiosk-bar">
        <div className="kiosk-who">
          <strong>{t("kiosk.title")}</strong>
          <span>{t("kiosk.officer", { name: d.officer })}</span>
          <span>{t("kiosk.device", { label: d.device })}</span>
        </div>
        <div className="kiosk-actions">
          <a className="button" href={`${location.pathname}?lng=${other}`} hrefLang={other} lang={other}>{t("kiosk.language")}</a>
          <Toggle label={t("kiosk.largeText")} on={large} set={setLarge} />
          <Toggle label={t("kiosk.highContrast")} on={contrast} set={setContrast} />
          {d.session ? (
            <>
              <IdleLock idle={d.idle} csrf={d.csrf} endCsrf={d.endCsrf} />
              <Link to="/quay/ket-thuc" className="button primary">{t("kiosk.endSession")}</Link>
            </>
          ) : (
            <Link to="/quay/bao-cao" className="button">{t("kiosk.reportLink")}</Link>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="kiosk-main">
        <Outlet />
      </main>
    </div>
  );
}

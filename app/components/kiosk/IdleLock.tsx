// The shared-device idle lock: a countdown that any touch, key or input resets. The last 30
// seconds are announced (aria-live) with a button to keep the session; at zero the session ends.
// Activity also keeps the server's session alive (it has its own idle limit).
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { EndSessionForm } from "./EndSessionForm";

const WARN_S = 30;
/** A window event a kiosk page sends to count as activity. */
export const KIOSK_ACTIVITY = "kiosk-activity";

export function IdleLock({ seconds, csrf }: { seconds: number; csrf: string }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(seconds);
  const endForm = useRef<HTMLFormElement>(null);
  const lastActive = useRef(Date.now());
  const lastPing = useRef(Date.now());

  useEffect(() => {
    const active = () => {
      lastActive.current = Date.now();
      setLeft(seconds);
      if (Date.now() - lastPing.current > 15_000) {
        lastPing.current = Date.now();
        void fetch("/quay/giu-phien", { method: "POST", body: new URLSearchParams({ csrf }), credentials: "same-origin" }).catch(() => {});
      }
    };
    const events = ["pointerdown", "keydown", "input", "wheel"] as const;
    for (const e of events) window.addEventListener(e, active, { passive: true });
    // the page itself may say the kiosk is in use (waiting for the citizen's VNeID approval)
    window.addEventListener(KIOSK_ACTIVITY, active);
    const timer = window.setInterval(() => {
      const l = seconds - Math.floor((Date.now() - lastActive.current) / 1000);
      setLeft(Math.max(0, l));
      if (l <= 0) {
        window.clearInterval(timer);
        endForm.current?.requestSubmit();
      }
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const e of events) window.removeEventListener(e, active);
      window.removeEventListener(KIOSK_ACTIVITY, active);
    };
  }, [seconds, csrf]);

  const mm = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  return (
    <>
      <span className="kiosk-timer" data-testid="idle-timer" aria-hidden="true">⏱ {mm}</span>
      <div className="kiosk-idle" aria-live="polite" data-testid="idle-warning">
        {left <= WARN_S ? (
          <div className="kiosk-idle-panel">
            <p>{t("kiosk.idleCountdown", { seconds: left })}</p>
            <button type="button" className="button primary">{t("kiosk.idleStay")}</button>
          </div>
        ) : null}
      </div>
      <EndSessionForm ref={endForm} csrf={csrf} label={t("kiosk.endSession")} hidden />
    </>
  );
}

// The shared-device idle lock. The screen counts down to the server's idle deadline (sent with the
// page and refreshed by each keep-alive answer), never to its own last touch: screen and server
// end the session together. Activity sends the keep-alive (at most every few seconds, at once
// during the warning). The warning lasts a quarter of the timeout, 30 s at most, announced
// (aria-live) with a button to keep the session. At zero the lock posts the end of the session
// with the officer's token, which still works when the server has already closed the session.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { EndSessionForm } from "./EndSessionForm";

const PING_EVERY_MS = 5_000;
/** A window event a kiosk page sends to count as activity. */
export const KIOSK_ACTIVITY = "kiosk-activity";

export const warnSeconds = (idleSeconds: number) => Math.min(30, Math.floor(idleSeconds / 4));

export interface IdleState {
  /** The configured timeout (KIOSK_IDLE_SECONDS). */
  seconds: number;
  /** How long the server gives the session from when the page was rendered. */
  leftMs: number;
}

export function IdleLock({ idle, csrf, endCsrf }: { idle: IdleState; csrf: string; endCsrf: string }) {
  const { t } = useTranslation();
  const warn = warnSeconds(idle.seconds);
  const [left, setLeft] = useState(Math.ceil(idle.leftMs / 1000));
  const endForm = useRef<HTMLFormElement>(null);
  const deadline = useRef(0);
  const lastPing = useRef(0);

  useEffect(() => {
    // a new page answer (a navigation, an action) carries a fresh deadline
    deadline.current = Date.now() + idle.leftMs;
    lastPing.current = Date.now();
    const secondsLeft = () => Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000));
    const lock = () => endForm.current?.requestSubmit();
    const active = () => {
      if (Date.now() - lastPing.current < PING_EVERY_MS && secondsLeft() > warn) return;
      lastPing.current = Date.now();
      const sent = Date.now();
      void fetch("/quay/giu-phien", { method: "POST", body: new URLSearchParams({ csrf }), credentials: "same-origin" })
        .then(async (res) => {
          if (res.status === 409) return lock(); // the server has no session any more
          if (!res.ok) return;
          const body = (await res.json()) as { idleLeftMs?: number };
          if (typeof body.idleLeftMs === "number") deadline.current = sent + body.idleLeftMs;
          setLeft(secondsLeft());
        })
        .catch(() => {});
    };
    const events = ["pointerdown", "keydown", "input", "wheel"] as const;
    for (const e of events) window.addEventListener(e, active, { passive: true });
    // the page itself may say the kiosk is in use (waiting for the citizen's VNeID approval)
    window.addEventListener(KIOSK_ACTIVITY, active);
    const timer = window.setInterval(() => {
      const l = secondsLeft();
      setLeft(l);
      if (l <= 0) {
        window.clearInterval(timer);
        lock();
      }
    }, 1000);
    return () => {
      window.clearInterval(timer);
      for (const e of events) window.removeEventListener(e, active);
      window.removeEventListener(KIOSK_ACTIVITY, active);
    };
  }, [idle, csrf, warn]);

  const mm = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  return (
    <>
      <span className="kiosk-timer" data-testid="idle-timer" aria-hidden="true">⏱ {mm}</span>
      <div className="kiosk-idle" aria-live="polite" data-testid="idle-warning">
        {left <= warn ? (
          <div className="kiosk-idle-panel">
            <p>{t("kiosk.idleCountdown", { seconds: left })}</p>
            <button type="button" className="button primary">{t("kiosk.idleStay")}</button>
          </div>
        ) : null}
      </div>
      <EndSessionForm ref={endForm} csrf={endCsrf} label={t("kiosk.endSession")} hidden testId="idle-lock-form" />
    </>
  );
}

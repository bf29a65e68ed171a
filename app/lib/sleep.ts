// The wait between rounds of a background loop (sync pull, reconciliation, housekeeping, kiosk
// sweep, notifications): it ends early when the process is stopping, and it leaves no listener on
// the signal behind it — a loop that waits every 30 s for months must not pile them up.

/** Waits `ms`, or less if `signal` aborts; resolves either way, never rejects. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

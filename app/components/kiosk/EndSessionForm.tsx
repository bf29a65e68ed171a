// Ends the assisted session with a full-page POST (so nothing of the citizen stays in the page's
// memory), after clearing every browser storage this origin has. The server answers with
// Clear-Site-Data and expires the citizen-scoped cookies too; this is the belt to those braces.
import { forwardRef } from "react";

export async function clearBrowserStorage(): Promise<void> {
  try {
    localStorage.clear();
    sessionStorage.clear();
    if ("caches" in window) for (const key of await caches.keys()) await caches.delete(key);
    if ("indexedDB" in window && typeof indexedDB.databases === "function") {
      for (const db of await indexedDB.databases()) if (db.name) indexedDB.deleteDatabase(db.name);
    }
  } catch {
    // storage may be unavailable (private mode); the server's Clear-Site-Data still applies
  }
}

export const EndSessionForm = forwardRef<HTMLFormElement, { csrf: string; keepDraft?: boolean; label: string; className?: string; hidden?: boolean; testId?: string }>(
  function EndSessionForm({ csrf, keepDraft = false, label, className = "button", hidden = false, testId }, ref) {
    return (
      <form
        ref={ref}
        method="post"
        action="/quay/ket-thuc"
        hidden={hidden}
        data-testid={testId}
        onSubmit={(e) => {
          const form = e.currentTarget;
          if (form.dataset.cleared) return;
          e.preventDefault();
          void clearBrowserStorage().then(() => {
            form.dataset.cleared = "1";
            form.submit();
          });
        }}
      >
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="keepDraft" value={keepDraft ? "1" : "0"} />
        <button type="submit" className={className}>{label}</button>
      </form>
    );
  },
);

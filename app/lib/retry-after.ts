// 429 answers say when to come back (RFC 9110 §10.2.3: Retry-After in seconds), on the page as
// well as on data requests.
import type { HeadersFunction } from "@remix-run/node";
import type { AppError } from "./result";

/** The header for a rate limit whose window frees in `seconds`. */
export function retryAfterHeader(seconds: number): { "Retry-After": string } {
  return { "Retry-After": String(Math.max(1, Math.ceil(seconds))) };
}

/** Headers for answering with an error: Retry-After when it is a rate limit that knows its wait. */
export function refusalHeaders(error: Pick<AppError, "status" | "params">): Record<string, string> {
  const seconds = error.params?.seconds;
  return error.status === 429 && typeof seconds === "number" ? retryAfterHeader(seconds) : {};
}

/**
 * A route's `headers` export: its parent's headers and `fixed`, plus the Retry-After its action or
 * loader answered with — Remix builds a page's headers from `headers` exports only, so without
 * this the header set by `data(…, { headers })` never reaches the browser.
 */
export function headersWithRetryAfter(fixed: Record<string, string> = {}): HeadersFunction {
  return ({ parentHeaders, actionHeaders, loaderHeaders, errorHeaders }) => {
    const headers = new Headers(parentHeaders);
    for (const [name, value] of Object.entries(fixed)) headers.set(name, value);
    const wait = actionHeaders.get("Retry-After") ?? loaderHeaders.get("Retry-After") ?? errorHeaders?.get("Retry-After");
    if (wait) headers.set("Retry-After", wait);
    return headers;
  };
}

import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { getLocale, i18nFor } from "~/i18next.server";
import { log } from "~/modules/observability/logger.server";
import { isForOneBrowser, keptPrivate, PRIVATE_NO_STORE } from "~/modules/identity/private-pages.server";

export const streamTimeout = 5_000;

/** Data requests (single fetch `.data`, `?_data=`) of signed-in pages are private too. */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => keptPrivate(request, response);

// An error a loader, action or render threw: into the JSON log under the request's id (the error
// page shows that id, never the error). Aborted requests (the client went away) are not errors;
// Remix's own 4xx (a post to a page without a form, 405) are warnings.
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  const fields = { error, method: request.method, path: new URL(request.url).pathname };
  if (isRouteErrorResponse(error) && error.status < 500) log.warn("refused request", fields);
  else log.error("unexpected error", fields);
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const lng = await getLocale(request);
  const i18n = await i18nFor(lng);
  const nonce = loadContext.cspNonce;
  // whatever the routes' `headers` said: a signed-in page is for this browser only
  if (isForOneBrowser(request)) responseHeaders.set("Cache-Control", PRIVATE_NO_STORE);
  // Crawlers and no-JS clients get the whole document at once; browsers stream from the shell.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </I18nextProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = new PassThrough();
          body.once("close", () => clearTimeout(timer));
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    // The render is aborted if it has not finished in time; the timer goes once the body has been
    // sent (left running, it kept every response's render tree alive for 6 s: more GC work).
    // (React renders from a later tick: the callbacks above never run before this line.)
    const timer = setTimeout(abort, streamTimeout + 1000);
  });
}

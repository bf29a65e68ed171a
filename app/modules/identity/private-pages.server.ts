// Pages for one browser only: every page and data answer to a request that carries a session (a
// citizen's, an official's, a kiosk's) or asks for a signed-in area is `Cache-Control: private,
// no-store`. Decided once, in entry.server.tsx, for every route: a route's own `headers` export
// (or the lack of one) cannot leave a signed-in page cacheable, and public catalogue pages asked by
// anonymous visitors keep the caching their routes give them.
import { tokenFor, type TokenCookie } from "./sessions.server";

export const PRIVATE_NO_STORE = "private, no-store";

/** The areas behind a sign-in (and the sign-in pages themselves), also as `.data` requests. */
const SIGNED_IN_AREAS = /^\/(?:can-bo|van-hanh|ho-so|nop|quay|dong-y|dang-nhap|dang-xuat)(?:[/.]|$)/;
/** Every cookie that says who is asking. */
const WHO_COOKIES: readonly TokenCookie[] = ["citizen", "staff", "kiosk", "kiosk_device", "kiosk_approval", "citizen_login"];

export function isForOneBrowser(request: Request): boolean {
  return SIGNED_IN_AREAS.test(new URL(request.url).pathname) || WHO_COOKIES.some((kind) => tokenFor(kind, request) !== null);
}

/** The response, marked private and not to be stored when the request is for one browser only. */
export function keptPrivate(request: Request, response: Response): Response {
  if (!isForOneBrowser(request)) return response;
  const headers = new Headers(response.headers);
  headers.set("Cache-Control", PRIVATE_NO_STORE);
  // a copy: some responses (Response.redirect) have immutable headers
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

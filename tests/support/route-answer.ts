// What a Remix loader or action answered — or threw, as Remix routes throw responses — reduced to
// the facts tests assert on. A route answers with a Response (redirects, files, `throw new
// Response`), with `data(...)` (a body and its status and headers), or with plain data (200).
// Anything else thrown is a bug in the route, and is thrown on to fail the test.

export interface RouteAnswer {
  status: number;
  location: string | null;
  /** The Cache-Control header. */
  cache: string | null;
  setCookie: string | null;
  /** The Retry-After header (rate limits). */
  retryAfter: string | null;
  /** The body as text: a Response's text, data as JSON. */
  body: string;
}

export async function routeAnswer(run: () => unknown): Promise<RouteAnswer> {
  let value: unknown;
  try {
    value = await run();
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response) {
    const h = value.headers;
    return { status: value.status, location: h.get("location"), cache: h.get("cache-control"), setCookie: h.get("set-cookie"), retryAfter: h.get("retry-after"), body: value.body ? await value.text() : "" };
  }
  if (value instanceof Error) throw value;
  const d = value as { type?: string; data?: unknown; init?: { status?: number; headers?: HeadersInit } } | null;
  if (d?.type === "DataWithResponseInit") {
    const h = new Headers(d.init?.headers);
    return { status: d.init?.status ?? 200, location: h.get("location"), cache: h.get("cache-control"), setCookie: h.get("set-cookie"), retryAfter: h.get("retry-after"), body: JSON.stringify(d.data) };
  }
  return { status: 200, location: null, cache: null, setCookie: null, retryAfter: null, body: JSON.stringify(value) };
}

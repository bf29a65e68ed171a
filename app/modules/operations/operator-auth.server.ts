// Interim operator access until staff accounts land (issue 5): HTTP Basic with the operator
// password from the configuration, plus a CSRF token on every state-changing form.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { config } from "~/config.server";

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function requireOperator(request: Request): void {
  const header = request.headers.get("authorization") ?? "";
  const decoded = header.startsWith("Basic ") ? Buffer.from(header.slice(6), "base64").toString("utf8") : "";
  const [user, ...rest] = decoded.split(":");
  if (user !== "operator" || !same(rest.join(":"), config().OPERATOR_PASSWORD)) {
    throw new Response("Unauthorized", { status: 401, headers: { "WWW-Authenticate": 'Basic realm="operators", charset="UTF-8"' } });
  }
}

/** A CSRF token bound to the operator credential: an attacker's page cannot compute it. */
export function csrfToken(): string {
  const nonce = randomBytes(12).toString("base64url");
  return `${nonce}.${createHmac("sha256", config().OPERATOR_PASSWORD).update(nonce).digest("base64url")}`;
}

export function checkCsrf(token: unknown): boolean {
  if (typeof token !== "string") return false;
  const [nonce, mac] = token.split(".");
  if (!nonce || !mac) return false;
  return same(mac, createHmac("sha256", config().OPERATOR_PASSWORD).update(nonce).digest("base64url"));
}

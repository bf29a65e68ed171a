// AWS Signature Version 4 for S3 requests signed in the Authorization header, as the S3 API
// reference describes it ("Authenticating Requests: Using the Authorization Header"). One
// implementation shared by the portal's S3 driver (which signs) and the S3 mock (which recomputes
// and compares); the published AWS example pins it (tests/system/storage-drivers.test.ts).
import crypto from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const sha256Hex = (data: string | Uint8Array) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key: crypto.BinaryLike, data: string) => crypto.createHmac("sha256", key).update(data, "utf8").digest();

/** 2013-05-24T00:00:00.000Z → "20130524T000000Z" (the x-amz-date format). */
export function amzDate(at: Date): string {
  return at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** RFC 3986 encoding as S3 wants it: unreserved characters kept, everything else %XX (upper case). */
export function uriEncode(value: string, encodeSlash: boolean): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (c === "/" && !encodeSlash)) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The canonical URI of a path: each segment decoded then encoded once (S3 does not double-encode). */
export function canonicalUri(rawPath: string): string {
  return rawPath
    .split("/")
    .map((segment) => uriEncode(safeDecode(segment), true))
    .join("/");
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([k, v]) => [uriEncode(k, true), uriEncode(v, true)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

export interface CanonicalRequestInput {
  method: string;
  /** The request path as sent (already URI-encoded); canonicalised here. */
  path: string;
  query: URLSearchParams;
  /** Header values by lower-case name; must contain every name in signedHeaders. */
  headers: Readonly<Record<string, string>>;
  /** Lower-case header names, in any order. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD (the x-amz-content-sha256 value). */
  payloadHash: string;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const names = [...input.signedHeaders].map((h) => h.toLowerCase()).sort();
  const headerLines = names.map((name) => `${name}:${(input.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
  return [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQuery(input.query),
    headerLines,
    names.join(";"),
    input.payloadHash,
  ].join("\n");
}

export interface Credentials {
  accessKey: string;
  secretKey: string;
  region: string;
  service?: string;
}

function scopeOf(date8: string, region: string, service: string): string {
  return `${date8}/${region}/${service}/aws4_request`;
}

export function signature(request: CanonicalRequestInput, amz: string, creds: Credentials): string {
  const service = creds.service ?? "s3";
  const date8 = amz.slice(0, 8);
  const toSign = [ALGORITHM, amz, scopeOf(date8, creds.region, service), sha256Hex(canonicalRequest(request))].join("\n");
  let key = hmac(`AWS4${creds.secretKey}`, date8);
  for (const part of [creds.region, service, "aws4_request"]) key = hmac(key, part);
  return crypto.createHmac("sha256", key).update(toSign, "utf8").digest("hex");
}

/** The Authorization header value for a request whose x-amz-date header is `amz`. */
export function authorizationHeader(request: CanonicalRequestInput, amz: string, creds: Credentials): string {
  const names = [...request.signedHeaders].map((h) => h.toLowerCase()).sort().join(";");
  const scope = scopeOf(amz.slice(0, 8), creds.region, creds.service ?? "s3");
  return `${ALGORITHM} Credential=${creds.accessKey}/${scope}, SignedHeaders=${names}, Signature=${signature(request, amz, creds)}`;
}

export interface ParsedAuthorization {
  accessKey: string;
  date8: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads "AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request, SignedHeaders=a;b, Signature=hex". */
export function parseAuthorization(header: string): ParsedAuthorization | null {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!m) return null;
  const parts = new Map<string, string>();
  for (const piece of m[1].split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = parts.get("Credential")?.split("/");
  const signedHeaders = parts.get("SignedHeaders");
  const sig = parts.get("Signature");
  if (!credential || credential.length !== 5 || credential[4] !== "aws4_request" || !signedHeaders || !sig) return null;
  if (!/^\d{8}$/.test(credential[1]) || !/^[0-9a-f]{64}$/.test(sig)) return null;
  return {
    accessKey: credential[0],
    date8: credential[1],
    region: credential[2],
    service: credential[3],
    signedHeaders: signedHeaders.split(";").filter(Boolean),
    signature: sig,
  };
}

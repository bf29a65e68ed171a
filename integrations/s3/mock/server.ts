// A minimal S3-compatible object store for tests and development: a real HTTP server speaking the
// S3 REST protocol, path-style (PUT/GET/HEAD/DELETE /<bucket>/<key>), checking Signature V4 the way
// S3 does (recomputing it with the configured secret) and answering S3's XML errors:
//   403 AccessDenied | InvalidAccessKeyId | SignatureDoesNotMatch | RequestTimeTooSkewed
//   404 NoSuchBucket | NoSuchKey        411 MissingContentLength
//   400 XAmzContentSHA256Mismatch | IncompleteBody | EntityTooLarge | InvalidRequest | AuthorizationHeaderMalformed
//   405 MethodNotAllowed                501 NotImplemented (listings, bucket operations)
// Objects live in memory. Fault injection: `latencyMs` delays every answer (slow store).
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { listen } from "../../mock-http";
import { parseAuthorization, signature, UNSIGNED_PAYLOAD } from "../sigv4";

export interface S3MockOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  accessKey: string;
  secretKey: string;
  buckets: readonly string[];
  /** When set, requests signed for another region are refused (as S3 does). */
  region?: string;
  /** Added before every answer. */
  latencyMs?: number;
  /** Largest object accepted (default 64 MiB). */
  maxObjectBytes?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningS3Mock {
  url: string;
  /** Keys currently stored in a bucket, sorted (for tests asserting on orphans). */
  keys(bucket: string): string[];
  close(): Promise<void>;
}

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

const MAX_SKEW_MS = 15 * 60 * 1000;

class S3Failure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const xmlEscape = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Failure(400, "InvalidURI", "Couldn't parse the specified URI.");
  }
}

function parseAmzDate(value: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : null;
}

export async function startS3Mock(opts: S3MockOptions): Promise<RunningS3Mock> {
  const buckets = new Map<string, Map<string, StoredObject>>(opts.buckets.map((b) => [b, new Map()]));
  const maxObjectBytes = opts.maxObjectBytes ?? 64 * 1024 * 1024;

  function authenticate(req: http.IncomingMessage, url: URL): void {
    const header = req.headers.authorization;
    if (!header) throw new S3Failure(403, "AccessDenied", "Access Denied");
    const auth = parseAuthorization(header);
    if (!auth) throw new S3Failure(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.");
    if (auth.accessKey !== opts.accessKey) {
      throw new S3Failure(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    }
    if (auth.service !== "s3" || (opts.region && auth.region !== opts.region)) {
      throw new S3Failure(400, "AuthorizationHeaderMalformed", `The authorization header is malformed; the region '${auth.region}' is wrong.`);
    }
    const amz = String(req.headers["x-amz-date"] ?? "");
    const at = parseAmzDate(amz);
    if (at === null || amz.slice(0, 8) !== auth.date8) throw new S3Failure(403, "AccessDenied", "AWS authentication requires a valid x-amz-date header.");
    if (Math.abs(Date.now() - at) > MAX_SKEW_MS) {
      throw new S3Failure(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
    }
    const payloadHash = req.headers["x-amz-content-sha256"];
    if (typeof payloadHash !== "string") {
      throw new S3Failure(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    }
    if (payloadHash !== UNSIGNED_PAYLOAD && !/^[0-9a-f]{64}$/.test(payloadHash)) {
      throw new S3Failure(400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a SHA-256 hex digest.");
    }
    const signed = auth.signedHeaders;
    const amzHeaders = Object.keys(req.headers).filter((h) => h.startsWith("x-amz-"));
    if (!signed.includes("host") || amzHeaders.some((h) => !signed.includes(h))) {
      throw new S3Failure(403, "AccessDenied", "There were headers present in the request which were not signed.");
    }
    const headers: Record<string, string> = {};
    for (const name of signed) {
      const value = req.headers[name];
      headers[name] = Array.isArray(value) ? value.join(",") : (value ?? "");
    }
    const rawPath = (req.url ?? "/").split("?")[0];
    const expected = signature(
      { method: req.method ?? "GET", path: rawPath, query: url.searchParams, headers, signedHeaders: signed, payloadHash },
      amz,
      { accessKey: opts.accessKey, secretKey: opts.secretKey, region: auth.region, service: auth.service },
    );
    if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature))) {
      throw new S3Failure(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    }
  }

  function readBody(req: http.IncomingMessage, length: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= length) chunks.push(chunk);
      });
      req.on("end", () => (size === length ? resolve(Buffer.concat(chunks)) : reject(new S3Failure(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header."))));
      req.on("error", reject);
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    authenticate(req, url);
    const segments = url.pathname.split("/");
    const bucketName = decodeSegment(segments[1] ?? "");
    const key = segments.slice(2).map(decodeSegment).join("/");
    if (!bucketName) throw new S3Failure(501, "NotImplemented", "Listing buckets is not implemented by this mock.");
    const bucket = buckets.get(bucketName);
    if (!bucket) throw new S3Failure(404, "NoSuchBucket", "The specified bucket does not exist");
    if (!key || url.search) throw new S3Failure(501, "NotImplemented", "Only object PUT/GET/HEAD/DELETE are implemented by this mock.");

    switch (req.method) {
      case "PUT": {
        const lengthHeader = req.headers["content-length"];
        if (lengthHeader === undefined) throw new S3Failure(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
        const length = Number(lengthHeader);
        if (length > maxObjectBytes) throw new S3Failure(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size.");
        const body = await readBody(req, length);
        const claimed = String(req.headers["x-amz-content-sha256"]);
        if (claimed !== UNSIGNED_PAYLOAD && crypto.createHash("sha256").update(body).digest("hex") !== claimed) {
          throw new S3Failure(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        const etag = `"${crypto.createHash("md5").update(body).digest("hex")}"`;
        bucket.set(key, { body, contentType: String(req.headers["content-type"] ?? "binary/octet-stream"), etag, lastModified: new Date() });
        res.writeHead(200, { etag, "content-length": 0 });
        res.end();
        return;
      }
      case "GET":
      case "HEAD": {
        const object = bucket.get(key);
        if (!object) throw new S3Failure(404, "NoSuchKey", "The specified key does not exist.");
        res.writeHead(200, {
          "content-type": object.contentType,
          "content-length": object.body.length,
          etag: object.etag,
          "last-modified": object.lastModified.toUTCString(),
          "accept-ranges": "bytes",
        });
        res.end(req.method === "GET" ? object.body : undefined);
        return;
      }
      case "DELETE":
        bucket.delete(key);
        res.writeHead(204);
        res.end();
        return;
      default:
        throw new S3Failure(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    }
  }

  const server = http.createServer((req, res) => {
    const requestId = crypto.randomBytes(8).toString("hex").toUpperCase();
    res.setHeader("x-amz-request-id", requestId);
    const url = new URL(req.url ?? "/", "http://s3.mock");
    const answer = async () => {
      try {
        await handle(req, res, url);
        opts.log?.({ method: req.method, path: url.pathname, status: res.statusCode });
      } catch (e) {
        const failure = e instanceof S3Failure ? e : new S3Failure(500, "InternalError", "We encountered an internal error. Please try again.");
        opts.log?.({ method: req.method, path: url.pathname, status: failure.status, code: failure.code });
        if (res.headersSent) return void res.destroy();
        req.resume(); // drain an unread body so the connection stays usable
        const body = req.method === "HEAD" ? "" : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message><Resource>${xmlEscape(url.pathname)}</Resource><RequestId>${requestId}</RequestId></Error>`;
        res.writeHead(failure.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
        res.end(body);
      }
    };
    if (opts.latencyMs) setTimeout(() => void answer(), opts.latencyMs);
    else void answer();
  });

  await listen(server, opts.port ?? 0, opts.host ?? "127.0.0.1");
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    keys: (bucket) => [...(buckets.get(bucket)?.keys() ?? [])].sort(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

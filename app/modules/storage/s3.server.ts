// Files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Viettel/VNPT object storage …) over
// plain fetch, path-style URLs (endpoint/bucket/key) and Signature V4 in the Authorization header.
// For a content key the payload hash sent in x-amz-content-sha256 is the key's own SHA-256, so the
// store itself refuses bytes that do not match their key (XAmzContentSHA256Mismatch).
import crypto from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { amzDate, authorizationHeader, EMPTY_SHA256, UNSIGNED_PAYLOAD, uriEncode } from "~integrations/s3/sigv4";
import { assertValidKey, type FileStorage, sha256OfKey, type StoredObjectMeta, StorageError } from "./contract";

export interface S3StorageOptions {
  /** e.g. https://s3.ap-southeast-1.amazonaws.com or http://127.0.0.1:9000 */
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
  /**
   * Bound on each request until its response headers arrive (for a PUT that includes sending the
   * body). A GET body then streams at the reader's pace; undici's own idle timeout (300 s between
   * chunks) still applies to it. Default 30 s.
   */
  timeoutMs?: number;
}

export function createS3Storage(opts: S3StorageOptions): FileStorage {
  const base = new URL(opts.endpoint);
  const basePath = base.pathname.replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const creds = { accessKey: opts.accessKey, secretKey: opts.secretKey, region: opts.region };

  function urlOf(key: string): URL {
    assertValidKey(key);
    const url = new URL(base);
    url.pathname = `${basePath}/${uriEncode(opts.bucket, true)}/${uriEncode(key, false)}`;
    url.search = "";
    return url;
  }

  async function send(method: string, key: string, init: { payloadHash: string; headers?: Record<string, string>; body?: Uint8Array | Readable }) {
    const url = urlOf(key);
    const amz = amzDate(new Date());
    const headers: Record<string, string> = {
      host: url.host,
      "x-amz-content-sha256": init.payloadHash,
      "x-amz-date": amz,
      ...init.headers,
    };
    const signed = ["host", "x-amz-content-sha256", "x-amz-date"];
    headers.authorization = authorizationHeader(
      { method, path: url.pathname, query: url.searchParams, headers, signedHeaders: signed, payloadHash: init.payloadHash },
      amz,
      creds,
    );
    delete (headers as Partial<typeof headers>).host; // fetch sets Host from the URL, the same value
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new StorageError(`S3 ${method} timed out after ${timeoutMs} ms`, "Timeout")), timeoutMs);
    try {
      const body = init.body instanceof Readable ? (Readable.toWeb(init.body) as unknown as ReadableStream<Uint8Array>) : init.body;
      return await fetch(url, { method, headers, body, signal: controller.signal, duplex: "half" } as RequestInit);
    } catch (e) {
      if (init.body instanceof Readable) init.body.destroy();
      const reason = controller.signal.reason;
      if (reason instanceof StorageError) throw reason;
      throw new StorageError(`S3 ${method} ${url.pathname} failed: ${(e as Error).message}`, "NetworkError", undefined, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  async function failure(method: string, key: string, res: Response): Promise<StorageError> {
    const text = method === "HEAD" ? "" : await res.text().catch(() => "");
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `Http${res.status}`;
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    return new StorageError(`S3 ${method} ${key}: ${res.status} ${code}${message ? ` (${message})` : ""}`, code, res.status);
  }

  async function head(key: string): Promise<{ size: number } | null> {
    const res = await send("HEAD", key, { payloadHash: EMPTY_SHA256 });
    if (res.status === 404) return null;
    if (!res.ok) throw await failure("HEAD", key, res);
    return { size: Number(res.headers.get("content-length") ?? 0) };
  }

  return {
    head,

    async put(key: string, body: Readable | Uint8Array, meta: StoredObjectMeta): Promise<void> {
      if (await head(key)) {
        if (body instanceof Readable) body.destroy();
        return;
      }
      const payloadHash = sha256OfKey(key)
        ?? (body instanceof Readable ? UNSIGNED_PAYLOAD : crypto.createHash("sha256").update(body).digest("hex"));
      const res = await send("PUT", key, {
        payloadHash,
        headers: { "content-length": String(meta.size), "content-type": meta.contentType },
        body,
      });
      if (!res.ok) throw await failure("PUT", key, res);
      await res.body?.cancel();
    },

    async get(key: string): Promise<Readable | null> {
      const res = await send("GET", key, { payloadHash: EMPTY_SHA256 });
      if (!res.ok) {
        const error = await failure("GET", key, res);
        if (error.code === "NoSuchKey") return null; // a missing bucket is a misconfiguration: it throws
        throw error;
      }
      if (!res.body) return Readable.from([]);
      return Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>);
    },

    async delete(key: string): Promise<void> {
      const res = await send("DELETE", key, { payloadHash: EMPTY_SHA256 });
      if (!res.ok && res.status !== 404) throw await failure("DELETE", key, res);
      await res.body?.cancel();
    },
  };
}

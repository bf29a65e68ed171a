// What the portal depends on for file bytes: a small content-addressed store. Drivers live next
// to this file (local disk, S3-compatible); callers get one from createStorage (storage.server.ts).
import type { Readable } from "node:stream";

export interface StoredObjectMeta {
  /** Exact byte length of the body; a body of another length is refused. */
  size: number;
  contentType: string;
}

export interface FileStorage {
  /**
   * Stores the body under `key`. Keys are content addresses, so putting a key that already
   * exists is a no-op (the body is left unread and destroyed). For a content key
   * (`sha256/ab/cd/<hex>`) the store refuses bytes whose SHA-256 is not <hex>.
   */
  put(key: string, body: Readable | Uint8Array, meta: StoredObjectMeta): Promise<void>;
  /** The object's bytes as a stream, or null when there is no such object. */
  get(key: string): Promise<Readable | null>;
  head(key: string): Promise<{ size: number } | null>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
}

/**
 * An outage or a refusal by the store (disk full, bucket unreachable, bad credentials, content
 * not matching its key). Not an expected outcome: it propagates to the caller's error boundary.
 */
export class StorageError extends Error {
  constructor(
    message: string,
    /** The store's own error code when it gave one (S3: SignatureDoesNotMatch, NoSuchBucket …). */
    readonly code: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StorageError";
  }
}

const KEY = /^[a-z0-9]+(\/[a-z0-9]+)*$/;
const CONTENT_KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** The key a file is stored under: its SHA-256, fanned out over two directory levels. */
export function contentKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TypeError(`not a lower-case hex SHA-256: ${JSON.stringify(sha256)}`);
  return `sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** The SHA-256 a content key promises, or null for other keys. */
export function sha256OfKey(key: string): string | null {
  const m = CONTENT_KEY.exec(key);
  return m && m[1] === m[3].slice(0, 2) && m[2] === m[3].slice(2, 4) ? m[3] : null;
}

/**
 * Keys are made by the portal, never from what a user typed: lower-case letters, digits and
 * single slashes between segments, so no dot, no "..", no absolute path, no empty segment.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== "string" || key.length > 512 || !KEY.test(key)) {
    throw new TypeError(`invalid storage key: ${JSON.stringify(String(key).slice(0, 80))}`);
  }
}

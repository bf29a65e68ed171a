// One contract, two drivers: the local-disk store (a temp directory) and the S3 driver against the
// S3 mock, a real HTTP server checking Signature V4. Both round-trip bytes, treat a second put of a
// content key as a no-op, refuse bytes that do not match their key or their declared size, leave
// nothing behind when they refuse, and never accept a key made of user input. The S3 side also
// shows the protocol errors: wrong secret, unknown bucket, unsigned or tampered requests, timeouts.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentKey, createStorage, type FileStorage, StorageError } from "~/modules/storage/storage.server";
import { startS3Mock, type RunningS3Mock } from "~integrations/s3/mock/server";
import { amzDate, authorizationHeader, EMPTY_SHA256, signature } from "~integrations/s3/sigv4";

const ACCESS_KEY = "portal-test-access";
const SECRET_KEY = "portal-test-secret-0123456789";
const BUCKET = "ho-so-dinh-kem";

const sha256 = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");

async function readAll(stream: Readable | null): Promise<Buffer | null> {
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream in several chunks, as a temp file or an upload would arrive. */
const streamOf = (bytes: Buffer, chunk = 16 * 1024) =>
  Readable.from(Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk)));

/** A body that fails the test if anyone reads it. */
const unreadable = () => new Readable({ read() { this.destroy(new Error("the body of an existing key was read")); } });

let dir: string;
let s3: RunningS3Mock;
const drivers: Record<"local" | "s3", () => FileStorage> = {
  local: () => createStorage({ driver: "local", dir }),
  s3: () => createStorage({ driver: "s3", endpoint: s3.url, bucket: BUCKET, region: "ap-southeast-1", accessKey: ACCESS_KEY, secretKey: SECRET_KEY }),
};
/** What the store holds apart from keys, e.g. temp files (local) — must stay empty. */
const leftovers: Record<"local" | "s3", () => string[]> = {
  local: () => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => path.basename(p).startsWith(".tmp-")),
  s3: () => [],
};
const storedKeys: Record<"local" | "s3", () => string[]> = {
  local: () => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dir, p)).isFile()).map((p) => p.split(path.sep).join("/")).sort(),
  s3: () => s3.keys(BUCKET),
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "storage-local-"));
  s3 = await startS3Mock({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, buckets: [BUCKET], region: "ap-southeast-1" });
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await s3.close();
});

describe.each(["local", "s3"] as const)("FileStorage contract: %s driver", (driver) => {
  const storage = () => drivers[driver]();

  it("round-trips bytes under their content key: put, head, get, delete", async () => {
    const bytes = crypto.randomBytes(5000);
    const key = contentKey(sha256(bytes));
    expect(key).toMatch(/^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    await storage().put(key, bytes, { size: bytes.length, contentType: "application/pdf" });
    expect(await storage().head(key)).toEqual({ size: bytes.length });
    expect((await readAll(await storage().get(key)))?.equals(bytes)).toBe(true);
    await storage().delete(key);
    expect(await storage().head(key)).toBeNull();
    expect(await storage().get(key)).toBeNull();
    await storage().delete(key); // deleting what is gone is fine
    expect(storedKeys[driver]()).not.toContain(key);
  });

  it("streams a large body in and out without changing a byte", async () => {
    const bytes = crypto.randomBytes(700 * 1024 + 3);
    const key = contentKey(sha256(bytes));
    await storage().put(key, streamOf(bytes), { size: bytes.length, contentType: "image/jpeg" });
    const back = await readAll(await storage().get(key));
    expect(back && sha256(back)).toBe(sha256(bytes));
    await storage().delete(key);
  });

  it("treats a second put of the same key as a no-op, without reading its body", async () => {
    const bytes = Buffer.from("%PDF-1.7 idempotent");
    const key = contentKey(sha256(bytes));
    await storage().put(key, bytes, { size: bytes.length, contentType: "application/pdf" });
    await storage().put(key, unreadable(), { size: bytes.length, contentType: "application/pdf" });
    expect((await readAll(await storage().get(key)))?.toString()).toBe("%PDF-1.7 idempotent");
    await storage().delete(key);
  });

  it("refuses bytes that do not match their content key, or their declared size, and keeps nothing", async () => {
    const before = storedKeys[driver]();
    const bytes = Buffer.from("the real document");
    const wrongKey = contentKey(sha256(Buffer.from("another document")));
    await expect(storage().put(wrongKey, bytes, { size: bytes.length, contentType: "application/pdf" })).rejects.toBeInstanceOf(StorageError);
    await expect(storage().put(wrongKey, streamOf(bytes, 4), { size: bytes.length, contentType: "application/pdf" })).rejects.toBeInstanceOf(StorageError);
    const key = contentKey(sha256(bytes));
    await expect(storage().put(key, streamOf(bytes, 4), { size: bytes.length + 10, contentType: "application/pdf" })).rejects.toThrow();
    await expect(storage().put(key, streamOf(bytes, 4), { size: bytes.length - 1, contentType: "application/pdf" })).rejects.toThrow();
    expect(await storage().head(wrongKey)).toBeNull();
    expect(await storage().head(key)).toBeNull();
    expect(storedKeys[driver]()).toEqual(before);
    expect(leftovers[driver]()).toEqual([]);
  });

  it("stores other portal-made keys too (receipts, exports), buffered or streamed", async () => {
    const bytes = crypto.randomBytes(40_000);
    await storage().put("receipts/2025/h49x30x250305x0007", streamOf(bytes), { size: bytes.length, contentType: "application/pdf" });
    await storage().put("exports/a1", bytes, { size: bytes.length, contentType: "text/csv" });
    expect((await readAll(await storage().get("receipts/2025/h49x30x250305x0007")))?.equals(bytes)).toBe(true);
    expect(await storage().head("exports/a1")).toEqual({ size: bytes.length });
    await storage().delete("receipts/2025/h49x30x250305x0007");
    await storage().delete("exports/a1");
  });

  it.each(["../etc/passwd", "/abs/path", "sha256/AB/cd/x", "a//b", "a/b/", "", "a.pdf", "a\\b", "a/../b", "ả"])("refuses the key %j before any I/O", async (key) => {
    await expect(storage().put(key, Buffer.from("x"), { size: 1, contentType: "text/plain" })).rejects.toBeInstanceOf(TypeError);
    await expect(storage().get(key)).rejects.toBeInstanceOf(TypeError);
    await expect(storage().head(key)).rejects.toBeInstanceOf(TypeError);
    await expect(storage().delete(key)).rejects.toBeInstanceOf(TypeError);
  });
});

describe("local driver on disk", () => {
  it("lays files out as <dir>/sha256/ab/cd/<hex>, readable only by the portal's group", async () => {
    const bytes = Buffer.from("%PDF-1.4 layout");
    const hex = sha256(bytes);
    await drivers.local().put(contentKey(hex), bytes, { size: bytes.length, contentType: "application/pdf" });
    const file = path.join(dir, "sha256", hex.slice(0, 2), hex.slice(2, 4), hex);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.statSync(file).mode & 0o007).toBe(0);
    await drivers.local().delete(contentKey(hex));
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe("S3 driver against the mock's protocol checks", () => {
  const bytes = Buffer.from("%PDF-1.4 s3");
  const key = contentKey(sha256(bytes));
  const s3With = (over: Partial<{ secretKey: string; accessKey: string; bucket: string; endpoint: string; timeoutMs: number }>) =>
    createStorage({ driver: "s3", endpoint: s3.url, bucket: BUCKET, region: "ap-southeast-1", accessKey: ACCESS_KEY, secretKey: SECRET_KEY, ...over });

  it("a wrong secret is refused with SignatureDoesNotMatch, an unknown key id with InvalidAccessKeyId", async () => {
    await expect(s3With({ secretKey: "not-the-secret" }).put(key, bytes, { size: bytes.length, contentType: "application/pdf" }))
      .rejects.toMatchObject({ name: "StorageError", status: 403 });
    await expect(s3With({ secretKey: "not-the-secret" }).get(key)).rejects.toMatchObject({ code: "SignatureDoesNotMatch", status: 403 });
    await expect(s3With({ accessKey: "someone-else" }).get(key)).rejects.toMatchObject({ code: "InvalidAccessKeyId", status: 403 });
    expect(s3.keys(BUCKET)).not.toContain(key);
  });

  it("an unknown bucket is an error (NoSuchBucket), not a missing file", async () => {
    await expect(s3With({ bucket: "khong-ton-tai" }).get(key)).rejects.toMatchObject({ code: "NoSuchBucket", status: 404 });
    await expect(s3With({ bucket: "khong-ton-tai" }).put(key, bytes, { size: bytes.length, contentType: "application/pdf" })).rejects.toBeInstanceOf(StorageError);
  });

  it("gives up on a store slower than its timeout", async () => {
    const slow = await startS3Mock({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, buckets: [BUCKET], latencyMs: 1000 });
    try {
      await expect(s3With({ endpoint: slow.url, timeoutMs: 150 }).head(key)).rejects.toMatchObject({ code: "Timeout" });
    } finally {
      await slow.close();
    }
  });

  it("answers unsigned, tampered and chunked requests with S3's XML errors", async () => {
    const url = new URL(`${s3.url}/${BUCKET}/${key}`);
    const xmlCode = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];

    const unsigned = await fetch(url);
    expect([unsigned.status, unsigned.headers.get("content-type"), await xmlCode(unsigned)]).toEqual([403, "application/xml", "AccessDenied"]);

    const amz = amzDate(new Date());
    const headers = { host: url.host, "x-amz-content-sha256": EMPTY_SHA256, "x-amz-date": amz };
    const signed = ["host", "x-amz-content-sha256", "x-amz-date"];
    const creds = { accessKey: ACCESS_KEY, secretKey: SECRET_KEY, region: "ap-southeast-1" };
    const authorization = authorizationHeader({ method: "GET", path: url.pathname, query: url.searchParams, headers, signedHeaders: signed, payloadHash: EMPTY_SHA256 }, amz, creds);
    const { host: _host, ...sent } = headers;

    const missing = await fetch(url, { headers: { ...sent, authorization } });
    expect([missing.status, await xmlCode(missing)]).toEqual([404, "NoSuchKey"]);

    const otherPath = await fetch(new URL(`${s3.url}/${BUCKET}/sha256/00/00/other`), { headers: { ...sent, authorization } });
    expect([otherPath.status, await xmlCode(otherPath)]).toEqual([403, "SignatureDoesNotMatch"]);

    const stale = amzDate(new Date(Date.now() - 3_600_000));
    const staleAuth = authorizationHeader({ method: "GET", path: url.pathname, query: url.searchParams, headers: { ...headers, "x-amz-date": stale }, signedHeaders: signed, payloadHash: EMPTY_SHA256 }, stale, creds);
    const skewed = await fetch(url, { headers: { ...sent, "x-amz-date": stale, authorization: staleAuth } });
    expect([skewed.status, await xmlCode(skewed)]).toEqual([403, "RequestTimeTooSkewed"]);

    const putHash = sha256(bytes);
    const putHeaders = { host: url.host, "x-amz-content-sha256": putHash, "x-amz-date": amz };
    const putAuth = authorizationHeader({ method: "PUT", path: url.pathname, query: url.searchParams, headers: putHeaders, signedHeaders: signed, payloadHash: putHash }, amz, creds);
    const chunked = await fetch(url, {
      method: "PUT",
      headers: { "x-amz-content-sha256": putHash, "x-amz-date": amz, authorization: putAuth },
      body: Readable.toWeb(Readable.from([bytes])) as unknown as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect([chunked.status, await xmlCode(chunked)]).toEqual([411, "MissingContentLength"]);
    expect(s3.keys(BUCKET)).not.toContain(key);
  });
});

describe("Signature V4", () => {
  // The worked examples of the S3 API reference ("Signature Calculations for the Authorization
  // Header: Transferring Payload in a Single Chunk"), with AWS's example credentials.
  const creds = { accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1" };

  it("matches AWS's GET Object example", () => {
    const headers = { host: "examplebucket.s3.amazonaws.com", range: "bytes=0-9", "x-amz-content-sha256": EMPTY_SHA256, "x-amz-date": "20130524T000000Z" };
    expect(signature({ method: "GET", path: "/test.txt", query: new URLSearchParams(), headers, signedHeaders: Object.keys(headers), payloadHash: EMPTY_SHA256 }, "20130524T000000Z", creds))
      .toBe("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  });

  it("matches AWS's PUT Object example (an encoded path, a signed Date and storage class)", () => {
    const payloadHash = sha256(Buffer.from("Welcome to Amazon S3."));
    expect(payloadHash).toBe("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    const headers = {
      date: "Fri, 24 May 2013 00:00:00 GMT",
      host: "examplebucket.s3.amazonaws.com",
      "x-amz-content-sha256": payloadHash,
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
    };
    expect(signature({ method: "PUT", path: "/test%24file.text", query: new URLSearchParams(), headers, signedHeaders: Object.keys(headers), payloadHash }, "20130524T000000Z", creds))
      .toBe("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  });
});

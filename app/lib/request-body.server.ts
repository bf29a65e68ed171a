// Request bodies, bounded by the bytes actually read: Content-Length can be absent (chunked) or
// smaller than what arrives, so neither a route nor the server trusts it for a limit.
import type { RequestHandler } from "express";
import { appError, err, ok, type Result } from "./result";

/**
 * The most any request may send, counted over everything read from it (by the route, then by the
 * drain after the answer). Above the largest legitimate upload (results: 50 MiB of files, plus
 * multipart framing) with room for the upload module to drain a slightly oversized one and still
 * show its own message; tests/unit/request-body.test.ts pins the relation.
 */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024 * 1024;

export const bodyTooLarge = (maxBytes: number) => appError("request.too_large", 413, "errors.bodyTooLarge", { maxBytes });

/**
 * A Fetch Request's body as text, reading no more than maxBytes (+ one chunk): past that reading
 * stops and the answer is a 413 error, whatever Content-Length said. The stream is left as it is,
 * not cancelled: cancelling would destroy the connection before the 413 is sent; behind server.ts
 * boundRequestBodies reads and drops the rest after the answer, within its own limit.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<Result<string>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return err(bodyTooLarge(maxBytes));
  if (!request.body) return ok("");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > maxBytes) {
      reader.releaseLock();
      return err(bodyTooLarge(maxBytes));
    }
    chunks.push(value);
  }
  return ok(Buffer.concat(chunks).toString("utf8"));
}

/**
 * Express middleware, mounted just before the Remix handler. Remix's adapter reads a body only as
 * far as the route asks and then leaves it paused: the connection's next request would wait
 * behind the unread rest until the keep-alive timeout. So, once the answer is sent, the rest is
 * read and thrown away; and over the whole request at most maxBytes are read — past that (or with
 * a Content-Length over it, refused at once with 413) the connection is closed.
 */
export function boundRequestBodies(maxBytes: number, tooLargeText: () => Promise<string>): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > maxBytes) {
      res.setHeader("Connection", "close");
      tooLargeText().then(
        (text) => res.status(413).type("text/plain").send(text),
        (e: unknown) => next(e),
      );
      return;
    }
    let seen = 0;
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) req.destroy();
    };
    // Counting from the first byte: the adapter attaches its own reader synchronously after this,
    // before any data event can fire.
    req.on("data", count);
    res.once("finish", () => {
      if (req.complete || req.destroyed) return;
      // The adapter's reader would buffer what is drained for a stream nobody reads: drop it
      // (as Node's own dump of an unread body does), keep counting, and let the bytes flow.
      req.removeAllListeners("data");
      req.on("data", count);
      req.resume();
    });
    next();
  };
}

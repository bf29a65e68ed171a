// The small HTTP plumbing every runnable mock shares (e-ID, population, PayGov, mail, SMS, S3):
// read a bounded request body (text, JSON or a form), answer JSON or HTML, listen on a port.
import type http from "node:http";
import type net from "node:net";

const MAX_BODY = 1024 * 1024;

/** A request body the mock refuses to read: too large, or not what it should be. */
export class BodyError extends Error {}

/**
 * The request body as text. Past `maxBytes` it is refused with a BodyError, and the rest is read
 * and thrown away so the mock's answer still reaches the client.
 */
export function readBody(req: http.IncomingMessage, maxBytes = MAX_BODY): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(new BodyError("Nội dung yêu cầu quá lớn"));
        req.resume();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The body as JSON (undefined when empty); a body that is not JSON is a BodyError. */
export async function readJson(req: http.IncomingMessage, maxBytes = MAX_BODY): Promise<unknown> {
  const text = await readBody(req, maxBytes);
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError("Nội dung không phải JSON");
  }
}

/** An application/x-www-form-urlencoded body. */
export async function readForm(req: http.IncomingMessage, maxBytes = MAX_BODY): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req, maxBytes));
}

function send(res: http.ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string>) {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(text);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(body), headers);
}

export function sendHtml(res: http.ServerResponse, status: number, html: string, headers: Record<string, string> = {}) {
  send(res, status, "text/html; charset=utf-8", html, headers);
}

/** Listens (port 0: any free port) and resolves with the actual port. */
export function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

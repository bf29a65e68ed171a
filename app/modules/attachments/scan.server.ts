// Virus scanning through clamd's INSTREAM command over TCP (clamd(8)): "zINSTREAM\0", then the
// bytes in chunks each prefixed by its length (4 bytes, big-endian), then a zero length; clamd
// answers "stream: OK", "stream: <signature> FOUND" or "<reason> ERROR", NUL-terminated.
//
// Verdicts: "clean" | "infected" | "error". An "error" (clamd down, timed out, file over clamd's
// StreamMaxLength) is not "clean": keep the file quarantined (scan = pending) and scan it again later.
// When no clamd is configured (CLAMD unset, development) every file is "clean" without a scan.
import { createReadStream } from "node:fs";
import net from "node:net";
import type { Readable } from "node:stream";
import { log } from "~/modules/observability/logger.server";

export type ScanVerdict = "clean" | "infected" | "error";

export interface ScanOptions {
  /** "host:port" of clamd; unset = no scanning (every file is clean). */
  clamd?: string;
  /** Longest silence on the connection before giving up (default 30 s). */
  timeoutMs?: number;
}

const CHUNK = 64 * 1024;

class ClamdStoppedReading extends Error {}

export async function scanFile(filePath: string, opts: ScanOptions = {}): Promise<ScanVerdict> {
  if (!opts.clamd) return "clean";
  return scanStream(createReadStream(filePath), opts);
}

/** Scans bytes from anywhere (a temp file, or storage.get() when a quarantined file is rescanned). */
export async function scanStream(body: Readable, opts: ScanOptions = {}): Promise<ScanVerdict> {
  if (!opts.clamd) {
    body.destroy();
    return "clean";
  }
  try {
    const reply = await instream(opts.clamd, body, opts.timeoutMs ?? 30_000);
    if (/^stream: OK$/.test(reply)) return "clean";
    const found = /^stream: (.+) FOUND$/.exec(reply);
    if (found) {
      log.warn("clamd found a virus in an upload", { signature: found[1] });
      return "infected";
    }
    log.warn("clamd could not scan an upload", { reply: reply.slice(0, 200) });
    return "error";
  } catch (e) {
    log.warn("clamd scan failed", { clamd: opts.clamd, error: e });
    return "error";
  } finally {
    body.destroy();
  }
}

function parseAddress(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(":");
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`clamd address must be host:port, got ${JSON.stringify(address)}`);
  return { host: address.slice(0, colon).replace(/^\[|\]$/g, ""), port };
}

async function instream(address: string, body: Readable, timeoutMs: number): Promise<string> {
  const socket = net.connect(parseAddress(address));
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`clamd was silent for ${timeoutMs} ms`)));
  const reply = new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks).toString("utf8").replace(/\0[\s\S]*$/, "").trim());
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (chunk.includes(0)) {
        done();
        socket.end();
      }
    });
    socket.once("end", done);
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("clamd closed the connection without an answer")));
  });
  reply.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const writable = () => new Promise<void>((resolve) => {
      const go = () => {
        socket.off("drain", go);
        socket.off("close", go);
        resolve();
      };
      socket.once("drain", go);
      socket.once("close", go);
    });
    const send = async (data: Buffer) => {
      if (socket.destroyed || socket.writableEnded) throw new ClamdStoppedReading();
      if (!socket.write(data)) await writable();
    };
    await send(Buffer.from("zINSTREAM\0", "latin1"));
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (let offset = 0; offset < chunk.length; offset += CHUNK) {
        const piece = chunk.subarray(offset, offset + CHUNK);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(piece.length);
        await send(Buffer.concat([length, piece]));
      }
    }
    await send(Buffer.alloc(4)); // end of stream
  } catch (e) {
    // clamd may stop reading mid-stream (size limit) and say why: then its answer decides.
    // Anything else (the file could not be read) ends the conversation.
    if (!(e instanceof ClamdStoppedReading)) socket.destroy(e instanceof Error ? e : new Error(String(e)));
  }
  try {
    return await reply;
  } finally {
    socket.destroy();
  }
}

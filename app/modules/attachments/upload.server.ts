// Receiving a citizen's documents: a multipart request streamed part by part (never a whole file
// in memory) into temp files, each hashed (SHA-256), measured and inspected on the way:
//   - the type comes from the bytes, never the name: PDF (%PDF- at 0), JPEG (FF D8 FF), PNG;
//   - polyglots are refused: a signature after a prologue, markup near the start, an image whose
//     first KiB also opens as a PDF, bytes of one type named or declared as another;
//   - PDFs naming /JavaScript, /JS, /Launch or /EmbeddedFile(s) anywhere are refused (names are
//     decoded from #xx escapes; compressed object streams are not inflated: clamd covers those);
//   - per-file, per-request and count limits stop reading as soon as they are crossed.
// Any refusal, parse error, client abort or crash removes every temp file written so far. On
// success the caller owns the temp files: commitToStorage() each, and discard() in a finally.
import crypto from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { AppError } from "~/lib/result";
import { contentKey, type FileStorage } from "~/modules/storage/storage.server";
import { UploadErrors } from "./upload.errors";

export type AllowedType = "pdf" | "jpeg" | "png";

export const ALLOWED_TYPES: Readonly<Record<AllowedType, { mime: string; extensions: readonly string[]; signature: Buffer }>> = {
  pdf: { mime: "application/pdf", extensions: ["pdf"], signature: Buffer.from("%PDF-", "latin1") },
  jpeg: { mime: "image/jpeg", extensions: ["jpg", "jpeg", "jpe", "jfif"], signature: Buffer.from([0xff, 0xd8, 0xff]) },
  png: { mime: "image/png", extensions: ["png"], signature: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
};

export interface UploadLimits {
  maxFileBytes: number;
  /** Files per request (empty optional file inputs do not count). */
  maxFiles: number;
  maxTotalBytes: number;
  /** Form field names that may carry a file: the procedure's document slots. */
  allowedSlots: ReadonlySet<string>;
  /** Where temp files go (created if missing); mode 0600, named upload-<uuid>. */
  tmpDir: string;
  /** Non-file fields accepted (default 50). */
  maxFields?: number;
  /** Longest non-file field value in bytes (default 64 KiB). */
  maxFieldBytes?: number;
  /**
   * After a refusal, how many more request bytes are read and thrown away so the browser gets
   * the answer instead of a reset connection (default: the larger of maxTotalBytes and maxFileBytes);
   * past that the connection is dropped.
   */
  drainBytes?: number;
}

export interface InspectedFile {
  /** The form field (document slot) the file came in. */
  slot: string;
  /** Safe to show and to put in Content-Disposition (still encode it there, RFC 6266). */
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  tmpPath: string;
}

/** Flat (fields and files beside `ok`, not Result's `value`): routes read `received.files`. */
export type ReceivedUploads =
  | {
      ok: true;
      /** Non-file fields (last value wins); a null-prototype object. */
      fields: Record<string, string>;
      files: InspectedFile[];
    }
  | { ok: false; error: AppError };

/** How many leading bytes decide the type (Acrobat looks for %PDF- within the first 1024). */
export const SNIFF_BYTES = 1024;

// Markup a browser or an old sniffer could render: refused anywhere in the sniffed head.
const MARKUP = /<(?:script|html|iframe|svg|body|head|object|embed|meta)[\s/>]|<!doctype\s+html|<\?php/i;

/** What the bytes are, or why they are refused. */
export function sniffType(head: Buffer): { type: AllowedType } | { refusal: "polyglot" | "type_not_allowed" } {
  const found = (Object.keys(ALLOWED_TYPES) as AllowedType[]).find((t) => head.subarray(0, ALLOWED_TYPES[t].signature.length).equals(ALLOWED_TYPES[t].signature));
  const window = head.subarray(0, SNIFF_BYTES);
  if (!found) {
    const hidden = Object.values(ALLOWED_TYPES).some((t) => window.indexOf(t.signature, 1) > 0);
    return { refusal: hidden ? "polyglot" : "type_not_allowed" };
  }
  if (MARKUP.test(window.toString("latin1"))) return { refusal: "polyglot" };
  if (found !== "pdf" && window.indexOf(ALLOWED_TYPES.pdf.signature) >= 0) return { refusal: "polyglot" };
  return { type: found };
}

// What a name or a declared content type claims the file is (only specific claims count:
// text/plain and application/octet-stream say nothing).
const CLAIMED_BY_EXTENSION: ReadonlyMap<string, string> = new Map(Object.entries({
  pdf: "pdf", jpg: "jpeg", jpeg: "jpeg", jpe: "jpeg", jfif: "jpeg", pjpeg: "jpeg", png: "png",
  gif: "gif", bmp: "bmp", tif: "tiff", tiff: "tiff", webp: "webp", heic: "heic", heif: "heic", avif: "avif",
  svg: "svg", svgz: "svg", html: "html", htm: "html", xhtml: "html", shtml: "html", xml: "xml", js: "js", mjs: "js",
  doc: "doc", docx: "doc", odt: "doc", rtf: "doc", xls: "xls", xlsx: "xls", ppt: "ppt", pptx: "ppt", txt: "text", csv: "text",
  zip: "archive", rar: "archive", "7z": "archive", gz: "archive", exe: "exe", msi: "exe", bat: "exe", cmd: "exe", com: "exe",
  scr: "exe", ps1: "exe", sh: "exe", vbs: "exe", jar: "exe", apk: "exe", php: "php", asp: "php", aspx: "php", jsp: "php",
}));
const CLAIMED_BY_MIME: ReadonlyMap<string, string> = new Map(Object.entries({
  "application/pdf": "pdf", "application/x-pdf": "pdf", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/pjpeg": "jpeg",
  "image/png": "png", "image/x-png": "png", "image/gif": "gif", "image/bmp": "bmp", "image/tiff": "tiff", "image/webp": "webp",
  "image/heic": "heic", "image/avif": "avif", "image/svg+xml": "svg", "text/html": "html", "application/xhtml+xml": "html",
  "text/xml": "xml", "application/xml": "xml", "text/javascript": "js", "application/javascript": "js",
  "application/x-msdownload": "exe", "application/x-sh": "exe", "application/zip": "archive", "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "doc",
}));

/** The name with paths, control and format characters removed, NFC, only safe characters kept. */
function cleanName(raw: string | undefined): string {
  let name = (raw ?? "").normalize("NFC");
  name = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  return name
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}]/gu, "") // NUL, RTL override, zero-width …
    .replace(/[^\p{L}\p{M}\p{N} \-_.()]/gu, " ")
    .replace(/\s+/g, " ")
    .replace(/\.{2,}/g, ".")
    .replace(/ ?\. ?/g, ".")
    .trim();
}

function extensionOf(cleaned: string): string {
  const dot = cleaned.lastIndexOf(".");
  return dot >= 0 ? cleaned.slice(dot + 1).toLowerCase() : "";
}

const trimEdges = (s: string) => s.replace(/^[\s.\-_]+|[\s.]+$/g, "");
const truncate = (s: string, max: number) => Array.from(s).slice(0, max).join("");
const MAX_NAME = 120;

/** A name fit to show, for messages about a file whose type is not known yet. */
export function displayName(raw: string | undefined): string {
  return truncate(trimEdges(cleanName(raw)), MAX_NAME) || "tai-lieu";
}

/**
 * The stored name: no path, no control characters, NFC, letters (Vietnamese included), digits,
 * space and -_.() only, at most 120 characters, ending with an extension of the detected type.
 * "../../etc/passwd.pdf" → "passwd.pdf"; "Giấy khai sinh" (a PDF) → "Giấy khai sinh.pdf"; "" → "tai-lieu.pdf".
 */
export function sanitizeFileName(raw: string | undefined, type: AllowedType): string {
  const cleaned = cleanName(raw);
  const given = extensionOf(cleaned);
  const own = ALLOWED_TYPES[type].extensions;
  let base = cleaned;
  let ext = own[0];
  if (own.includes(given)) {
    ext = given;
    base = cleaned.slice(0, cleaned.length - given.length - 1);
  } else if (CLAIMED_BY_EXTENSION.has(given)) {
    base = cleaned.slice(0, cleaned.length - given.length - 1); // a wrong known extension is replaced
  }
  base = trimEdges(truncate(trimEdges(base), MAX_NAME - ext.length - 1));
  return `${base || "tai-lieu"}.${ext}`;
}

// PDF names are "/" then regular characters up to a delimiter or white space (ISO 32000 7.2, 7.3.5).
const PDF_DELIMITERS = "\\x00\\t\\n\\f\\r ()<>\\[\\]{}/%";
const PDF_NAME = new RegExp(`/([^${PDF_DELIMITERS}]{1,127})(?=[${PDF_DELIMITERS}])`, "g");
const PDF_NAME_AT_END = new RegExp(`/([^${PDF_DELIMITERS}]{1,127})$`);
const ACTIVE_PDF_NAMES = new Set(["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles"]);
const CARRY = 64; // longer than any active name even fully #xx-escaped ("/EmbeddedFiles" → 40 bytes) plus its delimiter

/** Finds active-content names in a PDF fed chunk by chunk; names split across chunks are found. */
export class PdfActiveContentScanner {
  found: string | null = null;
  private carry = "";

  push(chunk: Buffer): void {
    if (this.found) return;
    const text = this.carry + chunk.toString("latin1");
    for (const m of text.matchAll(PDF_NAME)) if (this.check(m[1])) return;
    this.carry = text.slice(-CARRY);
  }

  end(): void {
    const m = this.found ? null : PDF_NAME_AT_END.exec(this.carry);
    if (m) this.check(m[1]);
  }

  private check(rawName: string): boolean {
    const name = rawName.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (ACTIVE_PDF_NAMES.has(name)) this.found = `/${name}`;
    return this.found !== null;
  }
}

/** Decides the type from the first SNIFF_BYTES, then keeps scanning PDFs for active content. */
class FileInspector {
  type: AllowedType | undefined;
  private head = Buffer.alloc(0);
  private held: Buffer[] = [];
  private pdf: PdfActiveContentScanner | undefined;

  constructor(private readonly rawName: string, private readonly declaredMime: string) {}

  push(chunk: Buffer): AppError | undefined {
    if (this.type) return this.scan(chunk);
    this.held.push(chunk);
    if (this.head.length < SNIFF_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    return this.head.length >= SNIFF_BYTES ? this.decide() : undefined;
  }

  end(): AppError | undefined {
    const refusal = this.type ? undefined : this.decide();
    if (refusal) return refusal;
    this.pdf?.end();
    return this.pdf?.found ? UploadErrors.activeContent(displayName(this.rawName), this.pdf.found) : undefined;
  }

  private decide(): AppError | undefined {
    const name = displayName(this.rawName);
    const sniffed = sniffType(this.head);
    if ("refusal" in sniffed) return sniffed.refusal === "polyglot" ? UploadErrors.polyglot(name) : UploadErrors.typeNotAllowed(name);
    const claims = [CLAIMED_BY_EXTENSION.get(extensionOf(cleanName(this.rawName))), CLAIMED_BY_MIME.get(this.declaredMime.toLowerCase())];
    for (const claim of claims) {
      if (claim && claim !== sniffed.type) return UploadErrors.typeMismatch(name, sniffed.type, claim);
    }
    this.type = sniffed.type;
    if (this.type === "pdf") this.pdf = new PdfActiveContentScanner();
    const held = this.held;
    this.held = [];
    for (const chunk of held) {
      const refusal = this.scan(chunk);
      if (refusal) return refusal;
    }
    return undefined;
  }

  private scan(chunk: Buffer): AppError | undefined {
    if (!this.pdf) return undefined;
    this.pdf.push(chunk);
    return this.pdf.found ? UploadErrors.activeContent(displayName(this.rawName), this.pdf.found) : undefined;
  }
}

const refused = (error: AppError): ReceivedUploads => ({ ok: false, error });

/** A failure of our own disk (not of the request): it becomes an exception, not a refusal. */
class TempFileError extends Error {}

type Outcome = { kind: "ok" } | { kind: "refused"; error: AppError } | { kind: "crashed"; error: unknown };

/**
 * Reads a multipart/form-data request (a Remix action's `request`) and inspects every file in it.
 * Expected refusals come back as `{ ok: false, error }` with a 4xx status; only failures of the
 * server's own disk throw. Either way no temp file is left behind unless the result is ok.
 */
export async function receiveUploads(request: Request, limits: UploadLimits): Promise<ReceivedUploads> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return refused(UploadErrors.notMultipart());
  if (request.signal.aborted) return refused(UploadErrors.aborted());
  const maxFields = limits.maxFields ?? 50;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      defParamCharset: "utf8", // browsers send UTF-8 file names unencoded
      preservePath: false,
      limits: {
        fileSize: limits.maxFileBytes + 1, // so 'limit' means strictly larger than allowed
        files: limits.maxFiles * 2 + 8, // a hard cap on file parts; real files are counted below
        fields: maxFields,
        fieldSize: limits.maxFieldBytes ?? 64 * 1024,
        fieldNameSize: 200,
      },
    });
  } catch {
    return refused(UploadErrors.notMultipart()); // no boundary
  }
  await fs.mkdir(limits.tmpDir, { recursive: true });

  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const accepted: Array<InspectedFile | undefined> = []; // by part order (receivers finish in any order)
  const tempPaths: string[] = [];
  const receiving = new Set<Readable>();
  const receivers: Promise<void>[] = [];
  let fileCount = 0;
  let totalBytes = 0;
  let streamFault = false;
  let inputFault = false;

  let settled = false;
  let settle!: (o: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => {
    settle = (o) => {
      if (settled) return;
      settled = true;
      resolve(o);
    };
  });
  const refuse = (error: AppError) => settle({ kind: "refused", error });

  async function receiveFile(index: number, slot: string, stream: Readable, info: busboy.FileInfo): Promise<AppError | undefined> {
    const rawName = info.filename ?? "";
    if (!limits.allowedSlots.has(slot)) return UploadErrors.unknownSlot(slot);
    // A file input left empty still sends a part (no name, no bytes): it is not a file.
    let counted = false;
    const count = () => {
      counted = true;
      return ++fileCount > limits.maxFiles ? UploadErrors.tooManyFiles(limits.maxFiles) : undefined;
    };
    if (rawName !== "") {
      const refusal = count();
      if (refusal) return refusal;
    }
    stream.once("limit", () => refuse(UploadErrors.fileTooLarge(displayName(rawName), limits.maxFileBytes)));

    const inspector = new FileInspector(rawName, info.mimeType ?? "");
    const hash = crypto.createHash("sha256");
    let size = 0;
    let handle: fs.FileHandle | undefined;
    let tmpPath = "";
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (settled) return undefined;
        if (!counted) {
          const refusal = count();
          if (refusal) return refusal;
        }
        size += chunk.length;
        totalBytes += chunk.length;
        if (totalBytes > limits.maxTotalBytes) return UploadErrors.totalTooLarge(limits.maxTotalBytes);
        const refusal = inspector.push(chunk);
        if (refusal) return refusal;
        hash.update(chunk);
        try {
          if (!handle) {
            tmpPath = path.join(limits.tmpDir, `upload-${crypto.randomUUID()}`);
            tempPaths.push(tmpPath); // before the file exists: cleanup must never miss it
            handle = await fs.open(tmpPath, "wx", 0o600);
          }
          for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
        } catch (e) {
          throw new TempFileError("could not write an upload temp file", { cause: e });
        }
      }
      if (settled) return undefined;
      if (size === 0) return rawName === "" ? undefined : UploadErrors.emptyFile(displayName(rawName));
      const refusal = inspector.end();
      if (refusal) return refusal;
      const type = inspector.type as AllowedType;
      accepted[index] = {
        slot,
        fileName: sanitizeFileName(rawName, type),
        mime: ALLOWED_TYPES[type].mime,
        size,
        sha256: hash.digest("hex"),
        tmpPath,
      };
      return undefined;
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  parser.on("field", (name: string | undefined, value, info) => {
    if (settled) return;
    if (info.nameTruncated || info.valueTruncated) return refuse(UploadErrors.fieldTooLarge(name ?? ""));
    if (name) fields[name] = value;
  });
  parser.on("fieldsLimit", () => refuse(UploadErrors.tooManyFields(maxFields)));
  parser.on("filesLimit", () => refuse(UploadErrors.tooManyFiles(limits.maxFiles)));
  parser.on("file", (name: string | undefined, stream, info) => {
    const slot = name ?? ""; // busboy reports name="" as undefined
    stream.on("error", () => undefined); // a part cut short is reported once, by the parser
    if (settled) return void stream.resume();
    receiving.add(stream);
    receivers.push(
      receiveFile(receivers.length, slot, stream, info)
        .then(
          (refusal) => refusal && refuse(refusal),
          (e: unknown) => {
            // A part that ended badly (its stream destroyed) is reported by the parser; anything
            // else is our disk or our bug, and surfaces as an exception.
            if (e instanceof TempFileError || !stream.destroyed) settle({ kind: "crashed", error: e });
            else streamFault = true;
          },
        )
        .finally(() => receiving.delete(stream)),
    );
  });
  parser.on("error", () => settle(inputFault || request.signal.aborted ? { kind: "refused", error: UploadErrors.aborted() } : { kind: "refused", error: UploadErrors.malformed() }));
  parser.on("finish", () => {
    void Promise.all(receivers).then(() => settle(streamFault ? { kind: "refused", error: UploadErrors.malformed() } : { kind: "ok" }));
  });

  const input = request.body ? Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>) : Readable.from([]);
  input.on("error", () => {
    inputFault = true;
    refuse(UploadErrors.aborted());
  });
  const onAbort = () => refuse(UploadErrors.aborted());
  request.signal.addEventListener("abort", onAbort, { once: true });
  input.pipe(parser);

  // Anything but a clean "ok" (including an exception we did not foresee) cleans up.
  let result: Outcome = { kind: "crashed", error: new Error("upload interrupted") };
  try {
    result = await outcome;
  } finally {
    request.signal.removeEventListener("abort", onAbort);
    if (result.kind !== "ok") {
      input.unpipe(parser);
      parser.destroy();
      for (const stream of receiving) stream.destroy();
      if (result.kind === "refused" && !inputFault && !request.signal.aborted) {
        drainInBackground(input, limits.drainBytes ?? Math.max(limits.maxTotalBytes, limits.maxFileBytes));
      } else {
        input.destroy();
      }
      await Promise.allSettled(receivers); // every temp file handle is closed …
      await Promise.all(tempPaths.map((p) => fs.rm(p, { force: true }))); // … before it is removed
    }
  }
  if (result.kind === "ok") return { ok: true, fields, files: accepted.filter((f): f is InspectedFile => f !== undefined) };
  if (result.kind === "refused") return refused(result.error);
  throw result.error;
}

/** Reads and discards the rest of a refused request, up to a bound, so the answer can be sent. */
function drainInBackground(input: Readable, maxBytes: number): void {
  let seen = 0;
  input.on("error", () => undefined);
  input.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxBytes) input.destroy();
  });
  input.resume();
}

/**
 * Moves an inspected file into storage under its content key and removes the temp file.
 * Storing bytes that are already there is a no-op. On failure the temp file stays: callers
 * discard() their files in a finally.
 */
export async function commitToStorage(storage: FileStorage, file: InspectedFile): Promise<string> {
  const key = contentKey(file.sha256);
  await storage.put(key, createReadStream(file.tmpPath), { size: file.size, contentType: file.mime });
  await fs.rm(file.tmpPath, { force: true });
  return key;
}

/** Removes the temp files of received uploads (safe to call twice, or after commitToStorage). */
export async function discard(files: readonly InspectedFile[]): Promise<void> {
  await Promise.all(files.map((f) => fs.rm(f.tmpPath, { force: true })));
}

// Receiving documents: real PDF/JPEG/PNG files are accepted with their SHA-256 and a safe name;
// the abuse corpus (wrong magic bytes, polyglots, active PDFs, oversize, zero bytes, traversal
// names, too many files, broken or aborted requests) is refused with its own code and a 4xx;
// after every refusal the temp directory is empty. Random requests never throw and never leave a
// temp file. The clamd hook speaks INSTREAM to a fake clamd and recognises EICAR.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createReadableStreamFromReadable } from "@remix-run/node";
import fc from "fast-check";
import { PDFDocument } from "pdf-lib";
import { PNG } from "pngjs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { scanFile } from "~/modules/attachments/scan.server";
import {
  commitToStorage,
  discard,
  PdfActiveContentScanner,
  receiveUploads,
  type ReceivedUploads,
  sanitizeFileName,
  type UploadLimits,
} from "~/modules/attachments/upload.server";
import { contentKey, createStorage } from "~/modules/storage/storage.server";
import { EICAR, startFakeClamd } from "../support/fake-clamd";

let tmpDir: string;
beforeEach(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "upload-test-"));
});
afterEach(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

const limits = (over: Partial<UploadLimits> = {}): UploadLimits => ({
  maxFileBytes: 64 * 1024,
  maxFiles: 3,
  maxTotalBytes: 128 * 1024,
  allowedSlots: new Set(["cccd", "giay_khai_sinh"]),
  tmpDir,
  ...over,
});

// ---- real files -------------------------------------------------------------------------------

async function realPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 200]).drawText("Giay khai sinh");
  return Buffer.from(await doc.save());
}

function realPng(): Buffer {
  const image = new PNG({ width: 4, height: 4 });
  image.data.fill(200);
  return PNG.sync.write(image);
}

const pdf = await realPdf();
const png = realPng();

/** A complete baseline JPEG: 8×8 grey, one block, Huffman tables with a single 1-bit code each. */
function tinyJpeg(): Buffer {
  const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  return Buffer.from([
    0xff, 0xd8,
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // JFIF
    ...seg(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // quantisation table 0
    ...seg(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // SOF0: 8 bits, 8×8, one component
    ...seg(0xc4, [0x00, 1, ...new Array<number>(15).fill(0), 0x00]), // DC table: "0" → category 0
    ...seg(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]), // AC table: "0" → end of block
    ...seg(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    0x3f, // DC "0", EOB "0", padded with ones
    0xff, 0xd9,
  ]);
}

const sha256 = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");
const tmpFiles = () => fs.readdirSync(tmpDir);

interface Part {
  slot: string;
  name?: string;
  bytes?: Uint8Array | string;
  type?: string;
}

/** A multipart request the way a browser's FormData sends it. */
function formRequest(parts: Part[], fields: Record<string, string> = {}, init: RequestInit = {}): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of parts) form.append(p.slot, new File([typeof p.bytes === "string" ? p.bytes : new Uint8Array(p.bytes ?? [])], p.name ?? "", { type: p.type ?? "application/octet-stream" }));
  return new Request("http://portal.test/nop/1/tai-lieu", { method: "POST", body: form, ...init });
}

const BOUNDARY = "----hand-made-boundary-7MA4YWxkTrZu0gW";

/** A multipart body written by hand, for what FormData cannot produce (raw header bytes, filename*). */
function rawBody(parts: Array<{ disposition: string; type?: string; bytes: Uint8Array | string }>, close = true): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${p.disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`, "utf8"));
    chunks.push(Buffer.from(p.bytes));
    chunks.push(Buffer.from("\r\n"));
  }
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** A request whose body arrives in pieces of `size` bytes (so matches must survive chunk boundaries). */
function chunkedRequest(body: Buffer, size: number, contentType = `multipart/form-data; boundary=${BOUNDARY}`): Request {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) return controller.close();
      controller.enqueue(new Uint8Array(body.subarray(offset, offset + size)));
      offset += size;
    },
  });
  return new Request("http://portal.test/", { method: "POST", body: stream, headers: { "content-type": contentType }, duplex: "half" } as RequestInit);
}

function expectRefused(result: ReceivedUploads, code: string) {
  expect(result.ok ? "accepted" : result.error.code).toBe(code);
  if (!result.ok) {
    expect(result.error.status).toBeGreaterThanOrEqual(400);
    expect(result.error.status).toBeLessThan(500);
    expect(result.error.i18nKey).toMatch(/^uploads\.errors\.[a-zA-Z]+$/);
  }
  expect(tmpFiles()).toEqual([]);
}

const pdfWith = (extra: string) => Buffer.concat([pdf.subarray(0, 15), Buffer.from(`\n${extra}\n`, "latin1"), pdf.subarray(15)]);

describe("receiveUploads accepts real documents", () => {
  it("streams a PDF, a JPEG and a PNG to temp files with their SHA-256, size, type and a safe name", async () => {
    const jpeg = tinyJpeg();
    const result = await receiveUploads(
      formRequest(
        [
          { slot: "cccd", name: "Căn cước công dân.PDF", bytes: pdf, type: "application/pdf" },
          { slot: "giay_khai_sinh", name: "ảnh chụp.jpeg", bytes: jpeg, type: "image/jpeg" },
          { slot: "giay_khai_sinh", name: "trang 2", bytes: png, type: "image/png" },
        ],
        { csrf: "token-1", ghi_chu: "Bản sao có chứng thực" },
      ),
      limits(),
    );
    if (!result.ok) throw new Error(`refused: ${result.error.code}`);
    expect(result.fields).toEqual({ csrf: "token-1", ghi_chu: "Bản sao có chứng thực" });
    expect(result.files.map(({ tmpPath: _, ...f }) => f)).toEqual([
      { slot: "cccd", fileName: "Căn cước công dân.pdf", mime: "application/pdf", size: pdf.length, sha256: sha256(pdf) },
      { slot: "giay_khai_sinh", fileName: "ảnh chụp.jpeg", mime: "image/jpeg", size: jpeg.length, sha256: sha256(jpeg) },
      { slot: "giay_khai_sinh", fileName: "trang 2.png", mime: "image/png", size: png.length, sha256: sha256(png) },
    ]);
    for (const [i, bytes] of [pdf, jpeg, png].entries()) expect(fs.readFileSync(result.files[i].tmpPath).equals(bytes)).toBe(true);
    expect(tmpFiles()).toHaveLength(3);
    await discard(result.files);
    expect(tmpFiles()).toEqual([]);
  });

  it("accepts a file of exactly the per-file limit, and a file input left empty is not a file", async () => {
    const exact = Buffer.concat([pdf, Buffer.alloc(4096 - pdf.length, 0x20)]);
    const result = await receiveUploads(
      formRequest([{ slot: "cccd", name: "a.pdf", bytes: exact, type: "application/pdf" }, { slot: "giay_khai_sinh" }]),
      limits({ maxFileBytes: 4096, maxFiles: 1 }),
    );
    expect(result.ok && result.files.map((f) => [f.slot, f.size])).toEqual([["cccd", 4096]]);
    if (result.ok) await discard(result.files);
  });

  it("keeps Vietnamese names, composed (NFC), and stores the names of NUL tricks without the NUL", async () => {
    const body = rawBody([
      { disposition: `form-data; name="cccd"; filename="${"Giấy khai sinh".normalize("NFD")}.pdf"`, type: "application/pdf", bytes: pdf },
      { disposition: `form-data; name="cccd"; filename*=UTF-8''h%E1%BB%93%20s%C6%A1%00.pdf`, type: "application/pdf", bytes: pdf },
    ]);
    const result = await receiveUploads(chunkedRequest(body, 1000), limits());
    expect(result.ok && result.files.map((f) => f.fileName)).toEqual(["Giấy khai sinh".normalize("NFC") + ".pdf", "hồ sơ.pdf"]);
    if (result.ok) await discard(result.files);
  });

  it("sanitises path-traversal names to their last segment", async () => {
    const result = await receiveUploads(
      formRequest([
        { slot: "cccd", name: "../../etc/passwd.pdf", bytes: pdf },
        { slot: "cccd", name: "..\\..\\x.png", bytes: png },
        { slot: "cccd", name: "..", bytes: pdf },
      ]),
      limits(),
    );
    expect(result.ok && result.files.map((f) => f.fileName)).toEqual(["passwd.pdf", "x.png", "tai-lieu.pdf"]);
    if (result.ok) await discard(result.files);
  });
});

describe("sanitizeFileName", () => {
  it.each([
    ["../../etc/passwd.pdf", "pdf", "passwd.pdf"],
    ["..\\..\\windows\\x.png", "png", "x.png"],
    ["C:\\Users\\An\\Giấy tờ.jpg", "jpeg", "Giấy tờ.jpg"],
    ["evil\u0000.pdf", "pdf", "evil.pdf"],
    ["fdp.\u202Eexe", "pdf", "fdp.pdf"], // right-to-left override removed, the wrong extension replaced
    ["a/..", "pdf", "tai-lieu.pdf"],
    ["....pdf", "pdf", "tai-lieu.pdf"],
    [".htaccess", "png", "htaccess.png"],
    ["", "jpeg", "tai-lieu.jpg"],
    ["   ", "png", "tai-lieu.png"],
    ["scan 12.03.2024", "pdf", "scan 12.03.2024.pdf"],
    ["ảnh.jpg", "png", "ảnh.png"],
    ["hồ sơ <script>alert(1)</script>.pdf", "pdf", "script.pdf"], // "/" is a path separator
    ["hồ sơ: \"số 1\" & <bản sao>;.pdf", "pdf", "hồ sơ số 1 bản sao.pdf"],
    ["tờ   khai -- bản (1).PDF", "pdf", "tờ khai -- bản (1).pdf"],
  ] as const)("%j as %s → %j", (raw, type, expected) => {
    expect(sanitizeFileName(raw, type)).toBe(expected);
  });

  it("never returns more than 120 characters, a path, a control character or '..'", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), fc.constantFrom("pdf", "jpeg", "png"), (raw, type) => {
        const name = sanitizeFileName(raw, type);
        expect(Array.from(name).length).toBeLessThanOrEqual(120);
        expect(name).not.toMatch(/[/\\\p{Cc}\p{Cf}]|\.\./u);
        expect(name).toMatch(/^[\p{L}\p{M}\p{N} \-_.()]+\.(pdf|jpg|jpeg|jpe|jfif|png)$/u);
        expect(name.normalize("NFC")).toBe(name);
      }),
      { numRuns: 300 },
    );
  });
});

describe("PdfActiveContentScanner", () => {
  const scan = (text: string, chunk: number) => {
    const scanner = new PdfActiveContentScanner();
    const bytes = Buffer.from(text, "latin1");
    for (let i = 0; i < bytes.length; i += chunk) scanner.push(bytes.subarray(i, i + chunk));
    scanner.end();
    return scanner.found;
  };

  it.each([1, 2, 3, 7, 64, 4096])("finds names split across chunks of %i bytes, #xx escapes decoded", (chunk) => {
    expect(scan("<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>", chunk)).toBe("/JavaScript");
    expect(scan("<</OpenAction<</S/J#61va#53cript>>>>", chunk)).toBe("/JavaScript");
    expect(scan("<</A<</S/Launch/F(cmd.exe)>>>>", chunk)).toBe("/Launch");
    expect(scan("<</Names<</EmbeddedFiles 5 0 R>>>>", chunk)).toBe("/EmbeddedFiles");
    expect(scan("trailer<</Root 1 0 R/JS", chunk)).toBe("/JS");
    expect(scan("<</Type/Page/JSON 1/JavaScriptX 2/Resources<<>>>>", chunk)).toBeNull();
  });
});

describe("receiveUploads refuses the abuse corpus, leaving no temp file", () => {
  const eicarFree = Buffer.alloc(2048, 0x41);
  const corpus: Array<[string, string, Part[], Partial<UploadLimits>?]> = [
    ["a .pdf that is text (wrong magic bytes)", "uploads.type_not_allowed", [{ slot: "cccd", name: "don.pdf", bytes: "Xin chào, đây không phải PDF", type: "application/pdf" }]],
    ["an executable named .jpg", "uploads.type_not_allowed", [{ slot: "cccd", name: "anh.jpg", bytes: Buffer.concat([Buffer.from("MZ\x90\x00", "latin1"), eicarFree]) }]],
    ["HTML, then a PDF header (polyglot)", "uploads.polyglot", [{ slot: "cccd", name: "a.pdf", bytes: Buffer.concat([Buffer.from("<html><script>alert(1)</script>\n", "latin1"), pdf]) }]],
    ["whitespace, then a PNG signature", "uploads.polyglot", [{ slot: "cccd", name: "a.png", bytes: Buffer.concat([Buffer.from("   "), png]) }]],
    ["a JPEG whose first KiB also opens as a PDF", "uploads.polyglot", [{ slot: "cccd", name: "a.jpg", bytes: Buffer.concat([tinyJpeg().subarray(0, 20), Buffer.from("%PDF-1.4\n", "latin1"), tinyJpeg().subarray(20)]) }]],
    ["a PNG carrying <script> in its first KiB", "uploads.polyglot", [{ slot: "cccd", name: "a.png", bytes: Buffer.concat([png.subarray(0, 33), Buffer.from("<script src=//evil.example></script>", "latin1"), png.subarray(33)]) }]],
    ["a PHP prologue in a JPEG comment", "uploads.polyglot", [{ slot: "cccd", name: "a.jpg", bytes: Buffer.concat([tinyJpeg().subarray(0, 2), Buffer.from("\xff\xfe\x00\x10<?php eval(1)", "latin1"), tinyJpeg().subarray(2)]) }]],
    ["PNG bytes named .pdf", "uploads.type_mismatch", [{ slot: "cccd", name: "giay-to.pdf", bytes: png }]],
    ["PDF bytes declared image/png", "uploads.type_mismatch", [{ slot: "cccd", name: "scan", bytes: pdf, type: "image/png" }]],
    ["a PDF named .html", "uploads.type_mismatch", [{ slot: "cccd", name: "trang.html", bytes: pdf, type: "text/html" }]],
    ["a PDF with /JavaScript", "uploads.active_content", [{ slot: "cccd", name: "a.pdf", bytes: pdfWith("9 0 obj <</S /JavaScript /JS (app.alert(1))>> endobj") }]],
    ["a PDF with an escaped /J#61vaScript", "uploads.active_content", [{ slot: "cccd", name: "a.pdf", bytes: pdfWith("9 0 obj <</S/J#61vaScript>> endobj") }]],
    ["a PDF with /Launch", "uploads.active_content", [{ slot: "cccd", name: "a.pdf", bytes: pdfWith("9 0 obj <</S/Launch/F(calc.exe)>> endobj") }]],
    ["a PDF with /EmbeddedFile", "uploads.active_content", [{ slot: "cccd", name: "a.pdf", bytes: pdfWith("9 0 obj <</Type/EmbeddedFile>> endobj") }]],
    ["a file over the per-file limit", "uploads.file_too_large", [{ slot: "cccd", name: "a.pdf", bytes: Buffer.concat([pdf, Buffer.alloc(4097 - pdf.length, 0x20)]) }], { maxFileBytes: 4096 }],
    ["files together over the per-request limit", "uploads.total_too_large", [{ slot: "cccd", name: "a.pdf", bytes: pdf }, { slot: "cccd", name: "b.png", bytes: Buffer.concat([png, Buffer.alloc(3000)]) }], { maxTotalBytes: pdf.length + 1000 }],
    ["a zero-byte file", "uploads.empty_file", [{ slot: "cccd", name: "trong.pdf", bytes: "" }]],
    ["more files than allowed", "uploads.too_many_files", [1, 2, 3, 4].map((i) => ({ slot: "cccd", name: `${i}.png`, bytes: png }))],
    ["a file in a slot the form does not have", "uploads.unknown_slot", [{ slot: "__proto__", name: "a.pdf", bytes: pdf }]],
  ];

  it.each(corpus)("%s → %s", async (_label, code, parts, over) => {
    expectRefused(await receiveUploads(formRequest(parts), limits(over)), code);
  });

  it("finds /JavaScript split across the request's chunks", async () => {
    const body = rawBody([{ disposition: 'form-data; name="cccd"; filename="a.pdf"', type: "application/pdf", bytes: pdfWith("<</S/JavaScript>>") }]);
    for (const size of [3, 17, 1024]) expectRefused(await receiveUploads(chunkedRequest(body, size), limits()), "uploads.active_content");
  });

  it("refuses an accepted file when a later one is refused, removing the earlier temp file", async () => {
    const result = await receiveUploads(formRequest([{ slot: "cccd", name: "ok.pdf", bytes: pdf }, { slot: "cccd", name: "bad.pdf", bytes: "text" }]), limits());
    expectRefused(result, "uploads.type_not_allowed");
  });

  it("refuses requests that are not multipart, or have no boundary", async () => {
    const post = (body: BodyInit, type: string) => new Request("http://portal.test/", { method: "POST", body, headers: { "content-type": type } });
    expectRefused(await receiveUploads(post("a=1", "application/x-www-form-urlencoded"), limits()), "uploads.not_multipart");
    expectRefused(await receiveUploads(post("{}", "application/json"), limits()), "uploads.not_multipart");
    expectRefused(await receiveUploads(post("x", "multipart/form-data"), limits()), "uploads.not_multipart");
    expectRefused(await receiveUploads(new Request("http://portal.test/"), limits()), "uploads.not_multipart");
  });

  it("refuses a body cut short, a raw NUL in a part header, too many fields and an oversized field", async () => {
    const cut = rawBody([{ disposition: 'form-data; name="cccd"; filename="a.pdf"', bytes: pdf }], false).subarray(0, 300);
    expectRefused(await receiveUploads(chunkedRequest(cut, 64), limits()), "uploads.malformed");
    const nul = rawBody([{ disposition: 'form-data; name="cccd"; filename="a\u0000.pdf"', bytes: pdf }]);
    expectRefused(await receiveUploads(chunkedRequest(nul, 512), limits()), "uploads.malformed");
    const fields = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}`, "x"]));
    expectRefused(await receiveUploads(formRequest([], fields), limits({ maxFields: 5 })), "uploads.too_many_fields");
    expectRefused(await receiveUploads(formRequest([], { ghi_chu: "x".repeat(2000) }), limits({ maxFieldBytes: 1000 })), "uploads.field_too_large");
  });

  it("stops reading an oversize file at the limit instead of reading the whole request", async () => {
    let sent = 0;
    const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="cccd"; filename="big.pdf"\r\n\r\n%PDF-1.7\n`);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = sent === 0 ? head : Buffer.alloc(16 * 1024, 0x20);
        sent += chunk.length;
        controller.enqueue(new Uint8Array(chunk)); // never ends: a 1 TB upload, as far as we know
      },
    });
    const request = new Request("http://portal.test/", { method: "POST", body, headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, duplex: "half" } as RequestInit);
    expectRefused(await receiveUploads(request, limits({ maxFileBytes: 64 * 1024, maxTotalBytes: 64 * 1024, drainBytes: 256 * 1024 })), "uploads.file_too_large");
    await new Promise((r) => setTimeout(r, 50)); // let the bounded drain run out
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it("cleans up when the client goes away mid-upload (stream error or abort signal)", async () => {
    const partial = rawBody([{ disposition: 'form-data; name="cccd"; filename="a.pdf"', bytes: Buffer.concat([pdf, Buffer.alloc(40_000, 0x20)]) }], false).subarray(0, 20_000);
    let pulls = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new Uint8Array(partial));
        else controller.error(new Error("socket hang up"));
      },
    });
    const init = { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, duplex: "half" };
    expectRefused(await receiveUploads(new Request("http://portal.test/", { ...init, body: failing } as RequestInit), limits()), "uploads.aborted");

    const controller = new AbortController();
    let sentOnce = false;
    const stalled = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sentOnce) return new Promise(() => undefined); // the client stops sending …
        sentOnce = true;
        c.enqueue(new Uint8Array(partial));
        setTimeout(() => controller.abort(), 20); // … and then disconnects
      },
    });
    const request = new Request("http://portal.test/", { ...init, body: stalled, signal: controller.signal } as RequestInit);
    expectRefused(await receiveUploads(request, limits()), "uploads.aborted");
  });
});

describe("receiveUploads behind a real HTTP server", () => {
  it("answers an oversize upload with its 413 (the rest of the body is drained), and the connection stays usable", async () => {
    const server = http.createServer(async (req, res) => {
      const request = new Request(`http://portal.test${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: createReadableStreamFromReadable(req), // as @remix-run/express hands it to an action
        duplex: "half",
      } as RequestInit);
      const result = await receiveUploads(request, limits({ maxFileBytes: 64 * 1024, maxTotalBytes: 64 * 1024 }));
      if (result.ok) await discard(result.files);
      res.writeHead(result.ok ? 200 : result.error.status, { "content-type": "text/plain" });
      res.end(result.ok ? `${result.files.length}` : result.error.code);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/nop/1/tai-lieu`;
    try {
      const big = new FormData();
      big.append("cccd", new File([new Uint8Array(Buffer.concat([pdf, Buffer.alloc(100 * 1024, 0x20)]))], "lon.pdf"));
      const refused = await fetch(url, { method: "POST", body: big });
      expect([refused.status, await refused.text()]).toEqual([413, "uploads.file_too_large"]);
      const small = new FormData();
      small.append("cccd", new File([new Uint8Array(pdf)], "nho.pdf"));
      const accepted = await fetch(url, { method: "POST", body: small });
      expect([accepted.status, await accepted.text()]).toEqual([200, "1"]);
      expect(tmpFiles()).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});

describe("receiveUploads under random input", () => {
  const slot = fc.constantFrom("cccd", "giay_khai_sinh", "", "khac", "__proto__", "constructor");
  const name = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom("../../etc/passwd.pdf", "..\\..\\x.png", "a.pdf", "b.jpg", "c.png", "d.html", "", ".."),
  );
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc.tuple(fc.constantFrom("%PDF-1.4\n", "\xff\xd8\xff\xe0", "\x89PNG\r\n\x1a\n", "<html>", "%PDF-1.4\n/JavaScript "), fc.uint8Array({ maxLength: 2500 }))
      .map(([sig, rest]) => Buffer.concat([Buffer.from(sig, "latin1"), rest])),
  );
  const type = fc.constantFrom("application/pdf", "image/png", "image/jpeg", "text/html", "application/octet-stream", "");
  const part = fc.record({ slot, name, bytes, type });

  it("never throws, answers ok or a 4xx, and leaves a temp file only for accepted files", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 4 }), async (parts, fields) => {
        const result = await receiveUploads(formRequest(parts, fields), limits({ maxFileBytes: 2048, maxFiles: 3, maxTotalBytes: 4096, maxFields: 3 }));
        if (result.ok) {
          expect(result.files.length).toBeLessThanOrEqual(3);
          expect(result.files.reduce((n, f) => n + f.size, 0)).toBeLessThanOrEqual(4096);
          for (const f of result.files) {
            expect(f.size).toBeGreaterThan(0);
            expect(f.size).toBeLessThanOrEqual(2048);
            expect(sha256(fs.readFileSync(f.tmpPath))).toBe(f.sha256);
            expect(["application/pdf", "image/jpeg", "image/png"]).toContain(f.mime);
            expect(f.fileName).toMatch(/^[\p{L}\p{M}\p{N} \-_.()]{1,116}\.(pdf|jpg|jpeg|jpe|jfif|png)$/u);
          }
          expect(tmpFiles().sort()).toEqual(result.files.map((f) => path.basename(f.tmpPath)).sort());
          await discard(result.files);
        } else {
          expect(result.error.status).toBeGreaterThanOrEqual(400);
          expect(result.error.status).toBeLessThan(500);
        }
        expect(tmpFiles()).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("survives arbitrary and mangled multipart bodies delivered in arbitrary pieces", async () => {
    const valid = rawBody([
      { disposition: 'form-data; name="csrf"', bytes: "t" },
      { disposition: 'form-data; name="cccd"; filename="a.pdf"', type: "application/pdf", bytes: Buffer.alloc(0) },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc.tuple(fc.nat({ max: 400 }), fc.uint8Array({ minLength: 1, maxLength: 40 })).map(([at, junk]) => Buffer.concat([valid.subarray(0, at), Buffer.from(junk), valid.subarray(at)])),
          fc.nat({ max: 400 }).map((at) => Buffer.concat([valid.subarray(0, at), pdf.subarray(0, 600)])),
        ),
        fc.integer({ min: 1, max: 300 }),
        async (body, size) => {
          const result = await receiveUploads(chunkedRequest(body, size), limits());
          if (result.ok) await discard(result.files);
          else expect(result.error.status).toBeLessThan(500);
          expect(tmpFiles()).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("commitToStorage", () => {
  it("moves each temp file into storage under its content key, once per content", async () => {
    const storeDir = path.join(tmpDir, "..", `${path.basename(tmpDir)}-store`);
    const storage = createStorage({ driver: "local", dir: storeDir });
    try {
      const received = await receiveUploads(formRequest([{ slot: "cccd", name: "a.pdf", bytes: pdf }, { slot: "giay_khai_sinh", name: "b.pdf", bytes: pdf }]), limits());
      if (!received.ok) throw new Error(received.error.code);
      try {
        const keys = [];
        for (const f of received.files) keys.push(await commitToStorage(storage, f));
        expect(keys).toEqual([contentKey(sha256(pdf)), contentKey(sha256(pdf))]);
        expect(tmpFiles()).toEqual([]);
        expect(await storage.head(keys[0])).toEqual({ size: pdf.length });
      } finally {
        await discard(received.files);
      }
    } finally {
      fs.rmSync(storeDir, { recursive: true, force: true });
    }
  });
});

// ---- the scan hook against a clamd speaking the real INSTREAM protocol ------------------------

describe("scanFile (clamd INSTREAM)", () => {
  let clamd: Awaited<ReturnType<typeof startFakeClamd>>;
  beforeAll(async () => {
    clamd = await startFakeClamd(512 * 1024);
  });
  afterAll(() => clamd.close());

  it("flags an upload that passed inspection but carries the EICAR test string", async () => {
    const received = await receiveUploads(formRequest([{ slot: "cccd", name: "a.pdf", bytes: pdfWith(`%${EICAR}`) }]), limits());
    if (!received.ok) throw new Error(received.error.code);
    try {
      expect(await scanFile(received.files[0].tmpPath, { clamd: clamd.address })).toBe("infected");
    } finally {
      await discard(received.files);
    }
  });

  it("passes a clean file sent in many chunks, and reports clamd's own errors and absence as error", async () => {
    const file = path.join(tmpDir, "clean.bin");
    fs.writeFileSync(file, Buffer.concat([pdf, crypto.randomBytes(300 * 1024)]));
    expect(await scanFile(file, { clamd: clamd.address })).toBe("clean");
    fs.writeFileSync(file, crypto.randomBytes(2 * 1024 * 1024));
    expect(await scanFile(file, { clamd: clamd.address })).toBe("error"); // over clamd's StreamMaxLength
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await scanFile(file, { clamd: `127.0.0.1:${port}` })).toBe("error"); // connection refused
  });

  it("gives up on a clamd that never answers", async () => {
    const silent = net.createServer((s) => s.on("data", () => undefined));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", () => r()));
    const { port } = silent.address() as net.AddressInfo;
    const file = path.join(tmpDir, "a.pdf");
    fs.writeFileSync(file, pdf);
    try {
      expect(await scanFile(file, { clamd: `127.0.0.1:${port}`, timeoutMs: 200 })).toBe("error");
    } finally {
      silent.close();
    }
  });

  it("treats every file as clean when no clamd is configured", async () => {
    const file = path.join(tmpDir, "x.bin");
    fs.writeFileSync(file, EICAR);
    expect(await scanFile(file, {})).toBe("clean");
  });
});

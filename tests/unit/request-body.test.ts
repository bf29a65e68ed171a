// Reading a request body with a byte limit: counted on the bytes read, not on Content-Length.
import { describe, expect, it } from "vitest";
import { MAX_REQUEST_BODY_BYTES, readBodyText } from "~/lib/request-body.server";
import { MAX_DOSSIER_BYTES } from "~/modules/filing/documents.server";
import { MAX_RESULT_TOTAL_BYTES } from "~/modules/results/results.server";

/** A chunked body (no Content-Length) of `chunks` × 64 KiB, counting how many chunks were pulled. */
function chunkedRequest(chunks: number) {
  const pulled = { n: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled.n === chunks) return controller.close();
      pulled.n++;
      controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
    },
  }, { highWaterMark: 0 });
  return { request: new Request("http://portal.test/api", { method: "POST", body, duplex: "half" } as RequestInit), pulled };
}

describe("readBodyText", () => {
  it("stops reading a chunked body at the limit and refuses it with 413", async () => {
    const { request, pulled } = chunkedRequest(480); // 30 MiB
    const r = await readBodyText(request, 2_000_000);
    expect(r).toMatchObject({ ok: false, error: { code: "request.too_large", status: 413, i18nKey: "errors.bodyTooLarge" } });
    expect(pulled.n).toBeLessThan(40); // ~31 chunks make 2 MB, not 480
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const request = new Request("http://portal.test/api", { method: "POST", body: "x".repeat(100), headers: { "content-length": "5000000" } });
    expect(await readBodyText(request, 2_000_000)).toMatchObject({ ok: false, error: { status: 413 } });
  });

  it("reads a body within the limit as UTF-8 text, counting bytes, not characters", async () => {
    const text = "Đăng ký thường trú";
    const bytes = Buffer.byteLength(text);
    expect(await readBodyText(new Request("http://portal.test/api", { method: "POST", body: text }), bytes)).toEqual({ ok: true, value: text });
    expect(await readBodyText(new Request("http://portal.test/api", { method: "POST", body: text }), text.length)).toMatchObject({ ok: false });
    expect(await readBodyText(new Request("http://portal.test/api", { method: "POST" }), 10)).toEqual({ ok: true, value: "" });
  });
});

describe("MAX_REQUEST_BODY_BYTES", () => {
  it("lets the largest legitimate upload through, with room for multipart framing and fields", () => {
    const framing = 1024 * 1024;
    expect(MAX_REQUEST_BODY_BYTES).toBeGreaterThanOrEqual(MAX_RESULT_TOTAL_BYTES + framing);
    expect(MAX_REQUEST_BODY_BYTES).toBeGreaterThanOrEqual(MAX_DOSSIER_BYTES + framing);
  });
});

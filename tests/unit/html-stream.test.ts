// React 18.3.1's streaming writer, patched (patches/react-dom+18.3.1.patch, ADR 016): a text
// whose 3-byte characters cross the 2048-byte edge of the writer's buffer comes out as the same
// UTF-8 bytes, not with the zeros left at the buffer's end. Both builds of the Node renderer:
// production (what server.ts runs) and development (what Vitest and `remix dev` load).
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { createElement, type ReactNode } from "react";
import { describe, expect, it } from "vitest";

type Renderer = { renderToPipeableStream(node: ReactNode, opts: { onAllReady(): void; onError(e: unknown): void }): { pipe(w: Writable): void } };
const require = createRequire(import.meta.url);
const reactDom = path.dirname(require.resolve("react-dom/package.json"));
const BUILDS = ["production.min", "development"] as const;

async function render(build: (typeof BUILDS)[number], node: ReactNode): Promise<Uint8Array> {
  // by file: react-dom's exports map picks one build from NODE_ENV and hides the other
  const server = require(path.join(reactDom, "cjs", `react-dom-server.node.${build}.js`)) as Renderer;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(Buffer.from(chunk)); done(); }, final(done) { resolve(); done(); } });
    const { pipe } = server.renderToPipeableStream(node, { onAllReady: () => pipe(sink), onError: reject });
  });
  return new Uint8Array(Buffer.concat(chunks));
}

describe("the patched streaming writer", () => {
  for (const build of BUILDS) {
    it(`${build}: a 3-byte character across the 2048-byte edge is sent whole, with no NUL`, async () => {
      // ten runs of 600 bytes ("ợ" is 3 bytes; 200 of them are encoded into the buffer, not sent
      // apart): the edge falls inside a run, and each ASCII lead shifts it by one byte, so among
      // the three leads it falls inside a character at least twice
      const run = "ợ".repeat(200);
      for (const lead of [0, 1, 2]) {
        const spans = Array.from({ length: 10 }, (_, i) => createElement("span", { key: i }, run));
        const bytes = await render(build, createElement("div", null, "a".repeat(lead) || null, spans));
        expect(bytes.indexOf(0), `first NUL with a lead of ${lead}`).toBe(-1);
        const html = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        expect(html).toBe(`<div>${"a".repeat(lead)}${`<span>${run}</span>`.repeat(10)}</div>`);
      }
    });

    it(`${build}: long Vietnamese text in attributes and text comes back byte for byte`, async () => {
      const name = "Nguyễn Thị Phượng";
      const rows = Array.from({ length: 120 }, (_, i) => createElement("input", { key: i, name: `f${i}`, defaultValue: `${"x".repeat(i % 3)}${name}` }));
      const bytes = await render(build, createElement("form", null, rows));
      expect(bytes.indexOf(0)).toBe(-1);
      const html = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      expect(html.match(/Nguyễn Thị Phượng/g)).toHaveLength(120);
    });
  }
});

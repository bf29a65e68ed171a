// Reads a PDF back the way a person would see it, without poppler: the text of each page (through
// each font's ToUnicode CMap), the embedded fonts, the raster images, and the QR codes in them.
// Made for PDFs written by pdf-lib (the receipt slip); other producers' PDFs may use features it
// does not read (PNG predictors, CCITT/JPEG images, text in form XObjects).
import fontkit, { type Font } from "@pdf-lib/fontkit";
import jsQR from "jsqr";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFString,
} from "pdf-lib";

export interface PdfFont {
  /** A resource name under which the font is used (pdf-lib adds one per drawText). */
  resource: string;
  /** BaseFont, e.g. "ABCDEF+NotoSans-Regular" for an embedded subset. */
  baseFont: string;
  /** A font program (FontFile/FontFile2/FontFile3) is embedded. */
  embedded: boolean;
}

export interface PdfImage {
  resource: string;
  width: number;
  height: number;
  /** Pixels as RGBA, composited over white when the image has a soft mask. */
  rgba: Uint8ClampedArray;
}

export interface PdfInspection {
  pageCount: number;
  title: string | undefined;
  language: string | undefined;
  creator: string | undefined;
  /** The text of every page, one line per text-positioning operation, pages separated by "\n\f\n". */
  text: string;
  fonts: PdfFont[];
  /** Characters drawn with glyph 0 (.notdef), which print as empty boxes. */
  notdefCount: number;
  /** Visible characters whose glyph in the embedded font has no outline (a broken subset). */
  blankGlyphs: string[];
  images: PdfImage[];
  /** Contents of every QR code found in the images. */
  qrCodes: string[];
}

const name = (s: string) => PDFName.of(s);

function streamBytes(obj: PDFObject | undefined): Uint8Array | undefined {
  if (!(obj instanceof PDFRawStream)) return undefined;
  const parms = obj.dict.get(name("DecodeParms"));
  if (parms) throw new Error("streams with DecodeParms (predictors) are not supported");
  return decodePDFRawStream(obj).decode();
}

function pdfStringValue(obj: PDFObject | undefined): string | undefined {
  return obj instanceof PDFString || obj instanceof PDFHexString ? obj.decodeText() : undefined;
}

// ---- ToUnicode CMaps -----------------------------------------------------------------------------

interface CMap {
  codeBytes: number;
  map: Map<number, string>;
}

const hexToInt = (h: string) => parseInt(h, 16);
function utf16beHex(h: string): string {
  const units: number[] = [];
  for (let i = 0; i + 4 <= h.length; i += 4) units.push(hexToInt(h.slice(i, i + 4)));
  return String.fromCharCode(...units);
}

export function parseToUnicode(source: string): CMap {
  const map = new Map<number, string>();
  const space = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(source);
  const codeBytes = space ? space[1].length / 2 : 2;
  for (const block of source.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(hexToInt(m[1]), utf16beHex(m[2]));
  }
  for (const block of source.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])/g)) {
      const lo = hexToInt(m[1]);
      const hi = hexToInt(m[2]);
      if (m[3].startsWith("[")) {
        const dests = [...m[3].matchAll(/<([0-9a-fA-F]*)>/g)].map((d) => utf16beHex(d[1]));
        dests.forEach((d, i) => map.set(lo + i, d));
      } else {
        const start = m[3].slice(1, -1);
        const last = hexToInt(start.slice(-4));
        for (let c = lo; c <= hi; c++) map.set(c, utf16beHex(start.slice(0, -4) + (last + c - lo).toString(16).padStart(4, "0")));
      }
    }
  }
  return { codeBytes, map };
}

// ---- content streams -------------------------------------------------------------------------------

type Token = { kind: "op"; value: string } | { kind: "name"; value: string } | { kind: "str"; bytes: number[] } | { kind: "num"; value: number } | { kind: "open" } | { kind: "close" };

function* tokenize(src: string): Generator<Token> {
  let i = 0;
  const n = src.length;
  const isWs = (c: string) => " \t\r\n\f\0".includes(c);
  const isDelim = (c: string) => "()<>[]{}/%".includes(c);
  while (i < n) {
    const c = src[i];
    if (isWs(c)) { i++; continue; }
    if (c === "%") { while (i < n && src[i] !== "\n" && src[i] !== "\r") i++; continue; }
    if (c === "[") { i++; yield { kind: "open" }; continue; }
    if (c === "]") { i++; yield { kind: "close" }; continue; }
    if (c === "/") {
      let j = i + 1;
      while (j < n && !isWs(src[j]) && !isDelim(src[j])) j++;
      yield { kind: "name", value: src.slice(i + 1, j) };
      i = j;
      continue;
    }
    if (c === "<" && src[i + 1] === "<") { i += 2; yield { kind: "op", value: "<<" }; continue; }
    if (c === ">" && src[i + 1] === ">") { i += 2; yield { kind: "op", value: ">>" }; continue; }
    if (c === "<") {
      const j = src.indexOf(">", i);
      let hex = src.slice(i + 1, j).replace(/\s+/g, "");
      if (hex.length % 2) hex += "0";
      const bytes: number[] = [];
      for (let k = 0; k < hex.length; k += 2) bytes.push(hexToInt(hex.slice(k, k + 2)));
      yield { kind: "str", bytes };
      i = j + 1;
      continue;
    }
    if (c === "(") {
      const bytes: number[] = [];
      let depth = 1;
      i++;
      while (i < n && depth > 0) {
        const ch = src[i];
        if (ch === "\\") {
          const e = src[i + 1];
          const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, "(": 40, ")": 41, "\\": 92 };
          if (e in esc) { bytes.push(esc[e]); i += 2; }
          else if (/[0-7]/.test(e)) {
            const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4))![0];
            bytes.push(parseInt(oct, 8) & 0xff);
            i += 1 + oct.length;
          } else i += 2; // line continuation or unknown escape
          continue;
        }
        if (ch === "(") depth++;
        if (ch === ")" && --depth === 0) { i++; break; }
        bytes.push(ch.charCodeAt(0) & 0xff);
        i++;
      }
      yield { kind: "str", bytes };
      continue;
    }
    let j = i;
    while (j < n && !isWs(src[j]) && !isDelim(src[j])) j++;
    if (j === i) { i++; continue; }
    const word = src.slice(i, j);
    i = j;
    const num = Number(word);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) yield { kind: "num", value: num };
    else yield { kind: "op", value: word };
  }
}

/** What the text extractor knows of a font: its ToUnicode map and, for an embedded TrueType
 * CID font (Identity CID-to-GID, as pdf-lib writes), the font program to check glyph outlines. */
interface FontReader {
  cmap?: CMap;
  program?: Font;
}

interface ShownText { text: string; notdef: number; blank: string[] }

function showText(bytes: number[], font: FontReader | undefined): ShownText {
  const cmap = font?.cmap;
  if (!cmap) return { text: String.fromCharCode(...bytes), notdef: 0, blank: [] }; // simple font, no CMap: read as Latin-1
  let text = "";
  let notdef = 0;
  const blank: string[] = [];
  for (let i = 0; i + cmap.codeBytes <= bytes.length; i += cmap.codeBytes) {
    let code = 0;
    for (let k = 0; k < cmap.codeBytes; k++) code = (code << 8) | bytes[i + k];
    if (code === 0 && cmap.codeBytes === 2) notdef++;
    const chars = cmap.map.get(code) ?? "\ufffd";
    if (font.program && /\S/.test(chars) && !font.program.getGlyph(code).path.toSVG()) blank.push(chars);
    text += chars;
  }
  return { text, notdef, blank };
}

type Operand = Token | Token[];
const isString = (o: Operand | undefined): o is Extract<Token, { kind: "str" }> => !!o && !Array.isArray(o) && o.kind === "str";

function pageText(content: string, fonts: Map<string, FontReader>): { text: string; notdef: number; blank: string[] } {
  const lines: string[] = [];
  let line = "";
  let notdef = 0;
  const blank: string[] = [];
  let font: FontReader | undefined;
  let operands: Operand[] = [];
  let array: Token[] | null = null;
  const breakLine = () => {
    if (line) lines.push(line);
    line = "";
  };
  const show = (bytes: number[]) => {
    const shown = showText(bytes, font);
    line += shown.text;
    notdef += shown.notdef;
    blank.push(...shown.blank);
  };
  for (const t of tokenize(content)) {
    if (t.kind === "open") { array = []; continue; }
    if (t.kind === "close") { operands.push(array ?? []); array = null; continue; }
    if (array) { array.push(t); continue; }
    if (t.kind !== "op") { operands.push(t); continue; }
    const last = operands[operands.length - 1];
    switch (t.value) {
      case "Tf": {
        const res = operands[operands.length - 2];
        font = res && !Array.isArray(res) && res.kind === "name" ? fonts.get(res.value) : undefined;
        break;
      }
      case "Tj":
        if (isString(last)) show(last.bytes);
        break;
      case "'":
      case '"':
        breakLine();
        if (isString(last)) show(last.bytes);
        break;
      case "TJ":
        for (const item of Array.isArray(last) ? last : []) {
          if (item.kind === "str") show(item.bytes);
          else if (item.kind === "num" && item.value < -200) line += " "; // a wide kern is a word space
        }
        break;
      case "BT":
      case "ET":
      case "Td":
      case "TD":
      case "Tm":
      case "T*":
        breakLine();
        break;
    }
    operands = [];
  }
  breakLine();
  return { text: lines.join("\n"), notdef, blank };
}

// ---- images ----------------------------------------------------------------------------------------

function imageRgba(stream: PDFRawStream, context: PDFDocument["context"]): { width: number; height: number; rgba: Uint8ClampedArray } | undefined {
  const dict = stream.dict;
  const width = dict.lookup(name("Width"), PDFNumber).asNumber();
  const height = dict.lookup(name("Height"), PDFNumber).asNumber();
  const bpc = dict.lookupMaybe(name("BitsPerComponent"), PDFNumber)?.asNumber() ?? 8;
  const cs = dict.lookup(name("ColorSpace"));
  const channels = cs === name("DeviceRGB") ? 3 : cs === name("DeviceGray") ? 1 : 0;
  const filter = dict.lookup(name("Filter"));
  if (!channels || bpc !== 8 || (filter && filter !== name("FlateDecode"))) return undefined;
  const pixels = streamBytes(stream)!;
  const smaskObj = dict.get(name("SMask"));
  const alpha = smaskObj ? streamBytes(context.lookup(smaskObj)) : undefined;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const a = alpha ? alpha[p] / 255 : 1;
    for (let ch = 0; ch < 3; ch++) {
      const v = pixels[p * channels + (channels === 3 ? ch : 0)];
      rgba[p * 4 + ch] = Math.round(v * a + 255 * (1 - a));
    }
    rgba[p * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

// ---- the whole document ----------------------------------------------------------------------------

export async function inspectPdf(bytes: Uint8Array | ArrayBuffer): Promise<PdfInspection> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const context = doc.context;
  const fonts: PdfFont[] = [];
  const images: PdfImage[] = [];
  const texts: string[] = [];
  let notdefCount = 0;
  const blankGlyphs: string[] = [];

  // pdf-lib adds a new resource name for the same font on every drawText: read each font once.
  const readers = new Map<string, FontReader>();
  for (const page of doc.getPages()) {
    const resources = page.node.Resources();
    const pageFonts = new Map<string, FontReader>();
    const fontDict = resources?.lookupMaybe(name("Font"), PDFDict);
    for (const [key, ref] of fontDict?.entries() ?? []) {
      const id = ref instanceof PDFRef ? ref.toString() : `${key.decodeText()}@${fonts.length}`;
      let reader = readers.get(id);
      if (!reader) {
        const font = context.lookup(ref, PDFDict);
        const toUnicode = streamBytes(font.lookup(name("ToUnicode")));
        const descendant = font.lookupMaybe(name("DescendantFonts"), PDFArray)?.lookup(0, PDFDict);
        const descriptor = (descendant ?? font).lookupMaybe(name("FontDescriptor"), PDFDict);
        const embedded = ["FontFile", "FontFile2", "FontFile3"].some((k) => descriptor?.has(name(k)));
        const identity = descendant?.lookup(name("CIDToGIDMap")) === name("Identity");
        const program = identity ? streamBytes(descriptor?.lookup(name("FontFile2"))) : undefined;
        reader = {
          cmap: toUnicode ? parseToUnicode(Buffer.from(toUnicode).toString("latin1")) : undefined,
          program: program ? fontkit.create(program) : undefined,
        };
        readers.set(id, reader);
        fonts.push({ resource: key.decodeText(), baseFont: font.lookupMaybe(name("BaseFont"), PDFName)?.decodeText() ?? "", embedded });
      }
      pageFonts.set(key.decodeText(), reader);
    }

    const xobjects = resources?.lookupMaybe(name("XObject"), PDFDict);
    for (const [key, ref] of xobjects?.entries() ?? []) {
      const stream = ref instanceof PDFRef ? context.lookup(ref) : ref;
      if (!(stream instanceof PDFRawStream) || stream.dict.lookup(name("Subtype")) !== name("Image")) continue;
      const img = imageRgba(stream, context);
      if (img) images.push({ resource: key.decodeText(), ...img });
    }

    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((r) => context.lookup(r)) : [contents];
    const source = streams.map((s) => Buffer.from(streamBytes(s as PDFObject) ?? new Uint8Array()).toString("latin1")).join("\n");
    const { text, notdef, blank } = pageText(source, pageFonts);
    texts.push(text);
    notdefCount += notdef;
    blankGlyphs.push(...blank);
  }

  const qrCodes = images.flatMap((img) => {
    const found = jsQR(img.rgba, img.width, img.height);
    return found ? [found.data] : [];
  });
  return {
    pageCount: doc.getPageCount(),
    title: doc.getTitle(),
    language: pdfStringValue(doc.catalog.lookup(name("Lang"))),
    creator: doc.getCreator(),
    text: texts.join("\n\f\n"),
    fonts,
    notdefCount,
    blankGlyphs: [...new Set(blankGlyphs)],
    images,
    qrCodes,
  };
}

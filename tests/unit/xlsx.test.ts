// The XLSX export, read back the hard way: a ZIP reader written here (end record → central
// directory → local headers, inflateRawSync, CRC checked with node:zlib's own crc32), then the
// sheet's XML cell by cell — Vietnamese text intact, numbers as numbers, text never a formula.
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, zip } from "~/lib/zip.server";
import { columnName, XLSX_MIME, xlsxResponse } from "~/lib/xlsx.server";
import { toXlsx, XLSX_COLUMNS, type IndicatorRow } from "~/modules/reports/indicators.server";

interface Unzipped { name: string; data: Buffer; utf8Name: boolean }

function unzip(archive: Buffer): Unzipped[] {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("no end of central directory record");
  const count = archive.readUInt16LE(endAt + 10);
  const dirSize = archive.readUInt32LE(endAt + 12);
  let at = archive.readUInt32LE(endAt + 16);
  expect(at + dirSize).toBe(endAt); // the directory ends where the end record starts
  const out: Unzipped[] = [];
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const flags = archive.readUInt16LE(at + 8);
    const method = archive.readUInt16LE(at + 10);
    const crc = archive.readUInt32LE(at + 16);
    const packedSize = archive.readUInt32LE(at + 20);
    const size = archive.readUInt32LE(at + 24);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const localAt = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    at += 46 + nameLength + skip;

    expect(archive.readUInt32LE(localAt)).toBe(0x04034b50);
    expect(archive.readUInt32LE(localAt + 14)).toBe(crc); // local header agrees with the directory
    const localName = archive.readUInt16LE(localAt + 26);
    const start = localAt + 30 + localName + archive.readUInt16LE(localAt + 28);
    const packed = archive.subarray(start, start + packedSize);
    const data = method === 8 ? zlib.inflateRawSync(packed) : Buffer.from(packed);
    expect(data.length, name).toBe(size);
    expect(zlib.crc32(data), name).toBe(crc);
    out.push({ name, data, utf8Name: (flags & 0x0800) !== 0 });
  }
  return out;
}

/** Cells of a sheet as { A1: value }: inline strings as text, <v> as numbers. */
function cells(sheetXml: string): Record<string, string | number> {
  const found: Record<string, string | number> = {};
  for (const m of sheetXml.matchAll(/<c r="([A-Z]+\d+)"[^>]*?(?: t="(\w+)")?>(.*?)<\/c>/g)) {
    const [, ref, type, inner] = m;
    const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    if (type === "inlineStr") found[ref] = unescape(/<t[^>]*>(.*?)<\/t>/s.exec(inner)![1]);
    else found[ref] = Number(/<v>(.*?)<\/v>/.exec(inner)![1]);
  }
  return found;
}

const row = (over: Partial<IndicatorRow>): IndicatorRow => ({
  agencyCode: "000.01.31.H49", agencyName: "Công an xã Đầm Hà", month: "2026-11", received: 3, finished: 2, finishedOnTime: 1, online: 2,
  digitised: 1, rated: 0, satisfied: 0, onTimeRate: 50, onlineRate: 66.7, digitisationRate: 33.3, satisfaction: null, ...over,
});
const headings = Object.fromEntries(XLSX_COLUMNS.map((c, i) => [c, i === 1 ? "Tên cơ quan" : i === 7 ? "Tỷ lệ đúng hạn (%)" : c])) as Record<(typeof XLSX_COLUMNS)[number], string>;

describe("zip writer", () => {
  it("computes the standard CRC-32", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it("writes an archive its entries read back from, names in UTF-8", () => {
    const archive = zip([{ name: "a.txt", data: "xin chào" }, { name: "thư mục/tệp.bin", data: new Uint8Array([0, 1, 2, 255]) }]);
    const entries = unzip(archive);
    expect(entries.map((e) => [e.name, e.utf8Name])).toEqual([["a.txt", true], ["thư mục/tệp.bin", true]]);
    expect(entries[0].data.toString("utf8")).toBe("xin chào");
    expect([...entries[1].data]).toEqual([0, 1, 2, 255]);
  });
});

describe("indicators as XLSX", () => {
  const bytes = toXlsx([row({}), row({ agencyCode: "000.02.30.H49", agencyName: '=HYPERLINK("http://x") & <b>Ủy ban</b>', month: "2026-12", onTimeRate: null, satisfaction: 100 })], headings, "Chỉ số QĐ 766");
  const parts = new Map(unzip(bytes).map((e) => [e.name, e.data.toString("utf8")]));

  it("holds the parts of a SpreadsheetML package", () => {
    expect([...parts.keys()].sort()).toEqual(["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]);
    expect(parts.get("[Content_Types].xml")).toContain('PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"');
    expect(parts.get("_rels/.rels")).toContain('Target="xl/workbook.xml"');
    expect(parts.get("xl/workbook.xml")).toContain('<sheet name="Chỉ số QĐ 766" sheetId="1" r:id="rId1"/>');
    expect(parts.get("xl/_rels/workbook.xml.rels")).toContain('Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"');
  });

  it("puts each indicator in its cell: Vietnamese text intact, numbers as numbers, no formulas", () => {
    const sheet = parts.get("xl/worksheets/sheet1.xml")!;
    expect(sheet).not.toContain("<f>");
    const c = cells(sheet);
    expect(c).toMatchObject({
      A1: "agencyCode", B1: "Tên cơ quan", H1: "Tỷ lệ đúng hạn (%)", K1: "satisfaction",
      A2: "000.01.31.H49", B2: "Công an xã Đầm Hà", C2: "2026-11", D2: 3, E2: 2, F2: 1, G2: 2, H2: 50, I2: 66.7, J2: 33.3,
      A3: "000.02.30.H49", B3: '=HYPERLINK("http://x") & <b>Ủy ban</b>', C3: "2026-12", K3: 100,
    });
    expect(c.K2).toBeUndefined(); // no rating: an empty cell, not 0
    expect(c.H3).toBeUndefined();
    expect(Object.keys(c).filter((k) => k.endsWith("1"))).toHaveLength(XLSX_COLUMNS.length);
  });

  it("is served as a spreadsheet download under its own name", async () => {
    const res = xlsxResponse(bytes, "chi-so-766-2026-11-01-2026-11-30.xlsx");
    expect(res.headers.get("content-type")).toBe(XLSX_MIME);
    expect(XLSX_MIME).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="chi-so-766-2026-11-01-2026-11-30.xlsx"');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("names columns past Z", () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
  });
});

// The mock national portal's citizen pages the province links to in national mode (ADR 025): the
// filing page names the procedure and agency it was handed, the dossier page the dossier's status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMock, type RunningMock } from "~integrations/national-portal/mock/server";

let mock: RunningMock;
beforeAll(async () => { mock = await startMock({ port: 0 }); });
afterAll(() => mock?.close());

const page = async (path: string) => {
  const r = await fetch(`${mock.url}${path}`);
  return { status: r.status, type: r.headers.get("content-type"), html: await r.text() };
};

describe("mock national citizen pages", () => {
  it("the filing page names the procedure and the agency, by full code or the province's short form", async () => {
    const full = await page("/nop-ho-so?MaTTHC=1.004222&MaCoQuanThucHien=000.00.01.H49");
    expect(full).toMatchObject({ status: 200, type: "text/html; charset=utf-8" });
    expect(full.html).toContain('<html lang="vi">');
    expect(full.html).toContain("Đăng ký thường trú");
    expect(full.html).toContain("Công an tỉnh Quảng Ninh");
    const short = await page("/nop-ho-so?MaTTHC=1.004222&MaCoQuanThucHien=H49.22");
    expect(short.status).toBe(200);
    expect(short.html).toContain("Ủy ban nhân dân tỉnh Quảng Ninh");
  });

  it("refuses a malformed hand-off (400) and an unknown procedure or agency (404), as pages", async () => {
    expect((await page("/nop-ho-so?MaTTHC=%3Cb%3E&MaCoQuanThucHien=H49")).status).toBe(400);
    expect((await page("/nop-ho-so?MaTTHC=1.004222")).status).toBe(400);
    const unknown = await page("/nop-ho-so?MaTTHC=9.999999&MaCoQuanThucHien=H49");
    expect(unknown.status).toBe(404);
    expect(unknown.html).not.toContain("<b>");
    expect((await page("/nop-ho-so?MaTTHC=1.004222&MaCoQuanThucHien=000.99.99.H49")).status).toBe(404);
  });

  it("the dossier page shows a dossier filed on the national side, and 404 for one it does not hold", async () => {
    const filed = await fetch(`${mock.url}/api/citizen/filings`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ MaTTHC: "1.004222", DonViXuLy: "000.01.31.H49", ChuHoSo: "Nguyễn Văn An", SoDinhDanh: "022085004517", SoDienThoai: "0912345678" }),
    });
    const { result } = (await filed.json()) as { result: { MaHoSo: string } };
    const shown = await page(`/tra-cuu-ho-so?MaHoSo=${result.MaHoSo}`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(result.MaHoSo);
    expect(shown.html).toContain("Mới đăng ký");
    // no personal data on a page reached by code alone
    expect(shown.html).not.toContain("022085004517");
    expect(shown.html).not.toContain("Nguyễn Văn An");
    expect((await page("/tra-cuu-ho-so?MaHoSo=000.01.31.H49-20260101-0000001")).status).toBe(404);
    expect((await page("/tra-cuu-ho-so?MaHoSo=%00")).status).toBe(400);
  });
});

import { expect, test, type Page } from "@playwright/test";
import { freshTotp } from "./totp";
import { expectAccessible } from "./axe";
import fs from "node:fs";
import { inspectPdf } from "../support/pdf";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // motcua01, see README

async function signIn(page: Page, username: string, secret: string) {
  await page.goto("/can-bo/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill("Demo@2026-QuangNinh");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByLabel("Mã xác thực").fill(await freshTotp(username, secret));
  await page.getByRole("button", { name: "Xác nhận" }).click();
  await expect(page).toHaveURL(/\/can-bo\/ho-so$/);
}

test.describe("one-stop desk", () => {
  test("an official signs in with a password and a TOTP code, sees the queue and receives a dossier", async ({ page }) => {
    await page.goto("/can-bo/ho-so");
    await expect(page).toHaveURL(/\/can-bo\/dang-nhap$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng nhập cán bộ");
    await expectAccessible(page);
    await page.getByLabel("Tên đăng nhập").fill("motcua01");
    await page.getByLabel("Mật khẩu").fill("wrong password");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("alert")).toHaveText("Tên đăng nhập hoặc mật khẩu không đúng.");
    await page.getByLabel("Mật khẩu").fill("Demo@2026-QuangNinh");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page).toHaveURL(/\/can-bo\/xac-thuc$/);
    await expectAccessible(page);
    await page.getByLabel("Mã xác thực").fill(await freshTotp("motcua01", SECRET));
    await page.getByRole("button", { name: "Xác nhận" }).click();
    await expect(page).toHaveURL(/\/can-bo\/ho-so$/);
    const rows = page.getByTestId("queue").locator("tbody tr");
    await expect(rows).toHaveCount(3);
    await expectAccessible(page);
    await rows.first().getByRole("link").click();
    await expect(page.getByTestId("status")).toHaveText("Mới đăng ký");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Tiếp nhận", exact: true }).click();
    await expect(page.getByTestId("status")).toHaveText("Được tiếp nhận");
    await expect(page.getByTestId("timeline")).toContainText("Được tiếp nhận");
    // a desk officer may not process: only receive/refuse/return are offered
    await expect(page.getByRole("button", { name: "Chuyển xử lý" })).toHaveCount(0);
    await page.getByRole("link", { name: /Quay lại danh sách/ }).click();
    // another site's forged sign-out (no CSRF token) is refused and the session lives on
    expect((await page.request.post("/can-bo/dang-xuat", { form: { csrf: "forged" }, maxRedirects: 0 })).status()).toBe(403);
    await page.reload();
    await expect(page).toHaveURL(/\/can-bo\/ho-so$/);
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page).toHaveURL(/\/can-bo\/dang-nhap$/);
    await page.goto("/can-bo/ho-so");
    await expect(page).toHaveURL(/\/can-bo\/dang-nhap$/);
  });

  test("a leader sees the Decision 766 indicators and downloads them as CSV; a desk officer may not", async ({ page, browser }) => {
    await signIn(page, "lanhdao01", "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK");
    await page.goto("/can-bo/bao-cao");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Chỉ số chất lượng phục vụ (QĐ 766)");
    await expect(page.getByTestId("indicators")).toContainText("Công an");
    const chart = page.getByRole("img", { name: "Chỉ số theo tháng" });
    await expect(chart).toBeVisible();
    await expect(chart.locator('[data-series="onlineRate"]').first()).toHaveAttribute("data-value", /^\d+(\.\d)?$/);
    await expectAccessible(page);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Tải CSV" }).click();
    expect((await download).suggestedFilename()).toMatch(/^chi-so-766-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const workbook = page.waitForEvent("download");
    await page.getByRole("link", { name: "Tải XLSX" }).click();
    const xlsx = await workbook;
    expect(xlsx.suggestedFilename()).toMatch(/^chi-so-766-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(fs.readFileSync((await xlsx.path())!).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a ZIP
    const other = await browser.newPage();
    await signIn(other, "motcua02", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    const r = await other.goto("/can-bo/bao-cao");
    expect(r?.status()).toBe(403);
    await expect(other.getByRole("heading", { level: 1 })).toHaveText("Không có quyền truy cập");
    await other.close();
  });

  test("a desk officer refuses a dossier and gives a late one a new date; both letters download as PDFs", async ({ page }) => {
    await signIn(page, "motcua01", SECRET);
    const rows = page.getByTestId("queue").locator("tbody tr");
    await rows.filter({ hasText: "Mới đăng ký" }).first().getByRole("link").click();
    await page.getByLabel(/^Nội dung, lý do/).fill("Hồ sơ không thuộc thẩm quyền giải quyết của Công an xã");
    await page.getByLabel(/^Căn cứ pháp lý/).fill("Điều 22 Luật Cư trú số 68/2020/QH14");
    await page.getByRole("button", { name: "Từ chối tiếp nhận" }).click();
    await expect(page.getByTestId("status")).toHaveText("Không được tiếp nhận");
    await expect(page.getByTestId("letters")).toContainText("Phiếu từ chối tiếp nhận, giải quyết hồ sơ");
    await expectAccessible(page);
    const notice = page.waitForEvent("download");
    await page.getByTestId("letters").getByRole("link", { name: "Phiếu từ chối tiếp nhận, giải quyết hồ sơ" }).click();
    const noticeFile = await notice;
    expect(noticeFile.suggestedFilename()).toMatch(/^phieu-tu-choi-.+\.pdf$/);
    const noticeText = (await inspectPdf(fs.readFileSync((await noticeFile.path())!))).text.replace(/\s+/g, " ");
    expect(noticeText).toContain("PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ");
    expect(noticeText).toContain("Hồ sơ không thuộc thẩm quyền giải quyết của Công an xã");

    // the dossier received in the first test: a new date a few weeks out, on a working day
    const off = new Set<string>();
    const years = (JSON.parse(fs.readFileSync("db/data/holidays.json", "utf8")) as { years: Record<string, { all_days?: ({ date: string } | string)[] }> }).years;
    for (const y of Object.values(years)) for (const d of y.all_days ?? []) off.add(typeof d === "string" ? d : d.date);
    const day = new Date(Date.now() + 7 * 3600_000 + 45 * 86_400_000);
    while ([0, 6].includes(day.getUTCDay()) || off.has(day.toISOString().slice(0, 10))) day.setUTCDate(day.getUTCDate() + 1);
    const iso = day.toISOString().slice(0, 10);
    await page.getByRole("link", { name: /Quay lại danh sách/ }).click();
    await rows.filter({ hasText: "Được tiếp nhận" }).first().getByRole("link").click();
    await page.getByLabel("Ngày hẹn trả mới").fill("2020-01-01");
    await page.getByLabel("Lý do trễ hạn").fill("Chờ kết quả xác minh của Công an tỉnh");
    await page.getByRole("button", { name: "Hẹn lại và gửi phiếu xin lỗi" }).click();
    await expect(page.getByRole("alert")).toHaveText("Ngày hẹn mới phải sau ngày hôm nay.");
    await page.getByLabel("Ngày hẹn trả mới").fill(iso);
    await page.getByLabel("Lý do trễ hạn").fill("Chờ kết quả xác minh của Công an tỉnh");
    await page.getByRole("button", { name: "Hẹn lại và gửi phiếu xin lỗi" }).click();
    await expect(page.getByRole("status")).toHaveText("Đã hẹn lại ngày trả kết quả và gửi phiếu xin lỗi cho công dân.");
    const shown = iso.split("-").reverse().join("/");
    await expect(page.getByTestId("letters")).toContainText(`Hẹn lại ngày trả kết quả: ${shown}`);
    await expectAccessible(page);
    const apology = page.waitForEvent("download");
    await page.getByTestId("letters").getByRole("link", { name: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" }).click();
    const apologyText = (await inspectPdf(fs.readFileSync((await (await apology).path())!))).text.replace(/\s+/g, " ");
    expect(apologyText).toContain("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
    expect(apologyText).toContain(`hẹn trả kết quả vào ngày ${shown}`);
    await page.getByRole("link", { name: /Quay lại danh sách/ }).click();
    await expect(rows.filter({ hasText: "đã hẹn lại" })).toContainText(shown);
  });

  test("a specialist processes the dossier and completes it with a result document", async ({ page }) => {
    await signIn(page, "chuyenvien01", "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU");
    const rows = page.getByTestId("queue").locator("tbody tr");
    await rows.filter({ hasText: "Được tiếp nhận" }).first().getByRole("link").click();
    await page.getByRole("button", { name: "Chuyển xử lý" }).click();
    await expect(page.getByTestId("status")).toHaveText("Đang xử lý");
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    await page.getByLabel(/^Tệp kết quả/).setInputFiles({ name: "Giấy xác nhận thường trú.pdf", mimeType: "application/pdf", buffer: pdf });
    await expectAccessible(page);
    await page.getByRole("button", { name: "Hoàn thành xử lý" }).click();
    await expect(page.getByTestId("status")).toHaveText("Đã xử lý xong");
    await expect(page.getByTestId("documents")).toContainText("Giấy xác nhận thường trú.pdf (Kết quả giải quyết)");
    await expect(page.getByTestId("timeline")).toContainText("Đã xử lý xong");
  });

  test("an administrator edits a procedure and publishes a new form version without code", async ({ page }) => {
    await signIn(page, "quantri", "ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU");
    await page.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Danh mục thủ tục hành chính" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danh mục thủ tục hành chính");
    await expectAccessible(page);
    await page.getByRole("link", { name: "1.004194" }).click();
    await expectAccessible(page);
    await page.getByLabel("Tên tiếng Anh").fill("Temporary residence registration (reviewed)");
    await page.getByLabel("Phí, lệ phí (đồng)").fill("-5");
    await page.getByRole("button", { name: "Lưu thông tin thủ tục" }).click();
    await expect(page.getByRole("alert")).toHaveText("Phí phải là số nguyên từ 0 đến 100.000.000 đồng.");
    await page.getByLabel("Phí, lệ phí (đồng)").fill("");
    await page.getByRole("button", { name: "Lưu thông tin thủ tục" }).click();
    await expect(page.getByRole("status")).toHaveText("Đã lưu thông tin thủ tục.");
    await expect(page.getByLabel("Tên tiếng Anh")).toHaveValue("Temporary residence registration (reviewed)");

    const versions = page.getByTestId("form-versions").getByRole("listitem");
    const before = await versions.count();
    const definition = page.getByLabel("Định nghĩa biểu mẫu (JSON)");
    await definition.fill((await definition.inputValue()).replace('"Tờ khai đăng ký tạm trú"', '"Tờ khai đăng ký tạm trú (mẫu 2027)"'));
    await page.getByRole("button", { name: "Xuất bản phiên bản mới" }).click();
    await expect(page.getByRole("status")).toContainText(`Đã xuất bản phiên bản ${before + 1}`);
    await expect(versions).toHaveCount(before + 1);
    await definition.fill("{ broken");
    await page.getByRole("button", { name: "Xuất bản phiên bản mới" }).click();
    await expect(page.getByRole("alert")).toContainText("JSON không hợp lệ");
    await expectAccessible(page);
  });
});

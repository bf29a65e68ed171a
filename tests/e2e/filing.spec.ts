import { expect, test, type Page } from "@playwright/test";
import { E2E_MOCKS } from "../../playwright.config";
import { inspectPdf } from "../support/pdf";
import { expectAccessible } from "./axe";

// Test citizens of the e-ID and population mocks (integrations/population/fixtures/citizens.json).
const AN = { id: "022085004517", name: "Nguyễn Văn An", phone: "0983214765", email: "nguyenvanan@example.com" };

const pdf = (label: string) => ({
  name: `${label}.pdf`, mimeType: "application/pdf",
  buffer: Buffer.from(`%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n% ${label}\n`),
});

async function signInWithVneid(page: Page, idNumber: string) {
  await expect(page).toHaveURL(/\/dang-nhap\?/);
  await expectAccessible(page);
  await page.getByRole("button", { name: /VNeID/ }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:4120\/interaction\//);
  await expectAccessible(page);
  await page.getByLabel(/Số định danh cá nhân/).fill(idNumber);
  await page.getByLabel("Mật khẩu").fill("123456");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
}

async function messagesTo(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  expect(res.ok).toBe(true);
  return res.json();
}

test.describe("citizen filing", () => {
  test.setTimeout(120_000);
  test("permanent residence, with fee: e-ID login, prefill, form, upload, pay, submit, receipt with QR, SMS and email", async ({ page, request }) => {
    await page.goto("/thu-tuc/1.004222");
    await page.getByRole("link", { name: "Nộp hồ sơ trực tuyến" }).click();
    await signInWithVneid(page, AN.id);
    await expect(page).toHaveURL(/\/nop\?thu-tuc=1\.004222$/);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Bắt đầu hồ sơ mới" }).click();

    // step 1: prefilled from the population database
    await expect(page).toHaveURL(/\/nop\/[0-9a-f-]{36}\/nguoi-nop$/);
    await expect(page.getByLabel(/Họ, chữ đệm và tên/)).toHaveValue(AN.name);
    await expect(page.getByLabel(/Số định danh cá nhân/)).toHaveValue(AN.id);
    await expect(page.getByLabel(/Số điện thoại di động/)).toHaveValue(AN.phone);
    await expectAccessible(page);
    // a bad phone number is caught (in the browser, with the server's rules) and announced
    await page.getByLabel(/Số điện thoại di động/).fill("0123");
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
    await expect(page.getByRole("alert")).toContainText("Số điện thoại di động gồm 10 chữ số");
    await expect(page.getByRole("alert")).toBeFocused();
    await expectAccessible(page);
    await page.getByLabel(/Số điện thoại di động/).fill(AN.phone);
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

    // step 2: where to register
    await expect(page).toHaveURL(/\/noi-cu-tru$/);
    await page.getByLabel("Xã, phường đăng ký thường trú").selectOption({ label: "Phường Hạ Long" });
    await page.getByLabel("Địa chỉ chỗ ở mới").fill("Số 12, đường Trần Hưng Đạo");
    await page.getByLabel("Căn cứ đăng ký").selectOption("so-huu");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

    // documents
    await expect(page).toHaveURL(/\/tai-lieu$/);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
    await expect(page.getByRole("alert")).toContainText("Còn thiếu 2 giấy tờ bắt buộc");
    const ct01 = page.locator("section", { has: page.getByRole("heading", { name: /Mẫu CT01/ }) });
    await ct01.getByLabel("Chọn tệp").setInputFiles(pdf("to-khai-ct01"));
    await ct01.getByRole("button", { name: /Tải lên/ }).click();
    await expect(page.getByRole("status")).toContainText("Đã tải lên 1 tệp");
    const owner = page.locator("section", { has: page.getByRole("heading", { name: /sở hữu chỗ ở/ }) });
    await owner.getByLabel("Chọn tệp").setInputFiles(pdf("so-do"));
    await owner.getByRole("button", { name: /Tải lên/ }).click();
    await expect(owner.getByText(/^so-do\.pdf \(/)).toBeVisible();
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

    // review, then pay 10,000 VND online (the counter fee is 20,000)
    await expect(page).toHaveURL(/\/xem-lai$/);
    await expect(page.getByTestId("fee")).toContainText("10.000");
    await expectAccessible(page);
    await page.getByRole("button", { name: /Thanh toán/ }).click();
    await expect(page).toHaveURL(/127\.0\.0\.1:4140\/thanh-toan\//);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Thanh toán" }).click();
    await expect(page).toHaveURL(/\/xem-lai\?thanh-toan=ok$/);
    await expect(page.getByTestId("fee")).toContainText("đã thanh toán");
    await page.getByLabel(/Tôi cam đoan/).check();
    await page.getByRole("button", { name: "Nộp hồ sơ" }).click();

    // the dossier, its receipt and the notifications
    await expect(page).toHaveURL(/\/ho-so\/000\.\d{2}\.31\.H49-\d{6}-\d{4}\?moi=1$/);
    const code = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
    await expect(page.getByTestId("status")).toHaveText("Mới đăng ký");
    await expect(page.getByTestId("due")).not.toHaveText("—");
    await expectAccessible(page);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: /Tải giấy tiếp nhận/ }).click();
    const file = await (await download).path();
    const receipt = await inspectPdf(new Uint8Array(await (await import("node:fs/promises")).readFile(file)));
    expect(receipt.qrCodes).toEqual([`http://127.0.0.1:${new URL(page.url()).port}/tra-cuu?ma=${encodeURIComponent(code)}`]);
    expect(receipt.text).toContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
    expect(receipt.text).toContain(code);

    await expect.poll(async () => (await messagesTo(`${E2E_MOCKS.smsApi}/api/sms?to=${AN.phone}`, { headers: { Authorization: `Bearer ${E2E_MOCKS.smsToken}` } })).messages?.some((m: { text: string }) => m.text.includes(code)), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => (await messagesTo(`${E2E_MOCKS.mailApi}/messages?to=${AN.email}`)).messages?.some((m: { subject: string }) => m.subject.includes(code)), { timeout: 15_000 }).toBe(true);

    // the public status page the QR code points to
    await page.goto(`/tra-cuu?ma=${encodeURIComponent(code)}`);
    await page.getByLabel("4 số cuối điện thoại").fill(AN.phone.slice(-4));
    await page.getByRole("button", { name: "Tra cứu" }).click();
    await expect(page.getByTestId("status")).toHaveText("Mới đăng ký");
    await expectAccessible(page);
    void request;
  });
});

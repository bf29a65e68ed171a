// Counter filing at the one-stop desk: a desk officer of a people's committee signs in, files a
// certified-copy request for Hoàng Thị Lan standing at the desk (card details checked against the
// population database, her signed consent ticked), uploads the scanned original, takes the fee in
// cash, receives the dossier, prints and downloads the receipt slip; the dossier is in the queue
// as received and direct, on the national portal mock with KenhThucHien 1, and in her own account
// when she signs in with VNeID. A specialist gets 403. Every new page passes axe.
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { NationalPortalHttp } from "../../integrations/national-portal/http";
import { E2E_MOCKS } from "../../playwright.config";
import { inspectPdf } from "../support/pdf";
import { expectAccessible } from "./axe";
import { freshTotp } from "./totp";

const LAN = { id: "022301742958", name: "Hoàng Thị Lan", birth: "18/02/2001" };
const DESK = { username: "motcua02", secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", name: "Lê Thu Hà" }; // Phường Cao Xanh's people's committee
const SPECIALIST = { username: "chuyenvien01", secret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU" };

const pdf = (label: string) => ({
  name: `${label}.pdf`, mimeType: "application/pdf",
  buffer: Buffer.from(`%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n% ${label}\n`),
});

async function signIn(page: Page, who: { username: string; secret: string }) {
  await page.goto("/can-bo/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(who.username);
  await page.getByLabel("Mật khẩu").fill("Demo@2026-QuangNinh");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByLabel("Mã xác thực").fill(await freshTotp(who.username, who.secret));
  await page.getByRole("button", { name: "Xác nhận" }).click();
  await expect(page).toHaveURL(/\/can-bo\/ho-so$/);
}

test.describe("counter filing", () => {
  test.setTimeout(240_000);

  test("a desk officer files, takes cash, receives and prints; the queue, the national portal and the citizen see it", async ({ page, browser }) => {
    // every counter page is no-store
    const cached: string[] = [];
    page.on("response", (r) => {
      const url = new URL(r.url());
      if (url.port !== (process.env.E2E_PORT ?? "3210") || !/^\/can-bo\/(nop|bien-nhan)/.test(url.pathname)) return;
      if (["document", "fetch"].includes(r.request().resourceType()) && !/no-store/.test(r.headers()["cache-control"] ?? "")) cached.push(url.pathname);
    });
    await signIn(page, DESK);
    await page.getByRole("link", { name: "Nộp hồ sơ tại quầy" }).click();
    await expect(page).toHaveURL(/\/can-bo\/nop$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nộp hồ sơ tại quầy");
    await expectAccessible(page);

    // a card that does not match the population record is refused
    await page.getByLabel("Thủ tục").selectOption("2.000815");
    await page.getByLabel("Số định danh cá nhân (12 chữ số)").fill(LAN.id);
    await page.getByLabel("Họ, chữ đệm và tên").fill("Hoàng Thị Khác");
    await page.getByLabel("Ngày sinh (dd/mm/yyyy)").fill(LAN.birth);
    await page.getByLabel(/Công dân đã ký xác nhận đồng ý/).check();
    await page.getByRole("button", { name: "Kiểm tra và bắt đầu khai" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("Thủ tục").selectOption("2.000815");
    await page.getByLabel("Số định danh cá nhân (12 chữ số)").fill(LAN.id);
    await page.getByLabel("Họ, chữ đệm và tên").fill(LAN.name);
    await page.getByLabel("Ngày sinh (dd/mm/yyyy)").fill(LAN.birth);
    await page.getByLabel(/Công dân đã ký xác nhận đồng ý/).check();
    await page.getByRole("button", { name: "Kiểm tra và bắt đầu khai" }).click();

    // the citizens' own form, prefilled from the population database
    await expect(page).toHaveURL(/\/can-bo\/nop\/[0-9a-f-]{36}\/nguoi-nop$/);
    await expect(page.getByText(`Nộp tại quầy cho công dân ${LAN.name}`)).toBeVisible();
    await expect(page.getByLabel(/Họ, chữ đệm và tên/)).toHaveValue(LAN.name);
    await expect(page.getByLabel(/Số định danh cá nhân/)).toHaveValue(LAN.id);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
    await expect(page).toHaveURL(/\/giay-to$/);
    await page.getByLabel("Tên giấy tờ, văn bản").fill("Giấy khai sinh");
    await page.getByLabel("Số trang của bản chính").fill("3");
    await page.getByLabel("Số bản sao cần chứng thực").fill("2");
    await page.getByLabel(/Chứng thực tại Ủy ban nhân dân/).selectOption({ label: "Phường Cao Xanh" });
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

    // the scanned original, through the same documents step
    await expect(page).toHaveURL(/\/tai-lieu$/);
    await expectAccessible(page);
    const slot = page.locator("section", { has: page.getByRole("heading", { name: /Ảnh chụp bản chính/ }) });
    await slot.getByLabel("Chọn tệp").setInputFiles(pdf("ban-chinh"));
    await slot.getByRole("button", { name: /Tải lên/ }).click();
    await expect(page.getByRole("status")).toContainText("Đã tải lên 1 tệp");
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

    // review: no PayGov at the counter; cash and the citizen's signature
    await expect(page).toHaveURL(/\/xem-lai$/);
    await expect(page.getByTestId("fee")).toContainText("10.000");
    await expect(page.getByRole("button", { name: /Thanh toán/ })).toHaveCount(0);
    await expectAccessible(page);
    await page.getByLabel("Số biên lai thu tiền mặt").fill("BL-2026/0001");
    await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).click();
    await expect(page.getByText("Công dân cần ký tờ khai trước khi tiếp nhận.")).toBeVisible();
    await page.getByLabel("Số biên lai thu tiền mặt").fill("BL-2026/0001");
    await page.getByLabel(/Công dân đã đọc lại, ký tờ khai/).check();
    await page.getByRole("button", { name: "Tiếp nhận hồ sơ" }).click();

    // received at once: the receipt slip to print, and its PDF
    await expect(page).toHaveURL(/\/can-bo\/bien-nhan\/000\.02\.30\.H49-\d{6}-\d{4}\?moi=1$/);
    const code = (await page.getByTestId("receipt-code").innerText()).trim();
    await expect(page.getByRole("status")).toHaveText(`Đã tiếp nhận hồ sơ ${code}.`);
    await expect(page.getByTestId("receipt")).toContainText(LAN.name);
    await expect(page.getByTestId("receipt")).toContainText("Trực tiếp tại Bộ phận một cửa");
    await expect(page.getByTestId("receipt")).toContainText(DESK.name);
    await expectAccessible(page);
    await page.emulateMedia({ media: "print" });
    await expect(page.getByRole("button", { name: "In giấy tiếp nhận" })).toBeHidden();
    await expect(page.getByTestId("receipt")).toBeVisible();
    await page.emulateMedia({ media: "screen" });
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Tải giấy tiếp nhận (PDF)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`bien-nhan-${code}.pdf`);
    const bytes = fs.readFileSync((await file.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const text = (await inspectPdf(bytes)).text.replace(/\s+/g, " ");
    expect(text).toContain(code);
    expect(text).toContain("Trực tiếp");

    // the desk queue: received, direct
    await page.goto("/can-bo/ho-so");
    const row = page.getByTestId("queue").getByRole("row").filter({ has: page.getByRole("link", { name: code }) });
    await expect(row).toContainText("Được tiếp nhận");
    await expect(row).toContainText("Trực tiếp");
    await expectAccessible(page);
    expect(cached).toEqual([]);

    // the national portal has it, filed directly, received, with both progress steps
    const portal = new NationalPortalHttp({ baseUrl: E2E_MOCKS.national, username: "h49", password: "h49-secret", madonvi: "000.00.00.H49", timeoutMs: 5000 });
    let national: { KenhThucHien?: number; TrangThaiHoSo?: number; TienDoXuLy?: { TrangThai: number }[] } = {};
    await expect.poll(async () => {
      const o = await portal.call("TraCuuHoSo", { mahoso: code });
      national = o.kind === "ok" ? (o.answer as { result: typeof national }).result : {};
      return national.TienDoXuLy?.length ?? 0;
    }, { timeout: 60_000 }).toBe(2);
    expect(national).toMatchObject({ KenhThucHien: 1, TrangThaiHoSo: 2 });
    expect(national.TienDoXuLy!.map((p) => p.TrangThai)).toEqual([1, 2]);

    // she signs in with VNeID at home and finds it
    const home = await browser.newContext({ locale: "en-US" });
    const citizen = await home.newPage();
    await citizen.goto("/ho-so");
    await citizen.getByRole("button", { name: /VNeID/ }).click();
    await expect(citizen).toHaveURL(new RegExp(`^${E2E_MOCKS.vneid}/interaction/`));
    await citizen.getByLabel(/Số định danh cá nhân/).fill(LAN.id);
    await citizen.getByLabel("Mật khẩu").fill("123456");
    await citizen.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(citizen).toHaveURL(/\/ho-so$/);
    const mine = citizen.getByRole("row").filter({ has: citizen.getByRole("link", { name: code }) });
    await expect(mine.getByTestId("assisted")).toContainText("Trực tiếp tại Bộ phận một cửa");
    await home.close();

    // a specialist may not file at the counter
    const other = await browser.newPage();
    await signIn(other, SPECIALIST);
    await expect(other.getByRole("link", { name: "Nộp hồ sơ tại quầy" })).toHaveCount(0);
    expect((await other.goto("/can-bo/nop"))?.status()).toBe(403);
    await other.close();
  });
});

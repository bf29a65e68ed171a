import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./axe";

async function searchFromHome(page: Page, q: string, label: RegExp, jsDisabled = false) {
  await page.goto("/");
  await expectAccessible(page, { jsDisabled });
  await page.getByRole("searchbox", { name: label }).fill(q);
  await page.getByRole("searchbox", { name: label }).press("Enter");
  await expect(page).toHaveURL(/\/thu-tuc\?q=/);
}

test.describe("catalogue in Vietnamese (default, even for an English browser)", () => {
  test("search without diacritics, then open the procedure", async ({ page }) => {
    await searchFromHome(page, "dang ky thuong tru", /Tìm thủ tục/);
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    const first = page.getByTestId("results").getByRole("listitem").first();
    await expect(first.getByRole("link")).toHaveText("Đăng ký thường trú");
    await expectAccessible(page);
    await first.getByRole("link").click();
    await expect(page).toHaveURL(/\/thu-tuc\/1\.004222$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng ký thường trú");
    await expect(page.getByTestId("procedure-code")).toContainText("1.004222");
    await expect(page.getByRole("cell", { name: "20.000 ₫" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "10.000 ₫" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Thành phần hồ sơ" })).toBeVisible();
    await expectAccessible(page);
  });

  test("filters narrow the list and are announced as a count", async ({ page }) => {
    await page.goto("/thu-tuc");
    await page.getByLabel("Phí, lệ phí").selectOption("free");
    await page.getByRole("button", { name: "Áp dụng" }).click();
    await expect(page).toHaveURL(/fee=free/);
    await expect(page.getByRole("heading", { level: 2, name: /Tìm thấy \d+ thủ tục/ })).toBeVisible();
    await expect(page.getByTestId("results")).toContainText("Miễn phí");
    await expect(page.getByTestId("results")).not.toContainText("20.000 ₫");
    await expectAccessible(page);
  });

  test("commune directory and the 404 page", async ({ page }) => {
    await page.goto("/don-vi");
    await expect(page.getByTestId("communes").locator(":scope > li")).toHaveCount(54);
    await expectAccessible(page);
    await page.getByLabel("Lọc theo tên").fill("co to");
    await page.getByLabel("Lọc theo tên").press("Enter");
    await expect(page.getByTestId("communes").locator(":scope > li")).toHaveCount(1);
    await expect(page.getByRole("heading", { level: 2, name: "Đặc khu Cô Tô" })).toBeVisible();
    const response = await page.goto("/thu-tuc/9.999999");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    await expectAccessible(page);
  });
});

test.describe("catalogue in English", () => {
  test("the language switch translates the portal and the choice persists", async ({ page }) => {
    await page.goto("/thu-tuc");
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administrative procedures");
    await expectAccessible(page);
    await page.getByRole("searchbox", { name: "Search procedures" }).fill("thuong tru");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const first = page.getByTestId("results").getByRole("listitem").first();
    await expect(first.getByRole("link")).toHaveText("Permanent residence registration");
    await expectAccessible(page);
    await first.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permanent residence registration");
    await expect(page.getByRole("cell", { name: "VND 20,000" })).toBeVisible();
    await expectAccessible(page);
    // a fresh navigation without ?lng= stays English (cookie)
    await page.goto("/don-vi");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Communes, wards and special zones");
    await expectAccessible(page);
    // and switching back works
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same journey works with plain HTML forms and links", async ({ page }) => {
    await searchFromHome(page, "Đăng ký thường trú", /Tìm thủ tục/, true);
    const first = page.getByTestId("results").getByRole("listitem").first();
    await expect(first.getByRole("link")).toHaveText("Đăng ký thường trú");
    await expectAccessible(page, { jsDisabled: true });
    await page.getByLabel("Cấp thực hiện").selectOption("commune");
    await page.getByRole("button", { name: "Áp dụng" }).click();
    await expect(page).toHaveURL(/level=commune/);
    await first.getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng ký thường trú");
    await expectAccessible(page, { jsDisabled: true });
    await page.getByTestId("language-switch").click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permanent residence registration");
    await expectAccessible(page, { jsDisabled: true });
  });
});

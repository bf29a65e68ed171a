import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";
import { freshTotp } from "./totp";

test.describe("operator sync page", () => {
  test("an administrator signs in, sees the queue and looks up a ledger, accessibly", async ({ page }) => {
    // nobody signed in: the staff sign-in, which comes back to the page afterwards
    await page.goto("/van-hanh/dong-bo");
    await expect(page).toHaveURL(/\/can-bo\/dang-nhap\?returnTo=%2Fvan-hanh%2Fdong-bo$/);
    await page.getByLabel("Tên đăng nhập").fill("quantri");
    await page.getByLabel("Mật khẩu").fill("Demo@2026-QuangNinh");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.getByLabel("Mã xác thực").fill(await freshTotp("quantri", "ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU"));
    await page.getByRole("button", { name: "Xác nhận" }).click();
    await expect(page).toHaveURL(/\/van-hanh\/dong-bo$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đồng bộ với Cổng DVC quốc gia");
    await expect(page.getByTestId("queue")).toContainText("Đang chờ đồng bộ");
    await expectAccessible(page);
    await page.getByLabel("Mã hồ sơ").fill("000.01.31.H49-261128-9999");
    await page.getByRole("button", { name: "Xem" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    await expectAccessible(page);
  });
});

import { expect, test } from "@playwright/test";
import { expectAccessible } from "./axe";

test.describe("operator sync page", () => {
  test.use({ httpCredentials: { username: "operator", password: "operator-test-password" } });

  test("shows the queue and looks up a ledger, accessibly", async ({ page }) => {
    await page.goto("/van-hanh/dong-bo");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đồng bộ với Cổng DVC quốc gia");
    await expect(page.getByTestId("queue")).toContainText("Đang chờ đồng bộ");
    await expectAccessible(page);
    await page.getByLabel("Mã hồ sơ").fill("000.01.31.H49-261128-9999");
    await page.getByRole("button", { name: "Xem" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
    await expectAccessible(page);
  });
});

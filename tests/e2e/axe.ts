import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * WCAG 2.2 A/AA scan of the page: zero violations. axe runs inside the page, so for a page
 * opened with JavaScript disabled the same URL is scanned in a twin context whose app scripts
 * are blocked — the DOM a no-JS visitor gets.
 */
export async function expectAccessible(page: Page, { jsDisabled = false } = {}) {
  let target = page;
  let cleanup = async () => {};
  if (jsDisabled) {
    const browser = page.context().browser()!;
    const twin = await browser.newContext({ javaScriptEnabled: true, locale: "en-US", baseURL: undefined });
    await twin.addCookies(await page.context().cookies());
    await twin.route("**/build/**/*.js", (route) => route.abort());
    target = await twin.newPage();
    await target.goto(page.url());
    cleanup = () => twin.close();
  }
  try {
    const results = await new AxeBuilder({ page: target }).withTags(TAGS).analyze();
    const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    expect(summary, `axe violations on ${page.url()}`).toEqual([]);
  } finally {
    await cleanup();
  }
}

// Kiosk mode on a 1080p portrait touchscreen: a commune police officer helps Nguyễn Văn An file a
// permanent residence registration — chip card QR (a PNG fed to the camera input) → consent code
// from his phone (SMS mock) → the filing steps, documents and fee (PayGov mock) → the receipt slip
// and its print view → end of session. Then nothing of him is reachable on the kiosk: not the
// page, the back button, a reload, any browser storage or cookie. He later signs in with VNeID on
// another device and finds the dossier, marked as filed with help. Every kiosk page passes axe
// and has touch targets of at least 44×44 CSS px.
import { expect, test, type Browser, type Page } from "@playwright/test";
import QRCode from "qrcode";
import { E2E_MOCKS } from "../../playwright.config";
import { freshTotp } from "./totp";
import { expectAccessible } from "./axe";

const KIOSK_VIEWPORT = { width: 1080, height: 1920 };
const AN = { id: "022085004517", name: "Nguyễn Văn An", birth: "14031985", phone: "0983214765", email: "nguyenvanan@example.com" };
/** What must never be reachable on the kiosk once the session has ended. */
const SECRETS = [AN.name, AN.id, AN.phone, AN.email, "Lê Thánh Tông"];
const CARD_QR = `${AN.id}|022085004|${AN.name}|${AN.birth}|Nam|Số 12, phố Lê Thánh Tông, Phường Hồng Gai, Quảng Ninh|01012021`;
const OFFICERS = {
  congan01: "KNSWC3TFOQYTEMZUKNSWC3TFOQYTEMZU",
  congan02: "IFBEGRCFIZDUQSKKIFBEGRCFIZDUQSKK",
};

const pdf = (label: string) => ({
  name: `${label}.pdf`, mimeType: "application/pdf",
  buffer: Buffer.from(`%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n% ${label}\n`),
});

/** Every visible link, button and field is at least 44×44 CSS px. */
async function expectTouchTargets(page: Page) {
  const { small, checked } = await page.evaluate(() => {
    const out: string[] = [];
    let n = 0;
    for (const el of document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, label.button, [role=button]")) {
      if (el.closest(".visually-hidden, .visually-hidden-file") || el.matches(".visually-hidden-file")) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not rendered
      n++;
      if (r.width < 44 || r.height < 44) out.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? el.getAttribute("name") ?? "").trim().slice(0, 40)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return { small: out, checked: n };
  });
  expect(checked, `touch targets found on ${page.url()}`).toBeGreaterThan(0);
  expect(small, `touch targets under 44×44 on ${page.url()}`).toEqual([]);
}

async function checkPage(page: Page) {
  await expectAccessible(page);
  await expectTouchTargets(page);
}

async function enrolKiosk(page: Page, code: string) {
  await page.goto("/quay");
  await expect(page).toHaveURL(/\/quay\/thiet-bi$/);
  await checkPage(page);
  await page.getByLabel("Mã đăng ký thiết bị").fill(code);
  await page.getByRole("button", { name: "Đăng ký thiết bị" }).click();
  await expect(page.getByRole("status")).toContainText("Thiết bị đã được đăng ký");
}

async function officerSignIn(page: Page, username: keyof typeof OFFICERS) {
  await page.goto("/can-bo/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill("Demo@2026-QuangNinh");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByLabel("Mã xác thực").fill(await freshTotp(username, OFFICERS[username]));
  await page.getByRole("button", { name: "Xác nhận" }).click();
  await expect(page).toHaveURL(/\/quay$/);
}

async function smsTo(phone: string): Promise<{ text: string }[]> {
  const res = await fetch(`${E2E_MOCKS.smsApi}/api/sms?to=${phone}`, { headers: { Authorization: `Bearer ${E2E_MOCKS.smsToken}` } });
  expect(res.ok).toBe(true);
  return (await res.json()).messages ?? [];
}

/** The latest consent code sent to the phone (polling: the SMS mock receives it over HTTP). */
async function consentCode(phone: string, after: number): Promise<string> {
  let code = "";
  await expect.poll(async () => {
    const consent = (await smsTo(phone)).filter((m) => m.text.includes("Ma xac nhan"));
    code = consent.length > after ? /\b(\d{6})\b/.exec(consent.at(-1)!.text)?.[1] ?? "" : "";
    return code;
  }, { timeout: 15_000 }).toMatch(/^\d{6}$/);
  return code;
}

async function expectNothingPersonal(page: Page, where: string) {
  const text = await page.locator("body").innerText();
  for (const s of SECRETS) expect(text, `${where} shows ${s}`).not.toContain(s);
  for (const s of SECRETS) expect(page.url(), `${where} URL`).not.toContain(encodeURIComponent(s));
}

async function signInWithVneid(browser: Browser) {
  const context = await browser.newContext({ locale: "en-US" });
  const page = await context.newPage();
  await page.goto("/ho-so");
  await expect(page).toHaveURL(/\/dang-nhap\?/);
  await page.getByRole("button", { name: /VNeID/ }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_MOCKS.vneid}/interaction/`));
  await page.getByLabel(/Số định danh cá nhân/).fill(AN.id);
  await page.getByLabel("Mật khẩu").fill("123456");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/ho-so$/);
  return { context, page };
}

test.describe("kiosk mode", () => {
  test.use({ viewport: KIOSK_VIEWPORT, hasTouch: true });
  test.setTimeout(240_000);

  test("scan → consent code → residence registration → print → end session; nothing remains; the citizen finds the dossier at home", async ({ page, browser }) => {
    // every kiosk page and data request is no-store (no HTTP cache, no back-forward cache)
    const cached: string[] = [];
    let clearSiteData = "";
    page.on("response", (r) => {
      const url = new URL(r.url());
      if (url.port !== (process.env.E2E_PORT ?? "3210") || !url.pathname.startsWith("/quay")) return;
      if (["document", "fetch"].includes(r.request().resourceType()) && !/no-store/.test(r.headers()["cache-control"] ?? "")) cached.push(url.pathname);
    });
    page.on("requestfinished", async (req) => {
      if (req.method() === "POST" && new URL(req.url()).pathname === "/quay/ket-thuc") clearSiteData = (await (await req.response())?.allHeaders())?.["clear-site-data"] ?? "missing";
    });
    await enrolKiosk(page, "QNKIO-SK001");
    await officerSignIn(page, "congan01");
    await checkPage(page);
    await page.getByRole("button", { name: "Bắt đầu phiên mới" }).click();

    // identify: the card's QR code, photographed (the PNG goes to the camera input, jsQR decodes it)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xác định công dân");
    await checkPage(page);
    const png = await QRCode.toBuffer(CARD_QR, { type: "png", margin: 4, width: 600, errorCorrectionLevel: "M" });
    await page.locator("#qr-photo").setInputFiles({ name: "cccd.png", mimeType: "image/png", buffer: png });
    await expect(page.getByLabel("Nội dung mã QR")).toHaveValue(CARD_QR);
    await expect(page.getByRole("status")).toHaveText("Đã đọc mã QR trên thẻ.");
    const sentBefore = (await smsTo(AN.phone)).filter((m) => m.text.includes("Ma xac nhan")).length;
    await page.getByRole("button", { name: "Xác định bằng mã QR" }).click();

    // consent: nothing personal on screen yet, the phone only masked
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Công dân đồng ý");
    await expect(page.getByText("•••••••765")).toBeVisible();
    await expectNothingPersonal(page, "consent page");
    await checkPage(page);
    const code = await consentCode(AN.phone, sentBefore);
    // a wrong code is refused with the attempts left
    await page.getByLabel("Mã xác nhận").fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Xác nhận đồng ý" }).click();
    await expect(page.getByRole("alert")).toContainText("Còn 4 lần thử");
    await page.getByLabel("Mã xác nhận").fill(code);
    await page.getByRole("button", { name: "Xác nhận đồng ý" }).click();

    // consented: the citizen's name, the procedures
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Công dân: ${AN.name}`);
    await checkPage(page);
    await page.getByRole("button", { name: /Đăng ký thường trú.*1\.004222/ }).click();

    // the citizen's own filing form, prefilled from the population database
    await expect(page).toHaveURL(/\/quay\/nop\/nguoi-nop$/);
    await expect(page.getByLabel(/Họ, chữ đệm và tên/)).toHaveValue(AN.name);
    await expect(page.getByLabel(/Số định danh cá nhân/)).toHaveValue(AN.id);
    await checkPage(page);
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
    await expect(page).toHaveURL(/\/quay\/nop\/noi-cu-tru$/);
    await page.getByLabel("Xã, phường đăng ký thường trú").selectOption({ label: "Phường Hạ Long" });
    await page.getByLabel("Địa chỉ chỗ ở mới").fill("Số 12, đường Trần Hưng Đạo");
    await page.getByLabel("Căn cứ đăng ký").selectOption("so-huu");
    await checkPage(page);
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

    await expect(page).toHaveURL(/\/quay\/nop\/tai-lieu$/);
    await checkPage(page);
    for (const [heading, file] of [[/Mẫu CT01/, "to-khai-ct01"], [/sở hữu chỗ ở/, "so-do"]] as const) {
      const slot = page.locator("section", { has: page.getByRole("heading", { name: heading }) });
      await slot.getByLabel("Chọn tệp").setInputFiles(pdf(file));
      await slot.getByRole("button", { name: /Tải lên/ }).click();
      await expect(page.getByRole("status")).toContainText("Đã tải lên 1 tệp");
    }
    await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

    // review, the online fee through PayGov, submit
    await expect(page).toHaveURL(/\/quay\/nop\/xem-lai$/);
    await checkPage(page);
    await expect(page.getByTestId("fee")).toContainText("10.000");
    await page.getByRole("button", { name: /Thanh toán/ }).click();
    await expect(page).toHaveURL(new RegExp(`^${E2E_MOCKS.paygov}/thanh-toan/`));
    await page.getByRole("button", { name: "Thanh toán" }).click();
    await expect(page).toHaveURL(/\/quay\/nop\/xem-lai\?thanh-toan=ok$/);
    await expect(page.getByTestId("fee")).toContainText("đã thanh toán");
    await page.getByLabel(/Tôi cam đoan/).check();
    await page.getByRole("button", { name: "Nộp hồ sơ", exact: true }).click();

    // the receipt slip, on screen and in print (A4, then the 80 mm receipt printer)
    await expect(page).toHaveURL(/\/quay\/bien-nhan$/);
    const dossierCode = (await page.getByTestId("receipt-code").innerText()).trim();
    expect(dossierCode).toMatch(/^000\.\d{2}\.31\.H49-\d{6}-\d{4}$/);
    await expect(page.getByTestId("receipt")).toContainText(AN.name);
    await expect(page.getByTestId("receipt")).toContainText("Đỗ Văn Kiên");
    await checkPage(page);
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".kiosk-bar")).toBeHidden();
    await expect(page.getByRole("button", { name: "In giấy tiếp nhận" })).toBeHidden();
    await expect(page.getByTestId("receipt")).toBeVisible();
    await page.emulateMedia({ media: "screen" });
    await page.getByRole("link", { name: "Giấy in hóa đơn 80 mm" }).click();
    await expect(page.getByTestId("receipt")).toHaveClass(/paper-80/);
    await page.emulateMedia({ media: "print" });
    const width = await page.getByTestId("receipt").evaluate((el) => el.getBoundingClientRect().width);
    expect(width).toBeLessThanOrEqual(Math.ceil((80 / 25.4) * 96)); // fits an 80 mm roll
    expect((await page.pdf({ preferCSSPageSize: true })).subarray(0, 5).toString()).toBe("%PDF-");
    await page.emulateMedia({ media: "screen" });

    // the citizen is told, as with their own filing
    await expect.poll(async () => (await smsTo(AN.phone)).some((m) => m.text.includes(dossierCode)), { timeout: 15_000 }).toBe(true);

    // end of session
    await page.getByRole("link", { name: "Kết thúc phiên" }).click();
    await expect(page).toHaveURL(/\/quay\/ket-thuc$/);
    await checkPage(page);
    await page.getByRole("button", { name: "Kết thúc phiên" }).click();
    await expect(page).toHaveURL(/\/quay\?da-ket-thuc=1$/);
    await expect(page.getByRole("status")).toHaveText("Đã kết thúc phiên. Ki-ốt không còn lưu thông tin của công dân.");
    await checkPage(page);
    await expectNothingPersonal(page, "after the end");
    expect(clearSiteData).toBe('"cache", "storage"');
    expect(cached).toEqual([]);

    // nothing in any browser storage, no citizen cookie
    const stored = await page.evaluate(async () => ({
      local: Object.fromEntries(Object.entries(localStorage)),
      session: Object.fromEntries(Object.entries(sessionStorage)),
      idb: (await indexedDB.databases()).map((d) => d.name),
      caches: await caches.keys(),
    }));
    expect(stored.local).toEqual({});
    expect(stored.idb).toEqual([]);
    expect(stored.caches).toEqual([]);
    for (const s of [...SECRETS, dossierCode]) expect(JSON.stringify(stored.session)).not.toContain(s);
    const cookies = await page.context().cookies();
    const names = cookies.map((c) => c.name);
    // the device and the officer stay signed in for the next citizen; no citizen-scoped cookie is left
    expect(names).toEqual(expect.arrayContaining(["__Host-qn_kiosk_device", "__Host-qn_staff"]));
    expect(names.filter((n) => /qn_(kiosk|citizen)$/.test(n))).toEqual([]);
    for (const c of cookies) for (const s of SECRETS) expect(decodeURIComponent(c.value)).not.toContain(s);

    // the back button and reloads show nothing of him
    for (let i = 0; i < 6; i++) {
      const before = page.url();
      await page.goBack().catch(() => null);
      await page.waitForLoadState();
      await expectNothingPersonal(page, `back ×${i + 1} (${page.url()})`);
      await page.reload();
      await expectNothingPersonal(page, `reload after back ×${i + 1}`);
      if (page.url() === before) break;
    }

    // the officer's statistics count the dossier (and name no citizen)
    await page.goto("/quay/bao-cao?pham-vi=cong-an-xa");
    await expect(page.getByTestId("report-total")).toContainText("Hôm nay 1");
    await expect(page.getByTestId("by-officer")).toContainText("Đỗ Văn Kiên");
    await expectNothingPersonal(page, "report");
    await checkPage(page);

    // must-show 2: the citizen signs in on his own device and finds the dossier, filed with help
    const home = await signInWithVneid(browser);
    const row = home.page.getByRole("row").filter({ has: home.page.getByRole("link", { name: dossierCode }) });
    await expect(row).toContainText("Nộp với sự hỗ trợ của công an xã");
    await row.getByRole("link", { name: dossierCode }).click();
    await expect(home.page.getByTestId("assisted")).toHaveText("Nộp với sự hỗ trợ của công an xã");
    await expect(home.page.getByTestId("status")).toHaveText("Mới đăng ký");
    await home.context.close();
  });

  test("consent with VNeID: the citizen approves on their own phone, the kiosk goes on by itself", async ({ page, browser }) => {
    // an administrator registers one more kiosk for commune 01's police
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await admin.goto("/can-bo/dang-nhap");
    await admin.getByLabel("Tên đăng nhập").fill("quantri");
    await admin.getByLabel("Mật khẩu").fill("Demo@2026-QuangNinh");
    await admin.getByRole("button", { name: "Đăng nhập" }).click();
    await admin.getByLabel("Mã xác thực").fill(await freshTotp("quantri", "ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU"));
    await admin.getByRole("button", { name: "Xác nhận" }).click();
    await expect(admin).not.toHaveURL(/dang-nhap|xac-thuc/);
    await admin.goto("/can-bo/thiet-bi");
    await admin.getByLabel("Tên thiết bị").fill("Ki-ốt VNeID");
    await admin.getByLabel("Công an xã quản lý").selectOption({ index: 0 });
    await admin.getByRole("button", { name: "Đăng ký thiết bị mới" }).click();
    const enrolCode = /([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(await admin.getByTestId("enrol-code").innerText())![1];
    await adminContext.close();

    await enrolKiosk(page, enrolCode);
    await officerSignIn(page, "congan01");
    await page.getByRole("button", { name: "Bắt đầu phiên mới" }).click();
    await page.getByLabel("Nội dung mã QR").fill(CARD_QR);
    await page.getByRole("button", { name: "Xác định bằng mã QR" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Công dân đồng ý");
    await page.getByRole("button", { name: "Đồng ý bằng VNeID" }).click();
    await expect(page.getByRole("img", { name: /Mã QR của địa chỉ/ })).toBeVisible();
    const url = await page.getByTestId("eid-url").innerText();
    expect(url).toMatch(/\/dong-y\/[A-Za-z0-9_-]{43}$/);
    await expectNothingPersonal(page, "VNeID approval wait");
    await checkPage(page);
    // without JavaScript the page refreshes itself while it waits
    expect(await (await page.request.get("/quay")).text()).toMatch(/<noscript><meta http-equiv="refresh" content="\d+"\/?><\/noscript>/);
    const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    const plain = await noJs.newPage();
    await plain.goto("/quay");
    await expect(plain.getByRole("img", { name: /Mã QR của địa chỉ/ })).toBeVisible();
    await plain.waitForRequest((r) => new URL(r.url()).pathname === "/quay" && r.resourceType() === "document", { timeout: 15_000 });
    await noJs.close();

    // the citizen, on his phone: VNeID sign-in, then back to the request
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const mobile = await phone.newPage();
    await mobile.goto(url);
    await expect(mobile).toHaveURL(/\/dang-nhap\?returnTo=/);
    await mobile.getByRole("button", { name: /VNeID/ }).click();
    await mobile.getByLabel(/Số định danh cá nhân/).fill(AN.id);
    await mobile.getByLabel("Mật khẩu").fill("123456");
    await mobile.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(mobile).toHaveURL(url);
    await expect(mobile.getByRole("heading", { level: 1 })).toHaveText("Đồng ý được hỗ trợ tại ki-ốt");
    await expect(mobile.getByText("Ki-ốt VNeID")).toBeVisible();
    await expectAccessible(mobile);
    await mobile.getByRole("button", { name: "Đồng ý", exact: true }).click();
    await expect(mobile.getByRole("status")).toContainText("Bạn đã đồng ý");
    await phone.close();

    // the kiosk notices by itself and goes on as after a code
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Công dân: ${AN.name}`, { timeout: 20_000 });
    await checkPage(page);
  });

  test("the idle lock counts down visibly and ends the session by itself", async ({ page }) => {
    await enrolKiosk(page, "QNKIO-SK002");
    await officerSignIn(page, "congan02");
    await page.clock.install();
    await page.reload();
    await page.getByRole("button", { name: "Bắt đầu phiên mới" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xác định công dân");
    await expect(page.getByTestId("idle-timer")).toHaveText("⏱ 2:00");
    await page.getByLabel("Số định danh cá nhân (12 chữ số)").fill(AN.id);
    await page.clock.fastForward(95_000);
    await expect(page.getByTestId("idle-warning")).toContainText("Phiên sẽ tự kết thúc sau");
    await checkPage(page);
    await page.clock.fastForward(30_000);
    await expect(page).toHaveURL(/\/quay\?da-ket-thuc=1$/);
    await expect(page.getByRole("button", { name: "Bắt đầu phiên mới" })).toBeVisible();
    expect((await page.context().cookies()).some((c) => /kiosk$/.test(c.name))).toBe(false);
  });

  test("landscape 1080p and a tablet, large text and high contrast: still accessible, targets still 44×44", async ({ page }) => {
    await enrolKiosk(page, "QNKIO-SK003");
    await page.goto("/can-bo/dang-nhap");
    await page.getByLabel("Tên đăng nhập").fill("congan03");
    await page.getByLabel("Mật khẩu").fill("Demo@2026-QuangNinh");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.getByLabel("Mã xác thực").fill(await freshTotp("congan03", "GFSGKZTHNBUWU23MGFSGKZTHNBUWU23M"));
    await page.getByRole("button", { name: "Xác nhận" }).click();
    await expect(page).toHaveURL(/\/quay$/);
    await page.getByRole("button", { name: "Bắt đầu phiên mới" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Xác định công dân");
    for (const viewport of [{ width: 1920, height: 1080 }, { width: 800, height: 1280 }, { width: 1280, height: 800 }]) {
      await page.setViewportSize(viewport);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `horizontal scroll at ${viewport.width}×${viewport.height}`).toBeLessThanOrEqual(0);
      await checkPage(page);
    }
    await page.getByRole("button", { name: "Chữ lớn" }).click();
    await page.getByRole("button", { name: "Tương phản cao" }).click();
    await expect(page.getByRole("button", { name: "Chữ lớn" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.locator("html")).toHaveClass(/kiosk-large/);
    await expect(page.locator("html")).toHaveClass(/kiosk-contrast/);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe("21px");
    await checkPage(page);
    // English, and the switches are not kept anywhere: a new page starts plain
    await page.getByRole("link", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Identify the citizen");
    await checkPage(page);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.getItem("kiosk")])).toEqual([0, null]);
    // the commune report downloads as CSV
    await page.goto("/quay/bao-cao?pham-vi=cong-an-xa");
    const csv = await page.request.get("/quay/bao-cao-csv?pham-vi=cong-an-xa");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain("ma_thu_tuc,ten_thu_tuc,ki_ot,can_bo,hom_nay,thang_nay");
  });
});

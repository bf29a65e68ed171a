import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { E2E_FRONT, E2E_MOCKS } from "../../playwright.config";
import { inspectPdf } from "../support/pdf";
import { expectAccessible } from "./axe";

// Test citizens of the e-ID and population mocks (integrations/population/fixtures/citizens.json).
interface Citizen { id: string; name: string; phone: string; email: string }
const AN: Citizen = { id: "022085004517", name: "Nguyễn Văn An", phone: "0983214765", email: "nguyenvanan@example.com" };
const BINH: Citizen = { id: "022190318264", name: "Trần Thị Bình", phone: "0912457380", email: "tranthibinh@example.com" };
const THANG: Citizen = { id: "022068205913", name: "Vũ Đức Thắng", phone: "0903582146", email: "vuducthang@example.com" };

// The portal's words a citizen meets on the way, in both languages (locales/*/common.json and the
// forms' own labels), so each journey also checks the page speaks the citizen's language.
const UI = {
  vi: {
    fileOnline: "Nộp hồ sơ trực tuyến", startNew: "Bắt đầu hồ sơ mới", save: "Lưu và tiếp tục",
    fullName: /Họ, chữ đệm và tên/, idNumber: /Số định danh cá nhân/, phone: /Số điện thoại di động/,
    missing: (n: number) => `Còn thiếu ${n} giấy tờ bắt buộc`, chooseFile: "Chọn tệp", upload: /Tải lên/, uploaded: "Đã tải lên 1 tệp",
    free: "Không thu phí", pay: /Thanh toán/, paid: "đã thanh toán", declaration: /Tôi cam đoan/, submit: "Nộp hồ sơ",
    statusNew: "Mới đăng ký", receiptLink: /Tải giấy tiếp nhận/, receiptTitle: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    sms: "da duoc nop", mailSubject: "Đã tiếp nhận hồ sơ", lookupPhone: "4 số cuối điện thoại", lookup: "Tra cứu",
    nationalNote: "Hồ sơ trực tuyến được nộp trên Cổng Dịch vụ công quốc gia", nationalTitle: "Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia",
    goNational: /trên Cổng Dịch vụ công quốc gia$/, filedNationally: "Cổng Dịch vụ công quốc gia",
  },
  en: {
    fileOnline: "File online", startNew: "Start a new dossier", save: "Save and continue",
    fullName: /Full name/, idNumber: /Personal identification number/, phone: /Mobile phone/,
    missing: (n: number) => `${n} required document(s) missing`, chooseFile: "Choose files", upload: /Upload/, uploaded: "1 file uploaded",
    free: "No fee", pay: /Pay/, paid: "paid", declaration: /I declare/, submit: "Submit",
    statusNew: "Newly filed", receiptLink: /Download the receipt/, receiptTitle: "RECEIPT OF DOSSIER AND APPOINTMENT FOR RESULTS",
    sms: "submitted", mailSubject: "received", lookupPhone: "Last 4 digits of the phone number", lookup: "Look up",
    nationalNote: "Online filing happens on the National Public Service Portal", nationalTitle: "File online on the National Public Service Portal",
    goNational: /on the National Public Service Portal$/, filedNationally: "National Public Service Portal",
  },
};

/** One citizen's visit: the page, its language, and whether the browser runs JavaScript. */
interface Journey { page: Page; lng: keyof typeof UI; js: boolean; citizen: Citizen }
const ui = (j: Journey) => UI[j.lng];
const axe = (j: Journey) => expectAccessible(j.page, { jsDisabled: !j.js });

const pdf = (label: string) => ({
  name: `${label}.pdf`, mimeType: "application/pdf",
  buffer: Buffer.from(`%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n% ${label}\n`),
});

/** A date `days` from today in Vietnam, as the forms want it (dd/mm/yyyy). */
const vnDate = (days: number) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" }).format(Date.now() + days * 86_400_000);

async function signInWithVneid(j: Journey) {
  const { page } = j;
  await expect(page).toHaveURL(/\/dang-nhap\?/);
  await axe(j);
  await page.getByRole("button", { name: /VNeID/ }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_MOCKS.vneid}/interaction/`));
  await axe(j);
  await page.getByLabel(/Số định danh cá nhân/).fill(j.citizen.id);
  await page.getByLabel("Mật khẩu").fill("123456");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
}

/** The procedure's page, (in English: through the language switch), sign-in, a new draft prefilled. */
async function startFiling(j: Journey, procedure: string) {
  const { page } = j;
  await openProcedure(j, procedure);
  await page.getByRole("link", { name: ui(j).fileOnline }).click();
  await signInWithVneid(j);
  await expect(page).toHaveURL(new RegExp(`/nop\\?thu-tuc=${procedure.replace(/\./g, "\\.")}$`));
  await expect(page.locator("html")).toHaveAttribute("lang", j.lng);
  await axe(j);
  await page.getByRole("button", { name: ui(j).startNew }).click();

  // step 1: the applicant, prefilled from the population database
  await expect(page).toHaveURL(/\/nop\/[0-9a-f-]{36}\/nguoi-nop$/);
  await expect(page.getByLabel(ui(j).fullName)).toHaveValue(j.citizen.name);
  await expect(page.getByLabel(ui(j).idNumber)).toHaveValue(j.citizen.id);
  await expect(page.getByLabel(ui(j).phone)).toHaveValue(j.citizen.phone);
  await axe(j);
}

const saveAndContinue = (j: Journey) => j.page.getByRole("button", { name: ui(j).save }).click();

/** A wrong answer is refused (in the browser with JavaScript, by the server without) and announced. */
async function expectRefused(j: Journey, label: string | RegExp, value: string, message: string) {
  await j.page.getByLabel(label).fill(value);
  await saveAndContinue(j);
  await expect(j.page.getByRole("alert")).toContainText(message);
  if (j.js) await expect(j.page.getByRole("alert")).toBeFocused();
  await expect(j.page.getByLabel(label)).toHaveValue(value);
  await axe(j);
}

interface Filing {
  procedure: string;
  /** The form's steps after the first, each filled in by its function. */
  steps: [id: string, fill: (page: Page) => Promise<void>][];
  /** Checks on the first step before it is saved. */
  applicant?: (j: Journey) => Promise<void>;
  documents: { heading: RegExp; file: string }[];
  /** What the review shows as the fee ("" for none); a fee is paid on the PayGov mock. */
  fee: string;
}

/** Files a dossier from the procedure's page to the confirmation; returns the dossier code. */
async function fileOnline(j: Journey, f: Filing): Promise<string> {
  const { page } = j;
  await startFiling(j, f.procedure);
  await f.applicant?.(j);
  await saveAndContinue(j);
  for (const [id, fill] of f.steps) {
    await expect(page).toHaveURL(new RegExp(`/${id}$`));
    await fill(page);
    await axe(j);
    await saveAndContinue(j);
  }

  // documents: none yet is refused, then one upload (multipart) per slot
  await expect(page).toHaveURL(/\/tai-lieu$/);
  await axe(j);
  await saveAndContinue(j);
  await expect(page.getByRole("alert")).toContainText(ui(j).missing(f.documents.length));
  for (const doc of f.documents) {
    const slot = page.locator("section", { has: page.getByRole("heading", { name: doc.heading }) });
    await slot.getByLabel(ui(j).chooseFile).setInputFiles(pdf(doc.file));
    await slot.getByRole("button", { name: ui(j).upload }).click();
    await expect(page.getByRole("status")).toContainText(ui(j).uploaded);
    await expect(slot.getByText(new RegExp(`^${doc.file}\\.pdf \\(`))).toBeVisible();
  }
  await axe(j);
  await saveAndContinue(j);

  // review, pay the fee if there is one, submit
  await expect(page).toHaveURL(/\/xem-lai$/);
  await axe(j);
  if (f.fee) {
    await expect(page.getByTestId("fee")).toContainText(f.fee);
    await expect(page.getByRole("button", { name: ui(j).submit, exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: ui(j).pay }).click();
    await expect(page).toHaveURL(new RegExp(`^${E2E_MOCKS.paygov}/thanh-toan/`));
    await axe(j);
    await page.getByRole("button", { name: "Thanh toán" }).click();
    await expect(page).toHaveURL(/\/xem-lai\?thanh-toan=ok$/);
    await expect(page.getByTestId("fee")).toContainText(ui(j).paid);
    await axe(j);
  } else {
    await expect(page.getByTestId("fee")).toHaveText(ui(j).free);
    await expect(page.getByRole("button", { name: ui(j).pay })).toHaveCount(0);
  }
  await page.getByLabel(ui(j).declaration).check();
  await page.getByRole("button", { name: ui(j).submit, exact: true }).click();

  await expect(page).toHaveURL(/\/ho-so\/[^/?]+\?moi=1$/);
  const code = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
  await expect(page.getByTestId("status")).toHaveText(ui(j).statusNew);
  await expect(page.getByTestId("due")).not.toHaveText("—");
  await axe(j);
  return code;
}

async function messagesTo(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  expect(res.ok).toBe(true);
  return res.json();
}

/** The receipt slip (its QR code is the status URL), the SMS and email, and the public status page. */
async function expectReceivedAndNotified(j: Journey, code: string) {
  const { page, citizen } = j;
  const statusUrl = `http://127.0.0.1:${new URL(page.url()).port}/tra-cuu?ma=${encodeURIComponent(code)}`;
  const link = page.getByRole("link", { name: ui(j).receiptLink });
  await expect(link).toHaveAttribute("download", "");
  const download = page.waitForEvent("download");
  await link.click();
  const receipt = await inspectPdf(new Uint8Array(await readFile((await (await download).path())!)));
  expect(receipt.qrCodes).toEqual([statusUrl]);
  expect(receipt.text).toContain(ui(j).receiptTitle);
  expect(receipt.text).toContain(code);

  const sms = () => messagesTo(`${E2E_MOCKS.smsApi}/api/sms?to=${citizen.phone}`, { headers: { Authorization: `Bearer ${E2E_MOCKS.smsToken}` } });
  await expect.poll(async () => (await sms()).messages?.some((m: { text: string }) => m.text.includes(code) && m.text.includes(ui(j).sms) && m.text.includes(statusUrl)), { timeout: 15_000 }).toBe(true);
  const mail = () => messagesTo(`${E2E_MOCKS.mailApi}/messages?to=${citizen.email}`);
  await expect.poll(async () => (await mail()).messages?.some((m: { subject: string; text: string }) => m.subject.includes(code) && m.subject.includes(ui(j).mailSubject) && m.text.includes(statusUrl)), { timeout: 15_000 }).toBe(true);

  await page.goto(statusUrl);
  await page.getByLabel(ui(j).lookupPhone).fill(citizen.phone.slice(-4));
  await page.getByRole("button", { name: ui(j).lookup, exact: true }).click();
  await expect(page.getByTestId("status")).toHaveText(ui(j).statusNew);
  await expect(page.locator("html")).toHaveAttribute("lang", j.lng);
  await axe(j);
}

/** The procedure's page in the journey's language (in English: through the language switch). */
async function openProcedure(j: Journey, procedure: string) {
  const { page } = j;
  await page.goto(`/thu-tuc/${procedure}`);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  if (j.lng !== "vi") {
    await page.getByTestId("language-switch").click();
    await expect(page.locator("html")).toHaveAttribute("lang", j.lng);
  }
}

/**
 * National front (ADR 025): "file online" on the procedure's page, our own /nop and the national
 * portal's deep link all lead to the national filing page for the procedure and its agency.
 */
async function handsOffToNational(j: Journey, procedure: string, agency: string) {
  const { page } = j;
  const filingPage = (a: string) => `${E2E_MOCKS.national}/nop-ho-so?MaTTHC=${procedure}&MaCoQuanThucHien=${a}`;
  await openProcedure(j, procedure);
  const link = page.getByRole("link", { name: ui(j).fileOnline });
  await expect(link).toHaveAttribute("href", filingPage(agency));
  await expect(page.getByTestId("national-front-note")).toContainText(ui(j).nationalNote);
  await axe(j);
  await link.click();
  await expect(page).toHaveURL(filingPage(agency));
  await expect(page.getByTestId("procedure-code")).toHaveText(procedure);

  await page.goto(`/nop?thu-tuc=${procedure}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ui(j).nationalTitle);
  await expect(page.locator("html")).toHaveAttribute("lang", j.lng);
  await axe(j);
  await page.getByRole("link", { name: ui(j).goNational }).click();
  await expect(page).toHaveURL(filingPage(agency));

  await page.goto(`/nop-ho-so?MaTTHC=${procedure}&MaCoQuanThucHien=H49.22`);
  await expect(page).toHaveURL(filingPage("H49.22"));
}

/** A dossier the citizen filed on the national portal shows in our /ho-so, with its link there. */
async function nationalDossierInMyDossiers(j: Journey) {
  const { page, citizen } = j;
  const filed = await messagesTo(`${E2E_MOCKS.national}/api/citizen/filings`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ MaTTHC: "1.004222", DonViXuLy: "000.01.31.H49", ChuHoSo: citizen.name, SoDinhDanh: citizen.id, SoDienThoai: citizen.phone }),
  });
  const code: string = filed.result.MaHoSo;
  await page.goto("/ho-so");
  await signInWithVneid(j);
  await expect(page).toHaveURL(/\/ho-so$/);
  const row = page.getByTestId("dossier-row").filter({ hasText: code });
  // the national side pushes it within a second
  await expect.poll(async () => { await page.reload(); return row.count(); }, { timeout: 15_000 }).toBe(1);
  await expect(row.getByTestId("filed-via")).toHaveText(ui(j).filedNationally);
  await axe(j);
  await row.getByTestId("follow-national").click();
  await expect(page).toHaveURL(`${E2E_MOCKS.national}/tra-cuu-ho-so?MaHoSo=${code}`);
  await expect(page.getByTestId("dossier-code")).toHaveText(code);
}

test.describe(`citizen filing (${E2E_FRONT} front)`, () => {
  test.setTimeout(120_000);

  const national = E2E_FRONT === "national";
  test(national ? "permanent residence: file online hands off to the national portal; the dossier filed there is in /ho-so with its link" : "permanent residence, with fee: e-ID login, prefill, form, upload, pay, submit, receipt with QR, SMS and email", async ({ page }) => {
    const j: Journey = { page, lng: "vi", js: true, citizen: AN };
    if (E2E_FRONT === "national") {
      await handsOffToNational(j, "1.004222", "000.00.00.H49");
      return nationalDossierInMyDossiers(j);
    }
    const code = await fileOnline(j, {
      procedure: "1.004222",
      // a bad phone number is caught (in the browser, with the server's rules) and announced
      applicant: async () => {
        await expectRefused(j, UI.vi.phone, "0123", "Số điện thoại di động gồm 10 chữ số");
        await page.getByLabel(UI.vi.phone).fill(AN.phone);
      },
      steps: [["noi-cu-tru", async () => {
        await page.getByLabel("Xã, phường đăng ký thường trú").selectOption({ label: "Phường Hạ Long" });
        await page.getByLabel("Địa chỉ chỗ ở mới").fill("Số 12, đường Trần Hưng Đạo");
        await page.getByLabel("Căn cứ đăng ký").selectOption("so-huu");
      }]],
      documents: [{ heading: /Mẫu CT01/, file: "to-khai-ct01" }, { heading: /sở hữu chỗ ở/, file: "so-do" }],
      fee: "10.000", // online; the counter fee is 20,000
    });
    expect(code).toMatch(/^000\.\d{2}\.31\.H49-\d{6}-\d{4}$/);
    await expectReceivedAndNotified(j, code);
  });

  test(national ? "birth registration, in English: the hand-off and our /nop's pointer speak English" : "birth registration, free, in English: no payment, English pages, receipt, SMS and email", async ({ page }) => {
    const j: Journey = { page, lng: "en", js: true, citizen: BINH };
    if (E2E_FRONT === "national") return handsOffToNational(j, "1.001193", "000.00.00.H49");
    const code = await fileOnline(j, {
      procedure: "1.001193",
      steps: [["tre-em", async () => {
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("The child");
        await page.getByLabel("Child's full name").fill("Phạm Gia Bảo");
        await page.getByLabel("Child's sex").selectOption({ label: "Male" });
        await page.getByLabel("Place of birth (hospital or address)").fill("Bệnh viện Bãi Cháy");
        await page.getByLabel("Mother's full name").fill(BINH.name);
        await page.getByLabel(/Father's full name/).fill("Phạm Văn Hùng");
        await page.getByLabel("Your relationship to the child").selectOption({ label: "Mother" });
        await page.getByLabel("Register at the people's committee of").selectOption({ label: "Phường Bãi Cháy" });
        // a birth date in the future is refused, in English
        await expectRefused(j, "Child's date of birth", vnDate(30), "This date cannot be in the future.");
        await expect(page.getByRole("alert")).toContainText("There is 1 problem to fix");
        await page.getByLabel("Child's date of birth").fill(vnDate(-10)); // a newborn
      }]],
      documents: [{ heading: /Birth certificate from the hospital/, file: "giay-chung-sinh" }],
      fee: "",
    });
    await expectReceivedAndNotified(j, code);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });
    test.setTimeout(180_000); // every axe scan loads the page again in a twin context

    test(national ? "judicial record certificate: the hand-off names the provincial police, without JavaScript" : "judicial record certificate, 200,000 VND: every step by native form posts, multipart upload, PayGov, receipt", async ({ page }) => {
      const j: Journey = { page, lng: "vi", js: false, citizen: THANG };
      if (E2E_FRONT === "national") return handsOffToNational(j, "3.000333", "000.00.01.H49");
      const code = await fileOnline(j, {
        procedure: "3.000333",
        steps: [["yeu-cau", async () => {
          await page.getByLabel("Loại phiếu").selectOption("so-1");
          await page.getByLabel("Mục đích sử dụng phiếu").fill("Bổ sung hồ sơ xin việc");
          await page.getByLabel("Họ tên cha").fill("Vũ Văn Thành");
          await page.getByLabel("Họ tên mẹ").fill("Nguyễn Thị Hoa");
          await page.getByLabel("Quá trình cư trú từ đủ 14 tuổi").fill("1982–nay: Tổ 2, khu 4, phường Uông Bí, Quảng Ninh");
          // the server's answer to a wrong number keeps what was typed
          await expectRefused(j, "Số lượng phiếu", "9", "Số nằm ngoài khoảng cho phép");
          await expect(page.getByLabel("Mục đích sử dụng phiếu")).toHaveValue("Bổ sung hồ sơ xin việc");
          await page.getByLabel("Số lượng phiếu").fill("1");
        }]],
        documents: [{ heading: /Mẫu 03\/2024\/LLTP/, file: "to-khai-lltp" }],
        fee: "200.000",
      });
      expect(code).toMatch(/^000\.00\.01\.H49-\d{6}-\d{4}$/);
      await expectReceivedAndNotified(j, code);
    });
  });
});

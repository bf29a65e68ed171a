// The notification mocks driven through the real clients: an email in Vietnamese with the receipt
// PDF attached goes through SMTP and reads back intact from the catcher's API; the SMS gateway
// sends once per ref, refuses bad payloads and wrong tokens, and its faults classify as retryable.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SmtpMailSender } from "~integrations/notify/mail/smtp";
import { startMailMock, type RunningMailMock } from "~integrations/notify/mail/mock/server";
import { HttpSmsSender } from "~integrations/notify/sms/http";
import { DEFAULT_SMS_TOKEN, startSmsMock, type RunningSmsMock } from "~integrations/notify/sms/mock/server";
import { renderReceiptPdf } from "~/modules/receipts/receipt-pdf.server";
import { inspectPdf } from "../support/pdf";
import { freePort } from "../support/server";

let mail: RunningMailMock;
let sms: RunningSmsMock;

beforeAll(async () => {
  [mail, sms] = await Promise.all([startMailMock({ smtpPort: 0, httpPort: 0 }), startSmsMock({ port: 0 })]);
});
afterAll(async () => {
  await Promise.all([mail?.close(), sms?.close()]);
});

describe("mail catcher", () => {
  it("receives a Vietnamese email with the receipt PDF through the SMTP client and serves it back intact", async () => {
    expect(mail.smtpPort).toBeGreaterThan(0);
    const statusUrl = "https://dichvucong.quangninh.gov.vn/tra-cuu/H49.30-250305-0009";
    const pdf = await renderReceiptPdf({
      locale: "vi", dossierCode: "H49.30-250305-0009", procedureCode: "1.001234.000.00.00.H49",
      procedureName: "Cấp phiếu lý lịch tư pháp", agencyName: "Sở Tư pháp tỉnh Quảng Ninh",
      applicantName: "Lê Thị Ngọc Ánh", channelLabel: "Trực tuyến", submittedAt: new Date("2025-03-05T02:30:00Z"),
      appointmentAt: new Date("2025-03-14T09:00:00Z"), documents: [{ name: "Tờ khai", original: 1, copies: 0 }],
      feeVnd: 200_000, feePaid: true, statusUrl,
    });
    const sender = new SmtpMailSender({ url: mail.smtpUrl, from: "Cổng Dịch vụ công Quảng Ninh <no-reply@dichvucong.quangninh.gov.vn>", timeoutMs: 5000 });
    const subject = "Hồ sơ H49.30-250305-0009 đã được tiếp nhận — hẹn trả kết quả ngày 14/03/2025";
    const text = "Kính gửi bà Lê Thị Ngọc Ánh,\nSở Tư pháp tỉnh Quảng Ninh đã tiếp nhận hồ sơ của bà. Giấy tiếp nhận được đính kèm thư này.";
    const sent = await sender.send({
      to: "anh.le@example.vn", subject, text, html: `<p>${text.replace("\n", "<br>")}</p>`,
      attachments: [{ filename: "giay-tiep-nhan-H49.30-250305-0009.pdf", content: pdf, contentType: "application/pdf" }],
      messageId: "<receipt-H49.30-250305-0009@dichvucong.quangninh.gov.vn>",
    });
    expect(sent).toEqual({ ok: true, id: "<receipt-H49.30-250305-0009@dichvucong.quangninh.gov.vn>" });

    const list = await (await fetch(`${mail.httpUrl}/messages?to=ANH.LE@example.vn`)).json();
    expect(list.total).toBe(1);
    const summary = list.messages[0];
    expect(summary).toMatchObject({ subject, to: ["anh.le@example.vn"], from: "no-reply@dichvucong.quangninh.gov.vn" });
    expect(summary.attachments[0]).not.toHaveProperty("contentBase64");
    expect((await (await fetch(`${mail.httpUrl}/messages?to=someone.else@example.vn`)).json()).total).toBe(0);

    const full = await (await fetch(`${mail.httpUrl}/messages/${summary.id}`)).json();
    expect(full.text.trim()).toBe(text);
    expect(full.html).toContain("Lê Thị Ngọc Ánh");
    expect(full.messageId).toBe("<receipt-H49.30-250305-0009@dichvucong.quangninh.gov.vn>");
    expect(full.attachments).toHaveLength(1);
    expect(full.attachments[0]).toMatchObject({ filename: "giay-tiep-nhan-H49.30-250305-0009.pdf", contentType: "application/pdf", size: pdf.length });
    expect(Buffer.from(full.attachments[0].contentBase64, "base64").equals(Buffer.from(pdf))).toBe(true);

    // The attachment as a browser would download it: still a receipt whose QR code opens the status page.
    const download = await fetch(`${mail.httpUrl}/messages/${summary.id}/attachments/0`);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    const receipt = await inspectPdf(new Uint8Array(await download.arrayBuffer()));
    expect(receipt.qrCodes).toEqual([statusUrl]);
    expect(receipt.text).toContain("Lê Thị Ngọc Ánh");

    expect(await (await fetch(`${mail.httpUrl}/messages`, { method: "DELETE" })).json()).toEqual({ deleted: 1 });
    expect((await (await fetch(`${mail.httpUrl}/messages`)).json()).total).toBe(0);
    expect((await fetch(`${mail.httpUrl}/messages/${summary.id}`)).status).toBe(404);
  });

  it("classifies a temporary SMTP failure as retryable and an unreachable server as retryable", async () => {
    const flaky = await startMailMock({ smtpPort: 0, httpPort: 0, failProbability: 1 });
    try {
      const r = await new SmtpMailSender({ url: flaky.smtpUrl, from: "no-reply@example.vn", timeoutMs: 5000 }).send({ to: "a@example.vn", subject: "x", text: "y" });
      expect(r).toMatchObject({ ok: false, retryable: true });
      expect(flaky.messages()).toHaveLength(0);
    } finally {
      await flaky.close();
    }
    const down = await new SmtpMailSender({ url: `smtp://127.0.0.1:${await freePort()}`, from: "no-reply@example.vn", timeoutMs: 2000 }).send({ to: "a@example.vn", subject: "x", text: "y" });
    expect(down).toMatchObject({ ok: false, retryable: true });
  });
});

describe("SMS gateway mock", () => {
  const post = (body: unknown, token = DEFAULT_SMS_TOKEN) =>
    fetch(`${sms.url}/api/sms`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const list = async (to: string) =>
    (await (await fetch(`${sms.url}/api/sms?to=${to}`, { headers: { authorization: `Bearer ${DEFAULT_SMS_TOKEN}` } })).json()) as { total: number; messages: { id: string; text: string }[] };

  it("sends once per ref: the same ref again answers the same id and records nothing new", async () => {
    const client = new HttpSmsSender({ baseUrl: sms.url, token: DEFAULT_SMS_TOKEN, timeoutMs: 5000 });
    const msg = { to: "0912345678", text: "Ho so H49.30-250305-0009 da duoc tiep nhan. Hen tra ket qua 14/03/2025.", ref: "receipt-H49.30-250305-0009" };
    const first = await client.send(msg);
    const again = await client.send(msg);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
    const sent = await list("0912345678");
    expect(sent.total).toBe(1);
    expect(sent.messages[0]).toMatchObject({ text: msg.text, ref: msg.ref });
    if (first.ok) expect(sent.messages[0].id).toBe(first.id);

    const raw = await (await post(msg)).json();
    expect(raw).toMatchObject({ id: sent.messages[0].id, duplicate: true });
    // The same ref for a different message is a conflict, not a silent drop.
    expect((await post({ ...msg, text: "khác" })).status).toBe(409);
  });

  it("refuses a bad payload with 400 and a Vietnamese message, and a wrong token with 401", async () => {
    const bad = await post({ to: "12345", text: "", ref: "r-1" });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error).toBe("invalid_request");
    expect(body.message).toContain("Số điện thoại phải là số di động Việt Nam");
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(["text", "to"]);

    const notJson = await fetch(`${sms.url}/api/sms`, { method: "POST", headers: { authorization: `Bearer ${DEFAULT_SMS_TOKEN}` }, body: "{" });
    expect(notJson.status).toBe(400);

    const unauthorised = await post({ to: "0912345678", text: "x", ref: "r-2" }, "wrong-token");
    expect(unauthorised.status).toBe(401);
    expect((await unauthorised.json()).message).toBe("Mã xác thực không hợp lệ");
    expect((await fetch(`${sms.url}/api/sms`)).status).toBe(401);
    expect((await list("0912345678")).total).toBe(1);

    const client = new HttpSmsSender({ baseUrl: sms.url, token: "wrong-token" });
    expect(await client.send({ to: "0912345678", text: "x", ref: "r-3" })).toMatchObject({ ok: false, retryable: false });
    const invalid = await new HttpSmsSender({ baseUrl: sms.url, token: DEFAULT_SMS_TOKEN }).send({ to: "0123", text: "x", ref: "r-4" });
    expect(invalid).toMatchObject({ ok: false, retryable: false });
  });

  it("injects 503s reproducibly from the seed, which the client treats as retryable", async () => {
    const outcomes = async () => {
      const flaky = await startSmsMock({ port: 0, failProbability: 0.5, seed: 7 });
      try {
        const client = new HttpSmsSender({ baseUrl: flaky.url, token: DEFAULT_SMS_TOKEN });
        const results = [];
        for (let i = 0; i < 12; i++) results.push(await client.send({ to: "0987654321", text: `tin ${i}`, ref: `ref-${i}` }));
        return { results, recorded: flaky.messages().length };
      } finally {
        await flaky.close();
      }
    };
    const a = await outcomes();
    const b = await outcomes();
    const shape = (r: typeof a.results) => r.map((x) => (x.ok ? "ok" : x.retryable ? "retry" : "fail"));
    expect(shape(a.results)).toEqual(shape(b.results));
    expect(shape(a.results)).toContain("retry");
    expect(shape(a.results)).toContain("ok");
    expect(shape(a.results)).not.toContain("fail");
    expect(a.recorded).toBe(shape(a.results).filter((s) => s === "ok").length);
    const failed = a.results.find((x) => !x.ok);
    expect(failed).toMatchObject({ afterMs: 1000 });
  });

  it("runs as its own process from the npm scripts' entry points", async () => {
    const [smsPort, smtpPort, httpPort] = [await freePort(), await freePort(), await freePort()];
    const start = (args: string[], health: string) => {
      const proc = spawn(process.execPath, ["--import", "tsx", ...args], { stdio: ["ignore", "pipe", "pipe"] });
      const ready = (async () => {
        for (let i = 0; i < 300; i++) {
          try { if ((await fetch(health)).ok) return; } catch { /* starting */ }
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`${args[0]} did not start`);
      })();
      return { ready, stop: () => new Promise<number | null>((r) => { proc.once("exit", (code) => r(code)); proc.kill("SIGTERM"); }) };
    };
    const smsProc = start(["integrations/notify/sms/mock/cli.ts", "--port", String(smsPort), "--token", "cli-token"], `http://127.0.0.1:${smsPort}/health`);
    const mailProc = start(["integrations/notify/mail/mock/cli.ts", "--smtp-port", String(smtpPort), "--http-port", String(httpPort)], `http://127.0.0.1:${httpPort}/health`);
    try {
      await Promise.all([smsProc.ready, mailProc.ready]);
      expect(await new HttpSmsSender({ baseUrl: `http://127.0.0.1:${smsPort}`, token: "cli-token" }).send({ to: "0912345678", text: "x", ref: "cli" })).toMatchObject({ ok: true });
      expect(await new SmtpMailSender({ url: `smtp://127.0.0.1:${smtpPort}`, from: "a@example.vn" }).send({ to: "b@example.vn", subject: "Chào", text: "Xin chào" })).toMatchObject({ ok: true });
      expect((await (await fetch(`http://127.0.0.1:${httpPort}/messages`)).json()).messages[0].subject).toBe("Chào");
    } finally {
      expect(await smsProc.stop()).toBe(0);
      expect(await mailProc.stop()).toBe(0);
    }
  }, 60_000);
});

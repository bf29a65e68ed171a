// The PayGov mock against the real client (integrations/paygov/http.ts) and a tiny partner server
// standing in for the portal: signed INIT, the payment page, pay/cancel with the signed browser
// return and the server-to-server callback, refusals by code, retries, and the callback faults.
import crypto from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildInitMessage, PaygovHttp, parseCallback } from "~integrations/paygov/http";
import { startPaygovMock, type RunningPaygovMock } from "~integrations/paygov/mock/server";
import type { CallbackVerification, InitPaymentInput } from "~integrations/paygov/port";

const SECRET = "test-paygov-secret";

interface Received {
  body: Record<string, unknown>;
  verification: CallbackVerification;
  answeredStatus: number;
}

/** The partner: verifies each callback, answers 500 to the first N for references in failFirst. */
async function startPartner() {
  const received: Received[] = [];
  const failFirst = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      const verification = parseCallback(body, SECRET);
      const ref = String(body.MaThamChieu);
      const toFail = failFirst.get(ref) ?? 0;
      let status = 200;
      let answer = { MaLoi: verification.ok ? "00" : "09" };
      if (toFail > 0) {
        failFirst.set(ref, toFail - 1);
        status = 500;
        answer = { MaLoi: "99" };
      }
      received.push({ body, verification, answeredStatus: status });
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failFirst,
    forReference: (ref: string) => received.filter((r) => r.body.MaThamChieu === ref),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let mock: RunningPaygovMock;
let partner: Awaited<ReturnType<typeof startPartner>>;
let client: PaygovHttp;
let seq = 0;

function payment(overrides: Partial<InitPaymentInput> = {}): InitPaymentInput {
  seq++;
  return {
    reference: `QNI-TEST-${Date.now()}-${seq}`,
    amount: 20_000,
    description: "Lệ phí đăng ký thường trú, hồ sơ 000.00.00.H49-261128-0001",
    callbackUrl: `${partner.url}/thanh-toan/paygov/callback`,
    returnUrl: `${partner.url}/thanh-toan/paygov/ket-qua?from=paygov`,
    receipt: {
      dossierCode: "000.00.00.H49-261128-0001",
      procedureCode: "1.004222",
      fees: [{ kind: "charge", amount: 20_000, description: "Lệ phí đăng ký cư trú" }],
    },
    ...overrides,
  };
}

async function initOk(input: InitPaymentInput) {
  const r = await client.initPayment(input);
  if (!r.ok) throw new Error(`init refused: ${r.code} ${r.message}`);
  return r;
}

const submit = (payUrl: string, form: Record<string, string>) =>
  fetch(payUrl, { method: "POST", body: new URLSearchParams(form), redirect: "manual" });

async function postInit(body: unknown) {
  const res = await fetch(`${mock.url}/api/v1/init`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as { MaLoi: string; MoTaLoi: string; ChiTietLoi?: string[] };
}

const adminTx = async (id: string) => (await (await fetch(`${mock.url}/__admin/transactions/${id}`)).json()) as {
  status: string;
  TrangThai: string | null;
  callbackStatus: string | null;
  initCount: number;
  deliveries: { kind: string; tampered: boolean; status: string; attempts: { httpStatus: number | null; accepted: boolean }[] }[];
};

const setFaults = (faults: Record<string, number>) =>
  fetch(`${mock.url}/__admin/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });

beforeAll(async () => {
  partner = await startPartner();
  mock = await startPaygovMock({ port: 0, partners: { QNI: SECRET }, callbackRetryDelaysMs: [50, 100, 200, 400] });
  client = new PaygovHttp({ baseUrl: mock.url, partnerCode: "QNI", secret: SECRET, timeoutMs: 5000 });
});
afterAll(async () => {
  await mock?.close();
  await partner?.close();
});
beforeEach(async () => {
  expect((await setFaults({})).status).toBe(200);
});

describe("PayGov mock", () => {
  it("listens on the free port it was given and reports it", () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).not.toMatch(/:0$/);
  });

  it("signs with SHA-256 hex over the documented field order joined by | and followed by the key", async () => {
    const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
    const m = buildInitMessage(payment({ at: new Date("2026-03-02T01:02:03Z") }), "QNI", SECRET);
    expect(m.ThoiGianGD).toBe("20260302080203"); // Vietnam time
    expect(m.MaXacThuc).toBe(sha([m.MaDoiTac, m.MaThamChieu, m.SoTien, m.ThoiGianGD, m.UrlCallback, m.UrlReturn, SECRET].join("|")));

    const init = await initOk(payment());
    const back = new URL((await submit(init.payUrl, { PhuongThuc: "ATM", action: "pay" })).headers.get("location")!);
    const q = Object.fromEntries(back.searchParams);
    expect(q.MaXacThuc).toBe(sha([q.MaDoiTac, q.MaThamChieu, q.MaGiaoDich, q.SoTien, q.TrangThai, q.ThoiGianThanhToan, SECRET].join("|")));
    expect(parseCallback({ ...q, SoTien: "20001" }, SECRET)).toEqual({ ok: false, reason: "bad_checksum" });
    expect(parseCallback({ ...q, TrangThai: "00" === q.TrangThai ? "01" : "00" }, SECRET)).toEqual({ ok: false, reason: "bad_checksum" });
    expect(parseCallback(q, "another-partner-secret")).toEqual({ ok: false, reason: "bad_checksum" });
    expect(parseCallback({ ...q, MaXacThuc: undefined }, SECRET)).toMatchObject({ ok: false, reason: "malformed" });
    expect(new PaygovHttp({ baseUrl: mock.url, partnerCode: "HNI", secret: SECRET }).verifyCallback(q)).toEqual({ ok: false, reason: "unknown_partner" });
  });

  it("takes a payment end to end: page, signed browser return, verified callback", async () => {
    const input = payment();
    const init = await initOk(input);
    expect(init.payUrl).toBe(`${mock.url}/thanh-toan/${init.transactionId}`);

    const page = await fetch(init.payUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toMatch(/20\.000\s₫/);
    expect(html).toContain("Lệ phí đăng ký thường trú");
    expect(html).toMatch(/<fieldset>\s*<legend>Phương thức thanh toán<\/legend>/);
    expect(html).toContain('value="pay">Thanh toán</button>');
    expect(html).toContain('value="cancel">Hủy</button>');
    expect(html).not.toMatch(/<script/i);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'/);

    const paid = await submit(init.payUrl, { PhuongThuc: "QR", action: "pay" });
    expect(paid.status).toBe(303);
    const back = new URL(paid.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(`${partner.url}/thanh-toan/paygov/ket-qua`);
    expect(back.searchParams.get("from")).toBe("paygov");
    const returned = client.verifyCallback(Object.fromEntries(back.searchParams));
    expect(returned).toMatchObject({ ok: true, data: { reference: input.reference, transactionId: init.transactionId, amount: 20_000, outcome: "paid", statusCode: "00" } });

    const [cb] = await until("the callback", () => partner.forReference(input.reference).length > 0 && partner.forReference(input.reference));
    expect(cb.verification).toMatchObject({ ok: true, data: { reference: input.reference, transactionId: init.transactionId, amount: 20_000, statusCode: "00" } });
    expect(cb.body.MaXacThuc).toBe(back.searchParams.get("MaXacThuc"));

    const tx = await pollTx(init.transactionId, (t) => t.callbackStatus === "delivered");
    expect(tx).toMatchObject({ status: "paid", TrangThai: "00", callbackStatus: "delivered" });
    expect(tx.deliveries[0].attempts).toEqual([expect.objectContaining({ httpStatus: 200, accepted: true })]);

    // Paying twice changes nothing: the same signed return, no second callback.
    const again = await submit(init.payUrl, { PhuongThuc: "ATM", action: "pay" });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe(paid.headers.get("location"));
    const handled = await (await fetch(init.payUrl)).text();
    expect(handled).toContain("Giao dịch đã được thanh toán");
    expect((await adminTx(init.transactionId)).deliveries).toHaveLength(1);
  });

  it("cancels with TrangThai 01, on an English page when NgonNgu is en", async () => {
    const input = payment({ language: "en" });
    const init = await initOk(input);
    const html = await (await fetch(init.payUrl)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/VND\s20,000/);
    expect(html).toContain('value="pay">Pay</button>');
    expect(html).toContain('value="cancel">Cancel</button>');

    const cancelled = await submit(init.payUrl, { PhuongThuc: "ATM", action: "cancel" });
    expect(cancelled.status).toBe(303);
    const back = new URL(cancelled.headers.get("location")!);
    expect(parseCallback(Object.fromEntries(back.searchParams), SECRET)).toMatchObject({ ok: true, data: { outcome: "cancelled", statusCode: "01" } });
    const [cb] = await until("the callback", () => partner.forReference(input.reference).length > 0 && partner.forReference(input.reference));
    expect(cb.verification).toMatchObject({ ok: true, data: { statusCode: "01" } });
  });

  it("answers the same INIT again with the same transaction, and refuses the reference with other data (03)", async () => {
    const input = payment({ at: new Date("2026-01-05T03:00:00Z") });
    const first = await initOk(input);
    // a retry after a timeout: same content, a later ThoiGianGD
    const second = await initOk({ ...input, at: new Date("2026-01-05T03:00:30Z") });
    expect(second).toEqual(first);
    expect((await adminTx(first.transactionId)).initCount).toBe(2);

    const other = await client.initPayment({ ...input, amount: 30_000, receipt: { ...input.receipt, fees: [{ kind: "charge", amount: 30_000, description: "Lệ phí" }] } });
    expect(other).toMatchObject({ ok: false, retryable: false, code: "03" });
  });

  it("refuses an invalid INIT with 01, an unknown partner with 02, a wrong checksum with 09", async () => {
    const bad = await postInit({ MaDoiTac: "QNI", MaThamChieu: "bad ref with spaces", SoTien: -5 });
    expect(bad.MaLoi).toBe("01");
    expect(bad.ChiTietLoi?.join("\n")).toMatch(/MaThamChieu/);
    expect((await postInit("not an object")).MaLoi).toBe("01");

    // the fee lines must add up to SoTien
    const mismatch = await client.initPayment(payment({ amount: 25_000 }));
    expect(mismatch).toMatchObject({ ok: false, retryable: false, code: "01" });

    const unknown = buildInitMessage(payment(), "HNI", SECRET);
    expect((await postInit(unknown)).MaLoi).toBe("02");

    const forged = buildInitMessage(payment(), "QNI", "not-the-secret");
    const refused = await postInit(forged);
    expect(refused).toMatchObject({ MaLoi: "09", MoTaLoi: "Sai mã xác thực" });

    // a signed field altered after signing
    const signed = buildInitMessage(payment(), "QNI", SECRET);
    expect((await postInit({ ...signed, SoTien: 2_000, BienLai: { ...signed.BienLai, PhiLePhi: [{ LoaiPhiLePhi: 2, SoTien: 2_000, MoTa: "x" }] } })).MaLoi).toBe("09");
    expect((await postInit(signed)).MaLoi).toBe("00");
  });

  it("retries a partner that answers 500 until it accepts", async () => {
    const input = payment();
    partner.failFirst.set(input.reference, 2);
    const init = await initOk(input);
    expect((await submit(init.payUrl, { PhuongThuc: "ATM", action: "pay" })).status).toBe(303);
    const tx = await pollTx(init.transactionId, (t) => t.callbackStatus === "delivered");
    const attempts = tx.deliveries[0].attempts;
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.slice(0, 2).map((a) => a.httpStatus)).toEqual([500, 500]);
    expect(attempts.at(-1)).toMatchObject({ httpStatus: 200, accepted: true });
    expect(partner.forReference(input.reference).map((r) => r.answeredStatus)).toEqual([500, 500, 200]);
  });

  it("sends a tampered callback that fails verification, while the browser return still verifies", async () => {
    expect((await setFaults({ tamperCallbackProbability: 1 })).status).toBe(200);
    const input = payment();
    const init = await initOk(input);
    const paid = await submit(init.payUrl, { PhuongThuc: "ATM", action: "pay" });
    const back = new URL(paid.headers.get("location")!);
    expect(parseCallback(Object.fromEntries(back.searchParams), SECRET).ok).toBe(true);

    const [cb] = await until("the tampered callback", () => partner.forReference(input.reference).length > 0 && partner.forReference(input.reference));
    expect(cb.verification).toEqual({ ok: false, reason: "bad_checksum" });
    expect(cb.body).toMatchObject({ MaThamChieu: input.reference, TrangThai: "00", SoTien: 20_000 });
    // refused every time, the mock gives up after its retries
    const tx = await pollTx(init.transactionId, (t) => t.callbackStatus === "failed");
    expect(tx.deliveries[0]).toMatchObject({ tampered: true, status: "failed" });
    expect(tx.deliveries[0].attempts).toHaveLength(5);
  });

  it("drops, duplicates and delays callbacks on request, and replays the last one", async () => {
    expect((await setFaults({ dropCallbackProbability: 1 })).status).toBe(200);
    const dropped = await initOk(payment());
    expect((await submit(dropped.payUrl, { PhuongThuc: "ATM", action: "pay" })).status).toBe(303);
    expect((await adminTx(dropped.transactionId)).callbackStatus).toBe("dropped");
    expect((await fetch(`${mock.url}/__admin/replay/${dropped.transactionId}`, { method: "POST" })).status).toBe(409);

    expect((await setFaults({ duplicateCallbackProbability: 1, callbackDelayMs: 300 })).status).toBe(200);
    const input = payment();
    const dup = await initOk(input);
    const t0 = Date.now();
    expect((await submit(dup.payUrl, { PhuongThuc: "ATM", action: "pay" })).status).toBe(303);
    expect(Date.now() - t0).toBeLessThan(300); // the browser is not held back by the delayed callback
    expect(partner.forReference(input.reference)).toHaveLength(0);
    const both = await until("two deliveries", () => partner.forReference(input.reference).length === 2 && partner.forReference(input.reference));
    expect(both[1].body).toEqual(both[0].body);
    expect(both.every((r) => r.verification.ok)).toBe(true);

    const replay = await fetch(`${mock.url}/__admin/replay/${dup.transactionId}`, { method: "POST" });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { delivery: { kind: string; status: string } }).delivery).toMatchObject({ kind: "replay", status: "delivered" });
    const all = partner.forReference(input.reference);
    expect(all).toHaveLength(3);
    expect(all[2].body).toEqual(all[0].body);
    expect((await adminTx(dup.transactionId)).deliveries.map((d) => d.kind)).toEqual(["original", "duplicate", "replay"]);
  });

  it("answers 404 for an unknown payment page and refuses an unknown action", async () => {
    expect((await fetch(`${mock.url}/thanh-toan/PG-NO-SUCH`)).status).toBe(404);
    const init = await initOk(payment());
    expect((await submit(init.payUrl, { action: "steal" })).status).toBe(400);
    expect((await adminTx(init.transactionId)).status).toBe("pending");
  });
});

async function pollTx(id: string, done: (t: Awaited<ReturnType<typeof adminTx>>) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await adminTx(id);
    if (done(t)) return t;
    if (Date.now() > deadline) throw new Error(`transaction ${id} did not reach the expected state: ${JSON.stringify(t)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

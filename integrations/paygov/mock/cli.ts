// npm run mock:paygov -- [--port 4040] [--host 127.0.0.1] [--partner CODE=SECRET …] [--public-url URL]
//   [--callback-delay-ms 0] [--seed 1]
//   env: MOCK_PAYGOV_PORT, PAYGOV_SECRET (the default partner QNI's secret)
// Without --partner the one partner is QNI with PAYGOV_SECRET or "dev-paygov-secret".
import { parseArgs } from "node:util";
import { DEFAULT_PAYGOV_PARTNERS, DEFAULT_PAYGOV_PORT, startPaygovMock } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_PAYGOV_PORT ?? String(DEFAULT_PAYGOV_PORT) },
    host: { type: "string", default: "127.0.0.1" },
    partner: { type: "string", multiple: true, default: [] },
    "public-url": { type: "string" },
    "callback-delay-ms": { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: expected a TCP port number, got "${values.port}"`);
const callbackDelayMs = Number(values["callback-delay-ms"]);
if (!Number.isInteger(callbackDelayMs) || callbackDelayMs < 0) fail(`--callback-delay-ms: expected a non-negative integer, got "${values["callback-delay-ms"]}"`);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) fail(`--seed: expected an integer, got "${values.seed}"`);

const partners: Record<string, string> = {};
for (const p of values.partner ?? []) {
  const m = /^([A-Za-z0-9_-]{1,20})=(.+)$/.exec(p);
  if (!m) fail(`--partner: expected CODE=SECRET, got "${p}"`);
  else partners[m[1]] = m[2];
}
if (Object.keys(partners).length === 0) {
  partners.QNI = process.env.PAYGOV_SECRET || DEFAULT_PAYGOV_PARTNERS.QNI;
}

const line = (l: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), service: "mock-paygov", ...l }));
const mock = await startPaygovMock({
  port, host: values.host, partners, publicUrl: values["public-url"], faults: { callbackDelayMs, seed }, log: line,
});
line({ msg: "listening", url: mock.url, partners: Object.keys(partners) });
const stop = async () => { await mock.close(); process.exit(0); };
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

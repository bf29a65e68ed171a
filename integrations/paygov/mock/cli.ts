// npm run mock:paygov -- [--port 4040] [--host 127.0.0.1] [--partner CODE=SECRET …] [--public-url URL]
//   [--callback-delay-ms 0] [--seed 1]
//   env: MOCK_PAYGOV_PORT, PAYGOV_SECRET (the default partner QNI's secret)
// Without --partner the one partner is QNI with PAYGOV_SECRET or "dev-paygov-secret".
import { parseArgs } from "node:util";
import { exitWith, jsonLog, numberFlag, portFlag, stopOnSignals } from "../../mock-cli";
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
const port = portFlag("port", values.port);
const callbackDelayMs = numberFlag("callback-delay-ms", values["callback-delay-ms"], { min: 0, integer: true, expected: "a non-negative integer" });
const seed = numberFlag("seed", values.seed, { integer: true, expected: "an integer" });

const partners: Record<string, string> = {};
for (const p of values.partner ?? []) {
  const m = /^([A-Za-z0-9_-]{1,20})=(.+)$/.exec(p);
  if (!m) exitWith(`--partner: expected CODE=SECRET, got "${p}"`);
  else partners[m[1]] = m[2];
}
if (Object.keys(partners).length === 0) {
  partners.QNI = process.env.PAYGOV_SECRET || DEFAULT_PAYGOV_PARTNERS.QNI;
}

const line = jsonLog("mock-paygov");
const mock = await startPaygovMock({
  port, host: values.host, partners, publicUrl: values["public-url"], faults: { callbackDelayMs, seed }, log: line,
});
line({ msg: "listening", url: mock.url, partners: Object.keys(partners) });
stopOnSignals(mock);

// npm run mock:sms -- [--port 4026] [--host 127.0.0.1] [--token dev-sms-token]
//   [--fail-probability 0.2 --seed 1]
import { parseArgs } from "node:util";
import { DEFAULT_SMS_TOKEN, startSmsMock } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_SMS_PORT ?? "4026" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string", default: process.env.SMS_TOKEN ?? DEFAULT_SMS_TOKEN },
    "fail-probability": { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected a TCP port number, got "${values.port}"`);
  process.exit(1);
}
const failProbability = Number(values["fail-probability"]);
if (!(failProbability >= 0 && failProbability <= 1)) {
  console.error(`--fail-probability: expected 0..1, got "${values["fail-probability"]}"`);
  process.exit(1);
}
const log = (l: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), service: "mock-sms", ...l }));
const mock = await startSmsMock({ port, host: values.host, token: values.token, failProbability, seed: Number(values.seed), log });
log({ msg: "listening", url: mock.url });
const stop = async () => { await mock.close(); process.exit(0); };
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

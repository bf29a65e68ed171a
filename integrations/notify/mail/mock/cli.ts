// npm run mock:mail -- [--smtp-port 1025] [--http-port 4025] [--host 127.0.0.1]
//   [--fail-probability 0.2 --seed 1]
import { parseArgs } from "node:util";
import { startMailMock } from "./server";

const { values } = parseArgs({
  options: {
    "smtp-port": { type: "string", default: process.env.MOCK_MAIL_SMTP_PORT ?? "1025" },
    "http-port": { type: "string", default: process.env.MOCK_MAIL_HTTP_PORT ?? "4025" },
    host: { type: "string", default: "127.0.0.1" },
    "fail-probability": { type: "string", default: "0" },
    seed: { type: "string", default: "1" },
  },
});
const ports = { smtp: Number(values["smtp-port"]), http: Number(values["http-port"]) };
for (const [name, port] of Object.entries(ports)) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--${name}-port: expected a TCP port number, got "${values[`${name}-port` as "smtp-port"]}"`);
    process.exit(1);
  }
}
const failProbability = Number(values["fail-probability"]);
if (!(failProbability >= 0 && failProbability <= 1)) {
  console.error(`--fail-probability: expected 0..1, got "${values["fail-probability"]}"`);
  process.exit(1);
}
const log = (l: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), service: "mock-mail", ...l }));
const mock = await startMailMock({ smtpPort: ports.smtp, httpPort: ports.http, host: values.host, failProbability, seed: Number(values.seed), log });
log({ msg: "listening", smtp: mock.smtpUrl, http: mock.httpUrl });
const stop = async () => { await mock.close(); process.exit(0); };
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

// npm run mock:mail -- [--smtp-port 1025] [--http-port 4025] [--host 127.0.0.1]
//   [--fail-probability 0.2 --seed 1]
import { parseArgs } from "node:util";
import { jsonLog, numberFlag, portFlag, stopOnSignals } from "../../../mock-cli";
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
const ports = { smtp: portFlag("smtp-port", values["smtp-port"]), http: portFlag("http-port", values["http-port"]) };
const failProbability = numberFlag("fail-probability", values["fail-probability"], { min: 0, max: 1, expected: "0..1" });
const log = jsonLog("mock-mail");
const mock = await startMailMock({ smtpPort: ports.smtp, httpPort: ports.http, host: values.host, failProbability, seed: Number(values.seed), log });
log({ msg: "listening", smtp: mock.smtpUrl, http: mock.httpUrl });
stopOnSignals(mock);

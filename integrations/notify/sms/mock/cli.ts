// npm run mock:sms -- [--port 4026] [--host 127.0.0.1] [--token dev-sms-token]
//   [--fail-probability 0.2 --seed 1]
import { parseArgs } from "node:util";
import { jsonLog, numberFlag, portFlag, stopOnSignals } from "../../../mock-cli";
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
const port = portFlag("port", values.port);
const failProbability = numberFlag("fail-probability", values["fail-probability"], { min: 0, max: 1, expected: "0..1" });
const log = jsonLog("mock-sms");
const mock = await startSmsMock({ port, host: values.host, token: values.token, failProbability, seed: Number(values.seed), log });
log({ msg: "listening", url: mock.url });
stopOnSignals(mock);

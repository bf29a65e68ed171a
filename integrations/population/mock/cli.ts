// npm run mock:population -- [--port 4030] [--host 127.0.0.1] [--token T] [--latency-ms 0]
//   env: MOCK_POPULATION_PORT, POPULATION_TOKEN
import { parseArgs } from "node:util";
import { jsonLog, numberFlag, portFlag, stopOnSignals } from "../../mock-cli";
import { DEFAULT_POPULATION_TOKEN, startPopulationMock } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_POPULATION_PORT ?? "4030" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string", default: process.env.POPULATION_TOKEN ?? DEFAULT_POPULATION_TOKEN },
    "latency-ms": { type: "string", default: "0" },
  },
});
const port = portFlag("port", values.port);
const latencyMs = numberFlag("latency-ms", values["latency-ms"], { min: 0, expected: "a non-negative number" });
const line = jsonLog("mock-population");
const mock = await startPopulationMock({ port, host: values.host, token: values.token, latencyMs, log: line });
line({ msg: "listening", url: mock.url });
stopOnSignals(mock);

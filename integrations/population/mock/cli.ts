// npm run mock:population -- [--port 4030] [--host 127.0.0.1] [--token T] [--latency-ms 0]
//   env: MOCK_POPULATION_PORT, POPULATION_TOKEN
import { parseArgs } from "node:util";
import { DEFAULT_POPULATION_TOKEN, startPopulationMock } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_POPULATION_PORT ?? "4030" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string", default: process.env.POPULATION_TOKEN ?? DEFAULT_POPULATION_TOKEN },
    "latency-ms": { type: "string", default: "0" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected a TCP port number, got "${values.port}"`);
  process.exit(1);
}
const latencyMs = Number(values["latency-ms"]);
if (!Number.isFinite(latencyMs) || latencyMs < 0) {
  console.error(`--latency-ms: expected a non-negative number, got "${values["latency-ms"]}"`);
  process.exit(1);
}
const line = (l: Record<string, unknown>) => console.log(JSON.stringify({ time: new Date().toISOString(), service: "mock-population", ...l }));
const mock = await startPopulationMock({ port, host: values.host, token: values.token, latencyMs, log: line });
line({ msg: "listening", url: mock.url });
const stop = async () => { await mock.close(); process.exit(0); };
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

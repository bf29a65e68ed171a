// npm run mock:national -- [--port 4010] [--host 127.0.0.1] [--dir data/mock-national]
//   [--database-url postgres://…] [--seed N] [--fault NAME=P …] [--session-ttl-min 30]
//   [--province-inbound URL --inbound-token T] [--province-url URL] [--profile production|strict]
import { parseArgs } from "node:util";
import { parseFaultFlags } from "./faults";
import { PROFILES, type Profile } from "./lenient";
import { startMock } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_NATIONAL_PORT ?? "4010" },
    host: { type: "string", default: "127.0.0.1" },
    dir: { type: "string", default: process.env.MOCK_NATIONAL_DIR ?? "data/mock-national" },
    "database-url": { type: "string", default: process.env.MOCK_NATIONAL_DATABASE_URL },
    seed: { type: "string", default: "1" },
    fault: { type: "string", multiple: true, default: [] },
    "latency-ms": { type: "string", default: "200" },
    "session-ttl-min": { type: "string", default: "30" },
    "province-inbound": { type: "string", default: process.env.PROVINCE_INBOUND_URL },
    "inbound-token": { type: "string", default: process.env.NATIONAL_INBOUND_TOKEN },
    profile: { type: "string", default: process.env.MOCK_NATIONAL_PROFILE ?? "production" },
    "province-url": { type: "string", default: process.env.PROVINCE_PORTAL_URL ?? "http://127.0.0.1:3000" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected a TCP port number, got "${values.port}"`);
  process.exit(1);
}
if (!(PROFILES as readonly string[]).includes(values.profile ?? "")) {
  console.error(`--profile: expected ${PROFILES.join(" or ")}, got "${values.profile}"`);
  process.exit(1);
}
let probabilities;
try {
  probabilities = parseFaultFlags(values.fault ?? []);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const mock = await startMock({
  port, host: values.host, dir: values["database-url"] ? undefined : values.dir, databaseUrl: values["database-url"],
  sessionTtlMs: Number(values["session-ttl-min"]) * 60_000, profile: values.profile as Profile,
  faults: { seed: Number(values.seed), probabilities, latencyMs: Number(values["latency-ms"]) },
  provinceInboundUrl: values["province-inbound"], provinceInboundToken: values["inbound-token"], provincePortalUrl: values["province-url"],
  log: (l) => console.log(JSON.stringify({ time: new Date().toISOString(), service: "mock-national", ...l })),
});
console.log(JSON.stringify({ time: new Date().toISOString(), service: "mock-national", msg: "listening", url: mock.url, profile: values.profile }));
const stop = async () => { await mock.close(); process.exit(0); };
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

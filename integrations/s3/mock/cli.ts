// npx tsx integrations/s3/mock/cli.ts [--port 4040] [--host 127.0.0.1] [--bucket portal-files]
//   [--access-key K] [--secret-key S] [--region R] [--latency-ms 0]
//   env: MOCK_S3_PORT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY (the portal's own settings)
// Objects live in memory: they are gone when the process stops.
import { parseArgs } from "node:util";
import { jsonLog, numberFlag, portFlag, stopOnSignals } from "../../mock-cli";
import { startS3Mock } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.MOCK_S3_PORT ?? "4040" },
    host: { type: "string", default: "127.0.0.1" },
    bucket: { type: "string", multiple: true, default: [process.env.S3_BUCKET ?? "portal-files"] },
    "access-key": { type: "string", default: process.env.S3_ACCESS_KEY ?? "dev-access-key" },
    "secret-key": { type: "string", default: process.env.S3_SECRET_KEY ?? "dev-secret-key" },
    region: { type: "string" },
    "latency-ms": { type: "string", default: "0" },
  },
});
const port = portFlag("port", values.port);
const latencyMs = numberFlag("latency-ms", values["latency-ms"], { min: 0, expected: "a non-negative number" });
const line = jsonLog("mock-s3");
const mock = await startS3Mock({
  port,
  host: values.host,
  accessKey: values["access-key"],
  secretKey: values["secret-key"],
  buckets: values.bucket,
  region: values.region,
  latencyMs,
  log: line,
});
line({ msg: "listening", url: mock.url, buckets: values.bucket });
stopOnSignals(mock);

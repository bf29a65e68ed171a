// The outside systems for tests that call the app in process (modules, route handlers, the Remix
// request handler): built from the test configuration by the factory server.ts uses
// (app/wiring.server.ts). Built on first use, so a test may set the environment (a scratch
// storage directory, a mock's URL) in beforeAll after creating them.
import { parseConfig } from "~/config.server";
import { buildServices, type Services } from "~/wiring.server";

const NAMES = ["storage", "population", "paygov", "senders", "nationalPortal"] as const;

export function testServices(overrides: Partial<Services> = {}): Services {
  let built: Services | undefined;
  const real = () => (built ??= buildServices(parseConfig(process.env)));
  const services = {} as Services;
  for (const name of NAMES) Object.defineProperty(services, name, { enumerable: true, get: () => overrides[name] ?? real()[name] });
  return services;
}

/** What server.ts hands every loader and action, for tests that call routes directly. */
export function testContext(requestId: string, opts: { clientIp?: string; services?: Services } = {}) {
  return { requestId, cspNonce: "test", clientIp: opts.clientIp ?? "10.0.0.1", services: opts.services ?? testServices() };
}

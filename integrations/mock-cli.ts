// What the mocks' command lines share: flag values checked with a message naming the flag (and
// exit 1), one JSON log line per event tagged with the service, a clean stop on SIGTERM/SIGINT.

/** Prints why and exits 1: a wrong flag stops the mock before it starts. */
export function exitWith(message: string): never {
  console.error(message);
  process.exit(1);
}

/** A TCP port (0: any free one) from `--name`'s value. */
export function portFlag(name: string, value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) exitWith(`--${name}: expected a TCP port number, got "${value}"`);
  return port;
}

/** A number from `--name`'s value within [min, max] (an integer when `integer`). */
export function numberFlag(name: string, value: string | undefined, range: { min?: number; max?: number; integer?: boolean; expected: string }): number {
  const n = Number(value);
  const ok = Number.isFinite(n) && (!range.integer || Number.isInteger(n)) && n >= (range.min ?? -Infinity) && n <= (range.max ?? Infinity);
  if (!ok) exitWith(`--${name}: expected ${range.expected}, got "${value}"`);
  return n;
}

/** One JSON object per line on stdout, with the time and the service. */
export const jsonLog = (service: string) => (line: Record<string, unknown>) =>
  console.log(JSON.stringify({ time: new Date().toISOString(), service, ...line }));

/** Closes the mock and exits on SIGTERM or SIGINT. */
export function stopOnSignals(mock: { close(): Promise<void> }) {
  const stop = async () => {
    await mock.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

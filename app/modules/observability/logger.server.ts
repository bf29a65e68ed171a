// Structured JSON logs, one object per line, each carrying the request id of the request it
// belongs to. The request context lives on globalThis so server.ts and the Remix build share it.
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext { requestId: string }
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const g = globalThis as unknown as { __requestContext?: AsyncLocalStorage<RequestContext> };
export const requestContext: AsyncLocalStorage<RequestContext> = (g.__requestContext ??= new AsyncLocalStorage<RequestContext>());

function threshold(): number {
  const l = (process.env.LOG_LEVEL ?? "info") as Level | "silent";
  return order[l] ?? order.info;
}

function write(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (order[level] < threshold()) return;
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  const ctx = requestContext.getStore();
  if (ctx) line.requestId = ctx.requestId;
  if (fields) {
    for (const [k, v] of Object.entries(fields)) {
      line[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
    }
  }
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${JSON.stringify(line)}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};

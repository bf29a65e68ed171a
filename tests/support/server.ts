// Starts the real portal process (server.ts over the built app) for system tests and benchmarks.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createScratchDatabase, usingPostgres } from "./db";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningPortal {
  url: string;
  proc: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Use this database URL instead of a scratch one (PostgreSQL runs) or a temp PGlite dir. */
  databaseUrl?: string;
  waitReady?: boolean;
}

export async function startPortal(opts: StartOptions = {}): Promise<RunningPortal> {
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portal-"));
  let dropDb: (() => Promise<void>) | undefined;
  let databaseUrl = opts.databaseUrl ?? "";
  if (!databaseUrl && usingPostgres()) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL!, "sys");
    databaseUrl = scratch.url;
    dropDb = scratch.drop;
  }
  const proc = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PGLITE_DIR: path.join(tmp, "pglite"),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "info",
      START_MOCKS: "false",
      SEED_DEMO_STAFF: "true",
      NATIONAL_INBOUND_TOKEN: "test-inbound-token-0123456789",
      SYNC_WORKER: "false",
      STORAGE_DIR: path.join(tmp, "files"),
      VNEID_CLIENT_SECRET: "test-vneid-secret",
      POPULATION_TOKEN: "test-population-token",
      PAYGOV_SECRET: "test-paygov-secret",
      SMS_TOKEN: "test-sms-token",
      // no clamd beside the tests (those that scan set CLAMD to a fake one)
      ALLOW_UNSCANNED_UPLOADS: "true",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const collect = (into: string[]) => {
    let buf = "";
    return (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      into.push(...lines.filter(Boolean));
    };
  };
  proc.stdout!.on("data", collect(stdout));
  proc.stderr!.on("data", collect(stderr));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = `http://127.0.0.1:${port}`;
  const portal: RunningPortal = {
    url, proc, stdout, stderr, exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGTERM");
        const timer = setTimeout(() => proc.kill("SIGKILL"), 8000);
        await exited;
        clearTimeout(timer);
      }
      await dropDb?.();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
  if (opts.waitReady !== false) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`portal exited early:\n${stderr.join("\n")}`);
      try {
        const r = await fetch(`${url}/readyz`);
        if (r.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`portal not ready:\n${stderr.join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return portal;
}

// Shared benchmark helpers: autocannon runs against routes of one server, in one run, compared
// as ratios (absolute numbers on a shared 2-core machine are noise; ratios within a run are not).
import fs from "node:fs";
import autocannon from "autocannon";

export interface Measure {
  rps: number; p50: number; p99: number;
  /**
   * p99 of the requests on connections already open: each connection's first request is left
   * out. autocannon opens its connections at the start of every run, all at once, and a busy
   * Node server accepts one new connection per event-loop turn (libuv 1.46, seen with strace),
   * so at 32 connections the last first-request waits some 30 turns: that — not the handling —
   * is the run's p99 (docs/benchmarks.md, "Why the tail").
   */
  p99Warm: number;
  errors: number; non2xx: number; total: number; byStatus: Record<string, number>;
}

export interface LoadOptions {
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
  /** A request generator (e.g. a POST with a fresh body each time: `setupRequest`). */
  requests?: autocannon.Request[];
}

export async function load(url: string, { connections = 32, seconds = 10, headers, requests }: LoadOptions = {}): Promise<Measure> {
  const warm: number[] = [];
  const seen = new WeakSet<object>();
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url, connections, duration: seconds, pipelining: 1, headers, requests }, (e, result) => (e ? reject(e) : resolve(result)));
    run.on("response", (client, _status, _bytes, ms) => {
      if (seen.has(client)) warm.push(ms);
      else seen.add(client);
    });
  });
  warm.sort((a, b) => a - b);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    p99Warm: Math.round(warm[Math.min(warm.length - 1, Math.floor(warm.length * 0.99))] ?? 0),
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    total: r.requests.total,
    byStatus: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count ?? 0])),
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Alternates the targets `rounds` times so drift on the machine hits both alike. */
export async function compare(targets: Record<string, string>, { rounds = 3, connections = 32, seconds = 10 } = {}) {
  const results: Record<string, Measure[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  for (const url of Object.values(targets)) await load(url, { connections, seconds: 3 }); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const [name, url] of Object.entries(targets)) {
      const m = await load(url, { connections, seconds });
      results[name].push(m);
      console.log(`  round ${i + 1} ${name.padEnd(10)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms  errors ${m.errors}  non-2xx ${m.non2xx}`);
    }
  }
  const names = Object.keys(targets);
  const summary = Object.fromEntries(
    Object.entries(results).map(([k, ms]) => [k, { rps: median(ms.map((m) => m.rps)), p50: median(ms.map((m) => m.p50)), p99: median(ms.map((m) => m.p99)), errors: ms.reduce((a, m) => a + m.errors + m.non2xx, 0) }]),
  ) as Record<string, { rps: number; p50: number; p99: number; errors: number }>;
  // each target's median ratio to the first target, pair by pair (round by round)
  const pairedRatio = Object.fromEntries(names.map((k) => [k, median(results[k].map((m, i) => m.rps / results[names[0]][i].rps))]));
  return Object.assign(summary, { pairedRatio }) as typeof summary & { pairedRatio: Record<string, number> };
}

export function requirePostgres(): string {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error("Benchmarks run on PostgreSQL: set DATABASE_URL=postgres://… (a role with CREATEDB).");
    process.exit(2);
  }
  return url;
}

/**
 * CPU time (ms, user + system) used so far by a process and its direct children, or by the
 * PostgreSQL backends serving one database (same machine only: read from /proc). CPU per request
 * is what a noisy shared machine distorts least, unlike requests/s and latency.
 */
export function cpuMs(which: { pid: number } | { database: string }): number {
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return null; // the process is gone
    }
  };
  let ticks = 0;
  for (const id of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const f = read(`/proc/${id}/stat`)?.split(") ")[1]?.split(" ");
    if (!f) continue;
    const counted = "pid" in which
      ? Number(id) === which.pid || Number(f[1]) === which.pid
      : (read(`/proc/${id}/cmdline`) ?? "").startsWith(`postgres: `) && (read(`/proc/${id}/cmdline`) ?? "").includes(` ${which.database} `);
    if (counted) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

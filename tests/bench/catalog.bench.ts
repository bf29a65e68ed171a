// Catalogue search page vs a bare Remix route on the same server, PostgreSQL, 32 connections.
// Target: the search page serves at least 0.7 of the bare route's requests per second.
import { startPortal } from "../support/server";
import { compare } from "./lib";

export async function benchCatalog() {
  const portal = await startPortal({ env: { BENCH_ROUTES: "true", LOG_LEVEL: "warn" } });
  try {
    console.log(`catalogue benchmark on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"} (pid ${portal.proc.pid})`);
    // Paired rounds: each bare run is followed at once by a search run, so drift on this shared
    // machine hits both sides of a pair; the result is the median of the per-pair ratios.
    const r = await compare({
      bare: `${portal.url}/bench/bare`,
      search: `${portal.url}/thu-tuc?q=thuong%20tru`,
    }, { rounds: 7, seconds: 6 });
    const ratio = r.pairedRatio.search;
    console.log(`ratio of medians = ${(r.search.rps / r.bare.rps).toFixed(2)}`);
    console.log(`bare   median ${r.bare.rps.toFixed(0)} req/s, p99 ${r.bare.p99} ms`);
    console.log(`search median ${r.search.rps.toFixed(0)} req/s, p99 ${r.search.p99} ms`);
    console.log(`RATIO search/bare = ${ratio.toFixed(2)} (target >= 0.70) ${ratio >= 0.7 ? "PASS" : "FAIL"}; errors ${r.bare.errors + r.search.errors}`);
    return ratio >= 0.7;
  } finally {
    await portal.stop();
  }
}

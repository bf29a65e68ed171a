// npm run bench [-- name…] — runs the benchmarks by hand (never in CI); results go in
// docs/benchmarks.md.
import { benchCatalog } from "./catalog.bench";
import { requirePostgres } from "./lib";
import { benchDesk } from "./desk.bench";
import { benchPull } from "./pull.bench";
import { benchSubmit } from "./submit.bench";
import { benchSync } from "./sync.bench";

const all: Record<string, () => Promise<boolean>> = { catalog: benchCatalog, sync: benchSync, desk: benchDesk, submit: benchSubmit, pull: benchPull };
requirePostgres();
const names = process.argv.slice(2).filter((a) => a !== "--");
let ok = true;
for (const name of names.length ? names : Object.keys(all)) {
  const bench = all[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(all).join(", ")}`);
    process.exit(2);
  }
  ok = (await bench()) && ok;
}
process.exit(ok ? 0 : 1);

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// ADR 021: the project runs and is tested on Node 24, and ships no dependency it does not use.
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

describe("runtime and dependencies", () => {
  it("the tests run on Node 24 or newer (the one `npm ci` puts in node_modules/.bin)", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(24);
  });

  it("every production dependency is imported by the code or run by a script", () => {
    const code = [
      ...["app", "db", "integrations", "tests"].flatMap(sources),
      ...["server.ts", "remix.config.js", "vitest.config.ts", "playwright.config.ts"],
    ].map((file) => readFileSync(file, "utf8")).join("\n");
    const scripts = Object.values(pkg.scripts).join("\n");
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    const unused = Object.keys(pkg.dependencies).filter((name) => {
      const specifier = new RegExp(`["']${escape(name)}(/[^"']*)?["']`);
      return !specifier.test(code) && !new RegExp(`(--import |^|\\s)${escape(name)}(\\s|$)`, "m").test(scripts);
    });
    expect(unused).toEqual([]);
  });
});

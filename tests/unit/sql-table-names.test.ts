// Raw SQL names tables through the schema (`${syncState}`), never by hand: renaming a table in
// db/schema then changes every statement, or fails typecheck where the reference is gone.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "~db/schema";

const tableNames = Object.values(schema).filter((v) => is(v, PgTable)).map((t) => getTableName(t));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

// Comments may talk about tables by name; only code counts.
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");

describe("raw SQL table names", () => {
  it("knows the schema's tables", () => {
    expect(tableNames).toEqual(expect.arrayContaining(["sync_state", "sync_attempts", "dossiers", "rate_limits"]));
  });

  it("come from the schema's table references in app/", () => {
    const spelled = new RegExp(String.raw`\b(from|into|update|join)\s+"?(${tableNames.join("|")})"?(?![\w.(])`, "gi");
    const found: string[] = [];
    for (const file of sourceFiles(path.resolve("app"))) {
      const code = withoutComments(readFileSync(file, "utf8"));
      for (const m of code.matchAll(spelled)) found.push(`${path.relative(".", file)}: ${m[0]}`);
    }
    expect(found).toEqual([]);
  });
});

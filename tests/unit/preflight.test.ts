import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// tests/support/preflight.sh, the first step of `npm test`, run against a fake machine: stand-ins
// for dpkg-query, id, apt-get (and node) first on PATH, so each case is the same on any machine
// and nothing is really installed.
let fakeBin: string;

function fake(name: string, body: string) {
  const file = join(fakeBin, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

function preflight(env: Record<string, string | undefined>) {
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${fakeBin}:${process.env.PATH ?? ""}` };
  delete base.CHROMIUM_PATH;
  delete base.PREFLIGHT_INSTALL;
  const run = spawnSync("bash", ["tests/support/preflight.sh"], { env: Object.assign(base, env), encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const aptCalls = () => (existsSync(join(fakeBin, "apt.log")) ? readFileSync(join(fakeBin, "apt.log"), "utf8") : "");

beforeEach(() => {
  fakeBin = mkdtempSync(join(tmpdir(), "preflight-"));
  // installed packages come from FAKE_INSTALLED (space-separated); the package is the last argument
  fake("dpkg-query", 'for p in $FAKE_INSTALLED; do for a; do last="$a"; done; [ "$p" = "$last" ] && { printf "install ok installed"; exit 0; }; done; exit 1');
  fake("id", 'echo "${FAKE_UID:-0}"');
  fake("apt-get", `echo "$*" >> "${fakeBin}/apt.log"; exit "\${FAKE_APT_EXIT:-0}"`);
});
afterEach(() => rmSync(fakeBin, { recursive: true, force: true }));

describe("npm test's preflight", () => {
  it("stops at once when CHROMIUM_PATH names no file, with what to do", () => {
    const run = preflight({ CHROMIUM_PATH: "/nonexistent/chromium", FAKE_INSTALLED: "fonts-noto-core fonts-liberation" });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "npm test cannot start: CHROMIUM_PATH=/nonexistent/chromium is not an executable file. Point it at a Chromium binary, unset it to use Debian's /usr/bin/chromium, or set it empty (CHROMIUM_PATH=) to use Playwright's own browser.\n",
    );
    expect(aptCalls()).toBe("");
  });

  it("with PREFLIGHT_INSTALL=no, stops with the exact command instead of installing", () => {
    const run = preflight({ PREFLIGHT_INSTALL: "no", FAKE_INSTALLED: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "npm test cannot start: the browser tests need chromium fonts-noto-core fonts-liberation. Run: apt-get update && apt-get install -y chromium fonts-noto-core fonts-liberation\n",
    );
    expect(aptCalls()).toBe("");
  });

  it("not as root, names only what is missing, with sudo, and installs nothing", () => {
    const run = preflight({ FAKE_UID: "1000", FAKE_INSTALLED: "chromium" });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "npm test cannot start: the browser tests need fonts-noto-core fonts-liberation. Run: sudo apt-get update && sudo apt-get install -y fonts-noto-core fonts-liberation\n",
    );
    expect(aptCalls()).toBe("");
  });

  it("as root with apt-get, installs what is missing and lets the tests run", () => {
    const run = preflight({ FAKE_INSTALLED: "fonts-liberation" });
    expect(run.code).toBe(0);
    expect(aptCalls()).toBe("update -qq\ninstall -y -qq chromium fonts-noto-core\n");
  });

  it("when that install fails, stops with the command to run by hand", () => {
    const run = preflight({ FAKE_INSTALLED: "chromium fonts-liberation", FAKE_APT_EXIT: "100" });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "npm test cannot start: installing fonts-noto-core failed (output above). Run: apt-get update && apt-get install -y fonts-noto-core\n",
    );
  });

  it("passes quietly when everything is there, and skips the browser checks for Playwright's own (CHROMIUM_PATH=)", () => {
    expect(preflight({ FAKE_INSTALLED: "chromium fonts-noto-core fonts-liberation" })).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(preflight({ CHROMIUM_PATH: "", FAKE_INSTALLED: "" })).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(aptCalls()).toBe("");
  });

  it("refuses a Node older than 24", () => {
    fake("node", "echo 20.20.2");
    const run = preflight({ CHROMIUM_PATH: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "npm test cannot start: it needs Node 24 or newer, and `node` here is 20.20.2. Run it as `npm test` after `npm ci` (which installs Node 24 into node_modules/.bin on Linux), or install Node 24.\n",
    );
  });
});

#!/usr/bin/env bash
# What `npm test` needs from the machine, checked before any test runs so that a missing piece
# costs seconds, not ten minutes of tests and then a wall of browser-launch errors:
#   - Node 24 or newer (npm scripts run the one `npm ci` put in node_modules/.bin, ADR 021);
#   - the browser: Debian's Chromium and fonts with Vietnamese glyphs (fonts-noto-core) and the
#     metric-compatible Latin fonts (fonts-liberation) when CHROMIUM_PATH is unset, or the binary
#     CHROMIUM_PATH names; CHROMIUM_PATH= (empty) uses Playwright's own browser, not checked here.
# Missing Debian packages are installed when it can (root with apt-get, as CI runs), unless
# PREFLIGHT_INSTALL=no; otherwise it stops with the one command to run. Exit 0 ready, 1 not.
set -uo pipefail

fail() { printf 'npm test cannot start: %s\n' "$*" >&2; exit 1; }

node_version="$(node -p 'process.versions.node' 2>/dev/null)" || node_version=""
major="${node_version%%.*}"
if ! [[ "$major" =~ ^[0-9]+$ ]] || [ "$major" -lt 24 ]; then
  fail "it needs Node 24 or newer, and \`node\` here is ${node_version:-missing}. Run it as \`npm test\` after \`npm ci\` (which installs Node 24 into node_modules/.bin on Linux), or install Node 24."
fi

if [ -n "${CHROMIUM_PATH+set}" ]; then
  [ -z "$CHROMIUM_PATH" ] && exit 0
  [ -x "$CHROMIUM_PATH" ] && [ -f "$CHROMIUM_PATH" ] ||
    fail "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file. Point it at a Chromium binary, unset it to use Debian's /usr/bin/chromium, or set it empty (CHROMIUM_PATH=) to use Playwright's own browser."
  PKGS=(fonts-noto-core fonts-liberation)
else
  PKGS=(chromium fonts-noto-core fonts-liberation)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian: package names mean nothing here; the browser itself is what must be there.
  [ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] ||
    fail "no Chromium at /usr/bin/chromium. Set CHROMIUM_PATH to a Chromium binary, or CHROMIUM_PATH= (empty) to use Playwright's own browser."
  exit 0
fi

missing=()
for pkg in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo "; fi
command_line="${sudo}apt-get update && ${sudo}apt-get install -y ${missing[*]}"
if [ -z "$sudo" ] && [ "${PREFLIGHT_INSTALL:-yes}" != "no" ] && command -v apt-get >/dev/null 2>&1; then
  printf 'Installing what the browser tests need: %s\n' "${missing[*]}"
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; then
    exit 0
  fi
  fail "installing ${missing[*]} failed (output above). Run: $command_line"
fi
fail "the browser tests need ${missing[*]}. Run: $command_line"

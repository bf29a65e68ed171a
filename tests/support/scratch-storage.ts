// Stored files and upload temp files of one test file alone, in a directory of its own
// (config() reads the environment once, so call this before the first config()).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function useScratchStorage(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.STORAGE_DIR = path.join(dir, "files");
  process.env.STORAGE_DRIVER = "local";
  delete process.env.CLAMD;
  process.env.TMPDIR = path.join(dir, "tmp");
  fs.mkdirSync(process.env.TMPDIR, { recursive: true });
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// WEB_CONCURRENCY=2: on PostgreSQL a primary runs two web workers that both serve and stop on
// SIGTERM; with the embedded database the setting is refused at start (one process per database).
import { describe, expect, it } from "vitest";
import { usingPostgres } from "../support/db";
import { startPortal } from "../support/server";

const listening = (lines: string[]) => lines.filter((l) => l.includes('"msg":"listening"')).map((l) => JSON.parse(l).pid as number);

describe("several web processes", () => {
  it(usingPostgres() ? "two workers serve, and all stop on SIGTERM" : "are refused with the embedded database", async () => {
    if (!usingPostgres()) {
      await expect(startPortal({ env: { WEB_CONCURRENCY: "2" } })).rejects.toThrow(/WEB_CONCURRENCY: more than one web process needs PostgreSQL/);
      return;
    }
    const portal = await startPortal({ env: { WEB_CONCURRENCY: "2" } });
    try {
      for (const start = Date.now(); listening(portal.stdout).length < 2 && Date.now() - start < 60_000;) await new Promise((r) => setTimeout(r, 200));
      const pids = listening(portal.stdout);
      expect(new Set(pids).size).toBe(2);
      expect(pids).not.toContain(portal.proc.pid);
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${portal.url}/thu-tuc/1.004222`).then((r) => r.status)));
      expect(answers.every((s) => s === 200)).toBe(true);
      // one primary (which migrated and seeded), two workers
      expect(portal.stdout.filter((l) => l.includes('"msg":"starting web workers"'))).toHaveLength(1);
      portal.proc.kill("SIGTERM");
      const exit = await portal.exited;
      expect(exit.code).toBe(0);
      expect(portal.stdout.filter((l) => l.includes('"msg":"stopped"')).length).toBe(3); // two workers, then the primary
    } finally {
      await portal.stop();
    }
  }, 120_000);
});

// A wrong configuration stops the process at once with a message that names the variable; a good
// one starts and says where citizens file online, and how to switch (ADR 025).
import { describe, expect, it } from "vitest";
import { startPortal } from "../support/server";

describe("start-up configuration", () => {
  it("exits with status 1 naming each invalid variable", async () => {
    const portal = await startPortal({ env: { PORT: "abc", LOG_LEVEL: "loud" }, waitReady: false });
    const { code } = await portal.exited;
    await portal.stop();
    const err = portal.stderr.join("\n");
    expect(code).toBe(1);
    expect(err).toContain("Invalid configuration");
    expect(err).toMatch(/PORT: expected a TCP port number/);
    expect(err).toMatch(/LOG_LEVEL: /);
  });
  it("says which citizen front runs and how to switch, in each mode", async () => {
    for (const [mode, other] of [["national", "province"], ["province", "national"]]) {
      const portal = await startPortal({ env: { CITIZEN_FRONT: mode } });
      await portal.stop();
      const line = portal.stdout.join("").split("\n").find((l) => l.includes("citizen front:")) ?? "";
      expect(line, mode).toContain(`citizen front: ${mode} (`);
      expect(line, mode).toContain(`switch with CITIZEN_FRONT=${other}`);
    }
  }, 240_000); // two starts of the real process, on a shared machine
});

// A wrong configuration stops the process at once with a message that names the variable.
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
});

// The site header asks who is signed in on every public page: for a visitor without a citizen
// session cookie that must cost no database query at all (the catalogue is benchmarked).
import { describe, expect, it } from "vitest";
import { carriesCitizenSession, citizenFromRequest } from "~/modules/identity/citizen-auth.server";
import type { AppDb } from "~db/client.server";

const untouchable = new Proxy({}, {
  get(_, prop) {
    throw new Error(`the database was used (${String(prop)})`);
  },
}) as AppDb;

describe("citizenFromRequest for anonymous visitors", () => {
  it("answers null without touching the database", async () => {
    for (const cookie of [undefined, "", "qn_lng=en", "qn_staff=abcdefghijklmnopqrstuvwxyz0123", "qn_citizen=short"]) {
      const request = new Request("http://127.0.0.1/thu-tuc", { headers: cookie === undefined ? {} : { cookie } });
      expect(carriesCitizenSession(request)).toBe(false);
      expect(await citizenFromRequest(untouchable, request)).toBeNull();
    }
  });

  it("does look a session cookie up (the test above can fail)", async () => {
    const request = new Request("http://127.0.0.1/thu-tuc", { headers: { cookie: `qn_citizen=${"a".repeat(43)}` } });
    expect(carriesCitizenSession(request)).toBe(true);
    await expect(citizenFromRequest(untouchable, request)).rejects.toThrow(/database was used/);
  });
});

// The desk queue's search box comes from the query string: control characters (a NUL byte made
// PostgreSQL refuse the query, a 500) are dropped, and what is left is still limited to 100 characters.
import { describe, expect, it } from "vitest";
import { QueueQuery } from "~/modules/backoffice/desk.schema";

describe("desk queue query", () => {
  it("drops control characters from the search text", () => {
    const r = QueueQuery.safeParse({ q: "Nguyễn\u0000Văn\u0010An\u0007" });
    expect(r.success && r.data.q).toBe("Nguyễn Văn An");
    expect(r.success && /\p{Cc}/u.test(r.data.q)).toBe(false);
  });

  it("still refuses a search text longer than 100 characters", () => {
    const r = QueueQuery.safeParse({ q: "a".repeat(101) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("desk.errors.qTooLong");
  });

  it("keeps the defaults when nothing is asked", () => {
    expect(QueueQuery.parse({})).toMatchObject({ q: "" });
  });
});

describe("catalogue query", () => {
  it("drops control characters from the search text and the field", async () => {
    const { CatalogQuery } = await import("~/modules/catalog/catalog.schema");
    const r = CatalogQuery.safeParse({ q: "thường\u0000trú", field: "\u0000" });
    expect(r.success && r.data.q).toBe("thường trú");
    expect(r.success && r.data.field).toBeUndefined();
  });
});

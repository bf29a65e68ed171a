import { describe, expect, it } from "vitest";
import { createRouteMatcher } from "~/modules/observability/metrics.server";

const routes = {
  root: { id: "root", path: "" },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true },
  "routes/thu-tuc._index": { id: "routes/thu-tuc._index", parentId: "root", path: "thu-tuc", index: true },
  "routes/thu-tuc.$code": { id: "routes/thu-tuc.$code", parentId: "root", path: "thu-tuc/:code" },
  "routes/$": { id: "routes/$", parentId: "root", path: "*" },
};

describe("metrics route labels", () => {
  const label = createRouteMatcher(routes);
  it("labels by route id, not by raw path", () => {
    expect(label("/thu-tuc/1.004222")).toBe("routes/thu-tuc.$code");
    expect(label("/thu-tuc/9.999999")).toBe("routes/thu-tuc.$code");
    expect(label("/thu-tuc")).toBe("routes/thu-tuc._index");
    expect(label("/")).toBe("routes/_index");
  });
  it("labels single-fetch data requests like their page", () => {
    expect(label("/thu-tuc.data")).toBe("routes/thu-tuc._index");
    expect(label("/_root.data")).toBe("routes/_index");
  });
  it("sends everything else to the catch-all, keeping label cardinality bounded", () => {
    expect(label("/no/such/page")).toBe("routes/$");
  });
});

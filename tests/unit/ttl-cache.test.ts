import { describe, expect, it } from "vitest";
import { TtlCache } from "~/lib/ttl-cache";

describe("TtlCache", () => {
  it("serves a fresh entry without loading again, and reloads once it expires", async () => {
    let t = 0;
    let loads = 0;
    const cache = new TtlCache<number>(1000, 10, () => t);
    const load = async () => ++loads;
    expect(await cache.get("k", load)).toBe(1);
    t = 999;
    expect(await cache.get("k", load)).toBe(1);
    t = 1000;
    expect(await cache.get("k", load)).toBe(2);
  });
  it("shares one load between concurrent misses", async () => {
    let loads = 0;
    const cache = new TtlCache<number>(1000);
    const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 10));
    const [a, b] = await Promise.all([cache.get("k", load), cache.get("k", load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
  });
  it("evicts the oldest entries beyond its size", async () => {
    let loads = 0;
    const cache = new TtlCache<number>(60_000, 2);
    const load = async () => ++loads;
    await cache.get("a", load);
    await cache.get("b", load);
    await cache.get("c", load);
    expect(await cache.get("b", load)).toBe(2);
    expect(await cache.get("a", load)).toBe(4); // "a" was evicted and loads again
  });
  it("does not keep a failed load", async () => {
    const cache = new TtlCache<number>(60_000);
    await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("k", async () => 7)).toBe(7);
  });
});

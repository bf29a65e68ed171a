/**
 * A small in-process read cache: entries expire after ttlMs, the oldest go first beyond max,
 * and concurrent misses for one key share a single load. Only for data that may be a few
 * seconds stale on one instance without harm (docs/decisions/006-catalogue-read-cache.md).
 */
export class TtlCache<V> {
  private entries = new Map<string, { at: number; value: Promise<V> }>();
  constructor(private readonly ttlMs: number, private readonly max = 500, private readonly now = () => Date.now()) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), value });
    // a failed load is not cached
    value.catch(() => { if (this.entries.get(key)?.value === value) this.entries.delete(key); });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

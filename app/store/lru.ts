/**
 * A bounded cache that keeps recently used entries, in two generations: hits and writes
 * go to the young map; when it reaches half the capacity it becomes the old one and the
 * previous old one is dropped. An old entry that is read again moves up. Nothing is
 * deleted or re-inserted on a young hit, which is what made the exact LRU (a Map delete
 * and set per hit) cost ~4% of block execution in `npm run bench:exec`. Holds at most
 * `capacity` entries and always at least the `capacity / 2` most recently used.
 */
export class Lru<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly half: number;

  constructor(private readonly capacity: number) {
    this.half = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.keep(key, o);
    return o;
  }

  set(key: string, v: V): void {
    if (this.capacity <= 0) return;
    this.keep(key, v);
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  /** A young entry shadows an old one with the same key, so an old value is never read after a set. */
  private keep(key: string, v: V): void {
    this.young.set(key, v);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

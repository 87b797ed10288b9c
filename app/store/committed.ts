/**
 * The flat index of the latest committed state, with an LRU of recent values in front
 * (block execution reads ~6 keys per tx one after the other, so a LevelDB round trip per
 * read would bound the tx rate). `epoch` is bumped when a commit starts and when it ends
 * (odd while in flight): a read that starts and ends in one even epoch saw exactly the
 * state of that height, since LevelDB snapshots a read when it is issued.
 */
import type { Sublevel } from './db.js';
import type { PendingEntry } from './merge.js';
import { Lru } from './lru.js';
import { keyId, plain } from './bytes.js';

export class CommittedIndex {
  private readonly cache: Lru<Uint8Array | null>;
  epoch = 0;

  constructor(
    readonly sub: Sublevel,
    cacheSize: number,
  ) {
    this.cache = new Lru(cacheSize);
  }

  get stable(): boolean {
    return this.epoch % 2 === 0;
  }

  async get(key: Uint8Array, id: string = keyId(key)): Promise<Uint8Array | undefined> {
    const hit = this.cache.get(id);
    if (hit !== undefined) return hit ?? undefined;
    const epoch = this.epoch;
    // A synchronous read: the key is nearly always in LevelDB's memtable or block cache, and
    // the async get's thread-pool round trip cost more CPU than the read itself (bench:exec).
    const v = this.sub.getSync(key);
    const value = v === undefined ? undefined : plain(v);
    if (epoch === this.epoch && this.stable) this.cache.set(id, value ?? null);
    return value;
  }

  beginCommit(): void {
    this.epoch++;
  }

  /** End of a commit; `written` are the entries now on disk (none if the batch failed). */
  endCommit(written: [string, PendingEntry][]): void {
    this.epoch++;
    for (const [id, e] of written) this.cache.set(id, e.value);
  }
}

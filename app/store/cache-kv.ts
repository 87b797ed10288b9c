/**
 * A write cache over a parent reader or store (cosmos-sdk cachekv): reads fall through to
 * the parent, writes stay in memory, iteration merges both in key order, `write()` flushes
 * into the parent. The app uses it for the mempool's check state and for simulation.
 */
import type { IterateOptions, KVReader, KVStore } from './types.js';
import { assertKey, assertValue } from './bytes.js';
import { keyRange } from './range.js';
import { mergeOrdered } from './merge.js';
import { Overlay } from './overlay.js';
import { ErrLogic } from '../errors.js';

export interface CacheKV extends KVStore {
  /** Flush every cached write into the parent (in key order), then reset. */
  write(): Promise<void>;
  /** Drop every cached write. */
  reset(): void;
}

export function createCacheKV(parent: KVReader | KVStore): CacheKV {
  return new CacheKVStore(parent);
}

function isStore(kv: KVReader | KVStore): kv is KVStore {
  return typeof (kv as KVStore).set === 'function' && typeof (kv as KVStore).delete === 'function';
}

class CacheKVStore implements CacheKV {
  private readonly writes = new Overlay();

  constructor(private readonly parent: KVReader | KVStore) {}

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    assertKey(key);
    const e = this.writes.lookup(key);
    if (e !== undefined) return e.value ?? undefined;
    return this.parent.get(key);
  }

  async set(key: Uint8Array, value: Uint8Array): Promise<void> {
    assertKey(key);
    assertValue(value);
    this.writes.write(key, value);
  }

  async delete(key: Uint8Array): Promise<void> {
    assertKey(key);
    this.writes.write(key, null);
  }

  async *iterate(prefix: Uint8Array, opts?: IterateOptions): AsyncGenerator<[Uint8Array, Uint8Array]> {
    const r = keyRange(prefix, opts);
    if (r === undefined) return;
    const base = this.parent.iterate(prefix, { start: r.lo, end: r.hi, reverse: r.reverse });
    yield* mergeOrdered(this.writes.range(r), base, r.reverse, r.limit);
  }

  async write(): Promise<void> {
    const parent = this.parent;
    if (!isStore(parent)) throw ErrLogic.wrap('cannot write a cache whose parent is read-only');
    for (const e of this.writes.entries()) {
      if (e.value === null) await parent.delete(e.key);
      else await parent.set(e.key, e.value);
    }
    this.writes.clear();
  }

  reset(): void {
    this.writes.clear();
  }
}

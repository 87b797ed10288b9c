/**
 * An interface-datastore over a LevelDB sublevel, so libp2p's peer store and the DHT's
 * records persist in the node's home. Datastore keys are strings beginning with '/';
 * they are stored as UTF-8 bytes, so a prefix query is a key range. The host's own
 * records (bans) use keys without a leading '/' in the same sublevel and never show
 * up in a datastore query.
 *
 * libp2p reads the peer store on every stream it opens (protocols, tags), so reads go
 * through a bounded cache: without it, LevelDB gets were ~10% of the CPU of 20 hosts
 * forming an overlay in one process (profiled).
 */
import { BaseDatastore } from 'datastore-core';
import { Key, type KeyQuery, type Pair, type Query } from 'interface-datastore';
import { NotFoundError } from 'interface-store';
import type { HostDb } from './types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Most entries (present or known absent) kept in memory. */
const CACHE_ENTRIES = 10_000;

export class LevelDatastore extends BaseDatastore {
  /** key → value, or null when LevelDB has no such key. Map order = insertion: oldest evicted first. */
  private readonly cache = new Map<string, Uint8Array | null>();

  constructor(private readonly db: HostDb) {
    super();
  }

  override async put(key: Key, val: Uint8Array): Promise<Key> {
    const k = key.toString();
    await this.db.put(enc.encode(k), val);
    this.remember(k, val.slice()); // a copy: callers may reuse their buffer
    return key;
  }

  override async get(key: Key): Promise<Uint8Array> {
    const v = await this.read(key.toString());
    if (v === null) throw new NotFoundError(`no value for ${key.toString()}`);
    return v;
  }

  override async has(key: Key): Promise<boolean> {
    return (await this.read(key.toString())) !== null;
  }

  override async delete(key: Key): Promise<void> {
    const k = key.toString();
    await this.db.del(enc.encode(k));
    this.remember(k, null);
  }

  private async read(k: string): Promise<Uint8Array | null> {
    const hit = this.cache.get(k);
    if (hit !== undefined) return hit;
    const v = (await this.db.get(enc.encode(k))) ?? null;
    // a put or delete that finished while this read was in flight wins
    const now = this.cache.get(k);
    if (now !== undefined) return now;
    this.remember(k, v);
    return v;
  }

  private remember(k: string, v: Uint8Array | null): void {
    this.cache.delete(k);
    this.cache.set(k, v);
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }

  override async *_all(q: Query): AsyncGenerator<Pair> {
    for await (const [k, value] of this.db.iterator(range(q.prefix))) yield { key: new Key(dec.decode(k)), value };
  }

  override async *_allKeys(q: KeyQuery): AsyncGenerator<Key> {
    for await (const k of this.db.keys(range(q.prefix))) yield new Key(dec.decode(k));
  }
}

/** Keys starting with `prefix` (default '/': every datastore key, none of the host's own). */
function range(prefix = '/'): { gte: Uint8Array; lt: Uint8Array } {
  const gte = enc.encode(prefix === '' ? '/' : prefix);
  const lt = gte.slice();
  lt[lt.length - 1]++; // no key byte is 0xff in UTF-8 text
  return { gte, lt };
}

/**
 * An interface-datastore over a LevelDB sublevel, so libp2p's peer store and the DHT's
 * records persist in the node's home. Datastore keys are strings beginning with '/';
 * they are stored as UTF-8 bytes, so a prefix query is a key range. The host's own
 * records (bans) use keys without a leading '/' in the same sublevel and never show
 * up in a datastore query.
 */
import { BaseDatastore } from 'datastore-core';
import { Key, type KeyQuery, type Pair, type Query } from 'interface-datastore';
import { NotFoundError } from 'interface-store';
import type { HostDb } from './types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export class LevelDatastore extends BaseDatastore {
  constructor(private readonly db: HostDb) {
    super();
  }

  override async put(key: Key, val: Uint8Array): Promise<Key> {
    await this.db.put(enc.encode(key.toString()), val);
    return key;
  }

  override async get(key: Key): Promise<Uint8Array> {
    const v = await this.db.get(enc.encode(key.toString()));
    if (v === undefined) throw new NotFoundError(`no value for ${key.toString()}`);
    return v;
  }

  override async has(key: Key): Promise<boolean> {
    return (await this.db.get(enc.encode(key.toString()))) !== undefined;
  }

  override async delete(key: Key): Promise<void> {
    await this.db.del(enc.encode(key.toString()));
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

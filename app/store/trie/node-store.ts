/**
 * Trie nodes on disk (the `trie` sublevel, node hash → RLP) behind a bounded LRU of
 * encoded nodes, shared by the writer and by @ethereumjs/mpt read views (through the
 * `DB` seam that library defines; its keys arrive as unprefixed hex).
 */
import type { BatchDBOp, DB } from '@ethereumjs/util';
import type { Sublevel } from '../db.js';
import { keyId, keyIdBytes, plain } from '../bytes.js';
import { Lru } from '../lru.js';
import { ErrLogic } from '../../errors.js';

export class NodeStore {
  private readonly lru: Lru<Uint8Array>;

  constructor(
    private readonly sub: Sublevel,
    capacity: number,
  ) {
    this.lru = new Lru(capacity);
  }

  get(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.getById(keyId(hash));
  }

  async getById(id: string): Promise<Uint8Array | undefined> {
    const hit = this.lru.get(id);
    if (hit !== undefined) return hit;
    const v = await this.sub.get(keyIdBytes(id));
    if (v === undefined) return undefined;
    const enc = plain(v);
    this.remember(id, enc);
    return enc;
  }

  /** Many nodes with one LevelDB multi-get for the cache misses. */
  async getMany(hashes: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    const out: (Uint8Array | undefined)[] = new Array(hashes.length);
    const miss: number[] = [];
    hashes.forEach((h, i) => {
      const hit = this.lru.get(keyId(h));
      if (hit === undefined) miss.push(i);
      else out[i] = hit;
    });
    if (miss.length > 0) {
      const got = await this.sub.getMany(miss.map((i) => hashes[i]));
      miss.forEach((i, j) => {
        const v = got[j];
        if (v === undefined) return;
        out[i] = plain(v);
        this.remember(keyId(hashes[i]), out[i]!);
      });
    }
    return out;
  }

  /** Cache a node known to be on disk (content-addressed, so entries never go stale). */
  remember(id: string, enc: Uint8Array): void {
    this.lru.set(id, enc);
  }

  /** A read-only @ethereumjs/util `DB` over the committed nodes, for `createMPT`. */
  asEthereumDB(): DB<string, string | Uint8Array> {
    const readOnly = async (): Promise<never> => {
      throw ErrLogic.wrap('trie read views are read-only');
    };
    const db: DB<string, string | Uint8Array> = {
      get: (key: string) => this.get(Buffer.from(key, 'hex')),
      put: readOnly,
      del: readOnly,
      batch: (_ops: BatchDBOp<string, string | Uint8Array>[]) => readOnly(),
      shallowCopy: () => db,
      open: async () => {},
    };
    return db;
  }
}

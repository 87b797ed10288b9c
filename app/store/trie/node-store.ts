/**
 * Trie nodes on disk (the `trie` sublevel, node hash → RLP) behind a bounded LRU of
 * encoded nodes, shared by the writer and by @ethereumjs/mpt read views (through the
 * `DB` seam that library defines; its keys arrive as unprefixed hex).
 */
import type { BatchDBOp, DB } from '@ethereumjs/util';
import type { Sublevel } from '../db.js';
import { plain, toHex } from '../bytes.js';
import { ErrLogic } from '../../errors.js';

export class NodeStore {
  private readonly lru = new Map<string, Uint8Array>();

  constructor(
    private readonly sub: Sublevel,
    private readonly capacity: number,
  ) {}

  get(hash: Uint8Array): Promise<Uint8Array | undefined> {
    return this.getHex(toHex(hash));
  }

  async getHex(hex: string): Promise<Uint8Array | undefined> {
    const hit = this.lru.get(hex);
    if (hit !== undefined) {
      this.lru.delete(hex);
      this.lru.set(hex, hit);
      return hit;
    }
    const v = await this.sub.get(Buffer.from(hex, 'hex'));
    if (v === undefined) return undefined;
    const enc = plain(v);
    this.remember(hex, enc);
    return enc;
  }

  /** Cache a node known to be on disk (content-addressed, so entries never go stale). */
  remember(hex: string, enc: Uint8Array): void {
    if (this.capacity <= 0) return;
    this.lru.set(hex, enc);
    if (this.lru.size > this.capacity) this.lru.delete(this.lru.keys().next().value!);
  }

  /** A read-only @ethereumjs/util `DB` over the committed nodes, for `createMPT`. */
  asEthereumDB(): DB<string, string | Uint8Array> {
    const readOnly = async (): Promise<never> => {
      throw ErrLogic.wrap('trie read views are read-only');
    };
    const db: DB<string, string | Uint8Array> = {
      get: (key: string) => this.getHex(key),
      put: readOnly,
      del: readOnly,
      batch: (_ops: BatchDBOp<string, string | Uint8Array>[]) => readOnly(),
      shallowCopy: () => db,
      open: async () => {},
    };
    return db;
  }
}

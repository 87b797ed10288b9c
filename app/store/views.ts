/**
 * Read-only views of committed state. A past height reads through the trie at that root.
 * The latest height reads the flat index (fast, ordered) while no commit has started since
 * the view was made (see CommittedIndex); after that it falls back to the trie at the
 * view's root, which never changes.
 */
import type { MerklePatriciaTrie } from '@ethereumjs/mpt';
import type { IterateOptions, KVReader } from './types.js';
import type { Sublevel } from './db.js';
import type { CommittedIndex } from './committed.js';
import { plain } from './bytes.js';
import { keyRange, type KeyRange } from './range.js';
import { trieGet, walkRange } from './trie/reader.js';

export class TrieView implements KVReader {
  constructor(private readonly trie: MerklePatriciaTrie) {}

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return trieGet(this.trie, key);
  }

  async *iterate(prefix: Uint8Array, opts?: IterateOptions): AsyncGenerator<[Uint8Array, Uint8Array]> {
    const r = keyRange(prefix, opts);
    if (r !== undefined) yield* walkRange(this.trie, r);
  }
}

export class LatestView implements KVReader {
  private readonly epoch: number;
  private trie: Promise<TrieView> | undefined;

  /** `openTrie` is called only once the view is behind the index (CheckTx makes a view per tx; most never need it). */
  constructor(
    private readonly index: CommittedIndex,
    private readonly openTrie: () => Promise<TrieView>,
  ) {
    this.epoch = index.epoch;
  }

  private fallback(): Promise<TrieView> {
    this.trie ??= this.openTrie();
    return this.trie;
  }

  private get current(): boolean {
    return this.index.epoch === this.epoch && this.index.stable;
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.current) {
      const v = await this.index.get(key);
      if (this.current) return v;
    }
    return (await this.fallback()).get(key);
  }

  async *iterate(prefix: Uint8Array, opts?: IterateOptions): AsyncGenerator<[Uint8Array, Uint8Array]> {
    const r = keyRange(prefix, opts);
    if (r === undefined) return;
    if (!this.current) {
      yield* (await this.fallback()).iterate(prefix, opts);
      return;
    }
    yield* indexRange(this.index.sub, r);
  }
}

/** Ordered entries of the flat index in `r`; the LevelDB iterator snapshots on creation. */
export async function* indexRange(index: Sublevel, r: KeyRange): AsyncGenerator<[Uint8Array, Uint8Array]> {
  const it = index.iterator({ gte: r.lo, ...(r.hi === undefined ? {} : { lt: r.hi }), reverse: r.reverse, ...(r.limit === Infinity ? {} : { limit: r.limit }) });
  try {
    // small first read: many scans want one or a few entries
    for (let size = 16; ; size = 512) {
      const batch = await it.nextv(size);
      if (batch.length === 0) return;
      for (const [k, v] of batch) yield [plain(k), plain(v)];
    }
  } finally {
    await it.close();
  }
}

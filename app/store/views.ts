/**
 * Read-only views of committed state. A past height reads through the trie at that root.
 * The latest height reads the flat index (fast, ordered) as long as no commit has started
 * since the view was made; LevelDB reads take an implicit snapshot when issued, so a read
 * issued and completed within one commit epoch saw exactly that height. Otherwise it falls
 * back to the trie at the view's root, which never changes.
 */
import type { MerklePatriciaTrie } from '@ethereumjs/mpt';
import type { IterateOptions, KVReader } from './types.js';
import type { Sublevel } from './db.js';
import { plain } from './bytes.js';
import { keyRange, type KeyRange } from './range.js';
import { trieGet, walkRange } from './trie/reader.js';

/** Bumped when a commit starts and when it ends; odd while a commit is in flight. */
export interface CommitEpoch {
  readonly epoch: number;
}

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

  constructor(
    private readonly index: Sublevel,
    private readonly clock: CommitEpoch,
    private readonly fallback: TrieView,
  ) {
    this.epoch = clock.epoch;
  }

  private get current(): boolean {
    return this.clock.epoch === this.epoch && this.epoch % 2 === 0;
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.current) {
      const v = await this.index.get(key);
      if (this.current) return v === undefined ? undefined : plain(v);
    }
    return this.fallback.get(key);
  }

  async *iterate(prefix: Uint8Array, opts?: IterateOptions): AsyncGenerator<[Uint8Array, Uint8Array]> {
    const r = keyRange(prefix, opts);
    if (r === undefined) return;
    if (!this.current) {
      yield* this.fallback.iterate(prefix, opts);
      return;
    }
    yield* indexRange(this.index, r);
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

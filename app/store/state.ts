/**
 * The chain state (DESIGN §3): one Merkle Patricia trie whose root is the app hash, a flat
 * index of the latest state for ordered scans, and a layered in-memory overlay for the
 * block in progress. `commit` writes all of it, plus the caller's block-store ops, in one
 * LevelDB batch. See README.md in this folder for the on-disk layout.
 */
import type { BatchOp, IterateOptions, KVReader, StateStore, StoreProof } from './types.js';
import type { AbstractBatchOperation } from 'abstract-level';
import type { ChainDB, ChainLevel } from './db.js';
import { assertKey, assertValue, keyId } from './bytes.js';
import { keyRange } from './range.js';
import { mergeOrdered } from './merge.js';
import { Overlay } from './overlay.js';
import { applyWrites, type Applied } from './working.js';
import { loadMeta, rootAt, type StoreMeta } from './meta.js';
import { commitBatch } from './commit.js';
import { LatestView, TrieView, indexRange } from './views.js';
import { CommittedIndex } from './committed.js';
import { NodeStore } from './trie/node-store.js';
import { TrieWriter } from './trie/writer.js';
import { EMPTY_ROOT } from './trie/hash.js';
import { trieAt, trieProof } from './trie/reader.js';
import { ErrIO, ErrInvalidHeight, ErrLogic } from '../errors.js';

export interface StateStoreOptions {
  /**
   * Keep the roots of this many recent heights queryable (0 = all, the default). Older
   * heights are refused by readAt/prove. Trie nodes are not garbage-collected yet: pruning
   * bounds what is served, not disk use.
   */
  keepRecent?: number;
  /** Encoded trie nodes kept in memory (LRU); default 100,000 (~40 MB). */
  nodeCacheSize?: number;
  /** Latest committed values kept in memory (LRU); default 200,000 (~60 MB). */
  valueCacheSize?: number;
  /** Close the ChainDB in close() (default false: whoever opened it closes it). */
  closeDB?: boolean;
}

export async function createStateStore(db: ChainDB, opts: StateStoreOptions = {}): Promise<StateStore> {
  const keepRecent = opts.keepRecent ?? 0;
  if (!Number.isInteger(keepRecent) || keepRecent < 0) throw ErrLogic.wrap(`keepRecent must be a non-negative integer, got ${keepRecent}`);
  const meta = await loadMeta(db.meta, EMPTY_ROOT);
  return new MerkleStateStore(db, meta, { ...opts, keepRecent });
}

class MerkleStateStore implements StateStore {
  private readonly nodes: NodeStore;
  private readonly writer: TrieWriter;
  private readonly overlay = new Overlay();
  private readonly applied: Applied = new Map();
  private committed: boolean;
  private earliest: number;
  private _height: number;
  private _root: Uint8Array;
  /** Bumped by every write or revert; the working root is cached per version. */
  private version = 0;
  private rootVersion = -1;
  private cachedRoot: Uint8Array = EMPTY_ROOT;
  /** Tail of the queue of trie-writer users (workingRoot, discard, commit): one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly index: CommittedIndex;
  private committing = false;

  constructor(
    private readonly db: ChainDB,
    m: StoreMeta,
    private readonly opts: StateStoreOptions & { keepRecent: number },
  ) {
    this.committed = m.committed;
    this._height = m.height;
    this._root = m.root;
    this.earliest = m.earliest;
    this.nodes = new NodeStore(db.trie, opts.nodeCacheSize ?? 100_000);
    this.index = new CommittedIndex(db.index, opts.valueCacheSize ?? 200_000);
    this.writer = new TrieWriter((h) => this.nodes.get(h), (hs) => this.nodes.getMany(hs), m.root, EMPTY_ROOT);
  }

  get height(): number {
    return this._height;
  }

  get committedRoot(): Uint8Array {
    return this._root;
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    assertKey(key);
    const id = keyId(key);
    const e = this.overlay.lookupId(id);
    if (e !== undefined) return e.value ?? undefined;
    return this.index.get(key, id);
  }

  async set(key: Uint8Array, value: Uint8Array): Promise<void> {
    assertKey(key);
    assertValue(value);
    this.assertIdle();
    this.overlay.write(key, value);
    this.version++;
  }

  async delete(key: Uint8Array): Promise<void> {
    assertKey(key);
    this.assertIdle();
    this.overlay.write(key, null);
    this.version++;
  }

  async *iterate(prefix: Uint8Array, opts?: IterateOptions): AsyncGenerator<[Uint8Array, Uint8Array]> {
    const r = keyRange(prefix, opts);
    if (r === undefined) return;
    const pending = this.overlay.range(r);
    yield* mergeOrdered(pending, indexRange(this.db.index, { ...r, limit: Infinity }), r.reverse, r.limit);
  }

  workingRoot(): Promise<Uint8Array> {
    return this.exclusive(() => this.computeRoot());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async computeRoot(): Promise<Uint8Array> {
    if (this.rootVersion === this.version) return this.cachedRoot;
    const version = this.version;
    await applyWrites(this.writer, this.overlay, this.applied, (k) => this.index.get(k));
    this.cachedRoot = this.writer.root();
    this.rootVersion = version;
    return this.cachedRoot;
  }



  checkpoint(): void {
    this.overlay.checkpoint();
  }

  async commitCheckpoint(): Promise<void> {
    if (this.overlay.depth <= 1) throw ErrLogic.wrap('commitCheckpoint without an open checkpoint');
    this.overlay.commitCheckpoint();
  }

  async revertCheckpoint(): Promise<void> {
    if (this.overlay.depth <= 1) throw ErrLogic.wrap('revertCheckpoint without an open checkpoint');
    this.overlay.revertCheckpoint();
    this.version++;
  }

  discard(): Promise<void> {
    return this.exclusive(async () => {
      this.overlay.clear();
      if (this.applied.size > 0) this.writer.reset(this._root, EMPTY_ROOT);
      this.applied.clear();
      this.version++;
    });
  }

  commit(height: number, extra: BatchOp[] = []): Promise<Uint8Array> {
    return this.exclusive(() => this.commitNow(height, extra));
  }

  private async commitNow(height: number, extra: BatchOp[]): Promise<Uint8Array> {
    if (!Number.isInteger(height) || height < 0 || (this.committed ? height <= this._height : height < this._height)) {
      throw ErrInvalidHeight.wrap(`cannot commit height ${height} after height ${this._height}${this.committed ? '' : ' (nothing committed yet)'}`);
    }
    if (this.overlay.depth > 1) throw ErrLogic.wrap(`commit with ${this.overlay.depth - 1} checkpoint(s) still open`);
    this.assertIdle();
    this.committing = true;
    try {
      return await this.persist(height, extra);
    } finally {
      this.committing = false;
    }
  }

  private assertIdle(): void {
    if (this.committing) throw ErrLogic.wrap('state written while a commit is in progress');
  }

  private async persist(height: number, extra: BatchOp[]): Promise<Uint8Array> {
    for (const op of extra) if (op.type === 'put' && op.value === undefined) throw ErrLogic.wrap('a put in the commit batch has no value');
    const root = await this.computeRoot();
    const written = this.writer.pendingNodes();
    const entries = this.overlay.entriesById();
    const { ops, earliest } = await commitBatch(this.db, {
      height,
      root,
      nodes: written,
      entries,
      earliest: this.committed ? this.earliest : undefined,
      keepRecent: this.opts.keepRecent,
      extra,
    });
    let ok = false;
    this.index.beginCommit();
    try {
      // BatchOp is abstract-level's sublevel op shape, with `value` optional on its type only
      await this.db.level.batch(ops as unknown as AbstractBatchOperation<ChainLevel, Uint8Array, Uint8Array>[]);
      ok = true;
    } catch (err) {
      throw ErrIO.wrap(`commit of height ${height} failed, nothing was written (${err instanceof Error ? err.message : String(err)})`);
    } finally {
      this.index.endCommit(ok ? entries : []);
    }
    for (const n of written) this.nodes.remember(keyId(n.hash!), n.enc!);
    this.writer.settle(written);
    this.overlay.clear();
    this.applied.clear();
    this.committed = true;
    this._height = height;
    this._root = root;
    this.earliest = earliest;
    this.version++;
    return root;
  }

  async readAt(height?: number): Promise<KVReader> {
    const h = height ?? this._height;
    const root = await this.rootOf(h);
    const open = async () => new TrieView(await trieAt(this.nodes, root));
    return h === this._height ? new LatestView(this.index, open) : open();
  }

  async prove(key: Uint8Array, height?: number): Promise<StoreProof> {
    assertKey(key);
    const h = height ?? this._height;
    const root = await this.rootOf(h);
    const { value, proof } = await trieProof(await trieAt(this.nodes, root), key);
    return { height: h, root, key: key.slice(), value, proof };
  }

  keptHeights(): { earliest: number; latest: number } {
    return { earliest: this.committed ? this.earliest : this._height, latest: this._height };
  }

  async close(): Promise<void> {
    if (this.opts.closeDB) await this.db.close();
  }

  private async rootOf(h: number): Promise<Uint8Array> {
    if (h === this._height) return this._root;
    const { earliest, latest } = this.keptHeights();
    const refuse = () => ErrInvalidHeight.wrap(`height ${h} is not kept: queryable heights are ${earliest}..${latest}`);
    if (!Number.isInteger(h) || h < earliest || h > latest) throw refuse();
    const root = await rootAt(this.db.meta, h);
    if (root === undefined) throw refuse();
    return root;
  }
}

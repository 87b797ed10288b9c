/**
 * The state-store seam. Modules see only `KVStore` (usually a prefix store wrapped in a
 * gas meter); block execution sees `StateStore`. Keys are `<module>/<record>/<id>` bytes,
 * values protobuf bytes (DESIGN §3). Everything is async because the tree reads LevelDB.
 */
import type { AbstractSublevel } from 'abstract-level';

export interface IterateOptions {
  /** Iterate in descending key order. */
  reverse?: boolean;
  /** Stop after this many entries. */
  limit?: number;
  /** Inclusive lower bound (full key), within the prefix. */
  start?: Uint8Array;
  /** Exclusive upper bound (full key), within the prefix. */
  end?: Uint8Array;
}

export interface KVReader {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Entries whose key starts with `prefix`, in byte-wise key order. Keys are full keys. */
  iterate(prefix: Uint8Array, opts?: IterateOptions): AsyncIterable<[Uint8Array, Uint8Array]>;
}

export interface KVStore extends KVReader {
  set(key: Uint8Array, value: Uint8Array): Promise<void>;
  delete(key: Uint8Array): Promise<void>;
}

/** A LevelDB write that must land in the same atomic batch as a state commit (e.g. the block store). */
export interface BatchOp {
  type: 'put' | 'del';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  sublevel: AbstractSublevel<any, any, Uint8Array, Uint8Array>;
  key: Uint8Array;
  value?: Uint8Array;
}

export interface StoreProof {
  /** Height whose app hash the proof is against. */
  height: number;
  /** The app hash (trie root) at `height`. */
  root: Uint8Array;
  key: Uint8Array;
  /** The value, or undefined when the proof shows absence. */
  value: Uint8Array | undefined;
  /** Trie nodes as returned by @ethereumjs/mpt `createMerkleProof`. */
  proof: Uint8Array[];
}

/**
 * The Merkle state of the chain: one tree, one commit per block (app hash = root),
 * nested checkpoints for per-tx revert, read views at any kept past height.
 */
export interface StateStore extends KVStore {
  /** Last committed height (0 before the first commit). */
  readonly height: number;
  /** Root after the last commit. */
  readonly committedRoot: Uint8Array;
  /** Root including uncommitted writes (the app hash this block will commit). */
  workingRoot(): Promise<Uint8Array>;
  /** Open a nested checkpoint; every checkpoint must be closed with commitCheckpoint or revertCheckpoint. */
  checkpoint(): void;
  commitCheckpoint(): Promise<void>;
  revertCheckpoint(): Promise<void>;
  /** Discard every uncommitted write since the last commit (a block that failed mid-way). */
  discard(): Promise<void>;
  /**
   * Persist the working state as `height` in one atomic LevelDB batch together with `extra`
   * (block store records). After a crash either all of it is on disk or none.
   */
  commit(height: number, extra?: BatchOp[]): Promise<Uint8Array>;
  /** Read-only view of the committed state at `height` (default: latest). Throws ErrInvalidHeight if not kept. */
  readAt(height?: number): Promise<KVReader>;
  /** Inclusion or exclusion proof of `key` against the app hash at `height` (default latest). */
  prove(key: Uint8Array, height?: number): Promise<StoreProof>;
  /** Heights still queryable. */
  keptHeights(): { earliest: number; latest: number };
  close(): Promise<void>;
}

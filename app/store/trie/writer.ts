/**
 * The write side of the state trie: puts and deletes on in-memory nodes, loaded on demand,
 * hashed once at `root()`. Produces exactly the canonical Ethereum MPT that @ethereumjs/mpt
 * builds with `useKeyHashing: false` (a property test pins the roots equal), so proofs are
 * made and checked by that library.
 */
import { branch, decodeNode, ext, leaf, markDirty, type BranchNode, type LoadedNode, type TrieNode } from './node.js';
import { freshNodes, rootHash } from './hash.js';
import { toNibbles } from './rlp.js';
import { prefetchPaths, type LoadMany } from './prefetch.js';
import { equalBytes } from '../bytes.js';
import { ErrIO } from '../../errors.js';

export type LoadNode = (hash: Uint8Array) => Promise<Uint8Array | undefined>;

/** Thrown (and caught) inside the synchronous insert when the path meets a node not in memory. */
const NOT_LOADED: unique symbol = Symbol('trie node not loaded');

export class TrieWriter {
  private top: TrieNode | null;
  /** Nibble paths written since the last settle(). */
  private touched: Uint8Array[] = [];

  constructor(
    private readonly load: LoadNode,
    private readonly loadMany: LoadMany,
    root: Uint8Array,
    emptyRoot: Uint8Array,
  ) {
    this.top = equalBytes(root, emptyRoot) ? null : { kind: 'hash', hash: root };
  }

  /** Forget in-memory state and start from a committed root. */
  reset(root: Uint8Array, emptyRoot: Uint8Array): void {
    this.top = equalBytes(root, emptyRoot) ? null : { kind: 'hash', hash: root };
    this.touched = [];
  }

  /** Load the stored nodes on the paths of `keys` in one multi-get per trie level. */
  async prefetch(keys: Uint8Array[]): Promise<void> {
    const holder = { root: this.top };
    await prefetchPaths(holder, keys, this.loadMany);
    this.top = holder.root;
  }

  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    if (this.tryPut(key, value)) return;
    const path = toNibbles(key);
    this.touched.push(path);
    this.top = await this.insert(this.top, path, value);
  }

  /**
   * `put` without awaiting, when every node on the key's path is already in memory (after
   * `prefetch`, nearly always): false, with the trie unchanged, if one is not. The async
   * recursion allocated a promise and a frame per level, the largest source of garbage in
   * block commit (bench:exec heap profile, ~15% of the block's allocations).
   */
  tryPut(key: Uint8Array, value: Uint8Array): boolean {
    const path = toNibbles(key);
    let top: TrieNode;
    try {
      top = this.insertLoaded(this.top, path, 0, value);
    } catch (err) {
      if (err === NOT_LOADED) return false;
      throw err;
    }
    this.touched.push(path);
    this.top = top;
    return true;
  }

  async del(key: Uint8Array): Promise<void> {
    const path = toNibbles(key);
    this.touched.push(path);
    const r = await this.remove(this.top, path);
    if (r !== undefined) this.top = r;
  }

  /** The root hash, hashing every node changed since the last call. */
  root(): Uint8Array {
    return rootHash(this.top);
  }

  /** Nodes to write for the current root (call root() first): [hash, RLP] pairs. */
  pendingNodes(): LoadedNode[] {
    return freshNodes(this.top);
  }

  /**
   * After `written` is on disk: clear the `fresh` marks, and along the paths written since
   * the last settle drop stored encodings and unload stored leaves. Branches and extensions
   * (about 1 node in 8 for random keys) stay decoded between blocks; leaves, the bulk of the
   * trie, are re-read through the node cache. Work is O(paths written), not O(trie).
   */
  settle(written: LoadedNode[]): void {
    for (const n of written) n.fresh = false;
    for (const path of this.touched) settlePath(this.top, path);
    this.touched = [];
  }

  private async resolve(n: TrieNode): Promise<LoadedNode> {
    if (n.kind !== 'hash') return n;
    const enc = await this.load(n.hash);
    if (enc === undefined) throw ErrIO.wrap(`trie node ${Buffer.from(n.hash).toString('hex')} is missing from the database`);
    return decodeNode(n.hash, enc);
  }

  private async insert(node: TrieNode | null, path: Uint8Array, value: Uint8Array): Promise<TrieNode> {
    if (node === null) return leaf(path, value);
    const n = await this.resolve(node);
    if (n.kind === 'branch') {
      if (path.length === 0) {
        if (n.value === null || !equalBytes(n.value, value)) {
          n.value = value;
          markDirty(n);
        }
        return n;
      }
      n.kids[path[0]] = await this.insert(n.kids[path[0]], path.subarray(1), value);
      markDirty(n);
      return n;
    }
    const c = commonPrefix(n.path, path);
    if (n.kind === 'leaf' && c === n.path.length && c === path.length) {
      if (!equalBytes(n.value, value)) {
        n.value = value;
        markDirty(n);
      }
      return n;
    }
    if (n.kind === 'ext' && c === n.path.length) {
      n.child = await this.insert(n.child, path.subarray(c), value);
      markDirty(n);
      return n;
    }
    // paths diverge at nibble c: a branch there holds the old node's rest and the new leaf
    const b = branch();
    if (n.kind === 'leaf') place(b, n.path.subarray(c), n.value);
    else {
      const rest = n.path.subarray(c + 1);
      b.kids[n.path[c]] = rest.length > 0 ? ext(rest, n.child) : n.child;
    }
    place(b, path.subarray(c), value);
    return c > 0 ? ext(path.subarray(0, c), b) : b;
  }

  /**
   * `insert` of `path[at..]` over loaded nodes only. Throws NOT_LOADED on a stored node not in
   * memory before changing anything: every change is made on the way back up.
   */
  private insertLoaded(node: TrieNode | null, path: Uint8Array, at: number, value: Uint8Array): TrieNode {
    if (node === null) return leaf(path.subarray(at), value);
    if (node.kind === 'hash') throw NOT_LOADED;
    const n = node;
    if (n.kind === 'branch') {
      if (at === path.length) {
        if (n.value === null || !equalBytes(n.value, value)) {
          n.value = value;
          markDirty(n);
        }
        return n;
      }
      const i = path[at];
      const kid = this.insertLoaded(n.kids[i], path, at + 1, value);
      n.kids[i] = kid;
      markDirty(n);
      return n;
    }
    const c = commonPrefixAt(n.path, path, at);
    if (n.kind === 'leaf' && c === n.path.length && c === path.length - at) {
      if (!equalBytes(n.value, value)) {
        n.value = value;
        markDirty(n);
      }
      return n;
    }
    if (n.kind === 'ext' && c === n.path.length) {
      const child = this.insertLoaded(n.child, path, at + c, value);
      n.child = child;
      markDirty(n);
      return n;
    }
    const b = branch();
    if (n.kind === 'leaf') place(b, n.path.subarray(c), n.value);
    else {
      const rest = n.path.subarray(c + 1);
      b.kids[n.path[c]] = rest.length > 0 ? ext(rest, n.child) : n.child;
    }
    place(b, path.subarray(at + c), value);
    return c > 0 ? ext(path.subarray(at, at + c), b) : b;
  }

  /** The replacement node, null if the subtree became empty, undefined if `path` was absent. */
  private async remove(node: TrieNode | null, path: Uint8Array): Promise<TrieNode | null | undefined> {
    if (node === null) return undefined;
    const n = await this.resolve(node);
    if (n.kind === 'leaf') return equalBytes(n.path, path) ? null : undefined;
    if (n.kind === 'ext') {
      if (commonPrefix(n.path, path) !== n.path.length) return undefined;
      const child = await this.remove(n.child, path.subarray(n.path.length));
      if (child === undefined) return undefined;
      return child === null ? null : this.joinPath(n.path, child);
    }
    if (path.length === 0) {
      if (n.value === null) return undefined;
      n.value = null;
    } else {
      const kid = n.kids[path[0]];
      const r = await this.remove(kid, path.subarray(1));
      if (r === undefined) return undefined;
      n.kids[path[0]] = r;
    }
    markDirty(n);
    return this.collapse(n);
  }

  /** A branch left with one entry becomes a leaf or an extension (the trie stays canonical). */
  private async collapse(n: BranchNode): Promise<TrieNode | null> {
    let only = -1;
    let count = 0;
    for (let i = 0; i < 16; i++) {
      if (n.kids[i] !== null) {
        count++;
        only = i;
      }
    }
    if (count + (n.value === null ? 0 : 1) >= 2) return n;
    if (count === 0) return n.value === null ? null : leaf(new Uint8Array(0), n.value);
    return this.joinPath(Uint8Array.of(only), n.kids[only]!);
  }

  /** `prefix` followed by `child`, merging into the child's own path where it has one. */
  private async joinPath(prefix: Uint8Array, child: TrieNode): Promise<TrieNode> {
    const c = await this.resolve(child);
    if (c.kind === 'branch') return ext(prefix, c);
    const path = new Uint8Array(prefix.length + c.path.length);
    path.set(prefix);
    path.set(c.path, prefix.length);
    return c.kind === 'leaf' ? leaf(path, c.value) : ext(path, c.child);
  }
}

function place(b: BranchNode, path: Uint8Array, value: Uint8Array): void {
  if (path.length === 0) b.value = value;
  else b.kids[path[0]] = leaf(path.subarray(1), value);
}

/** Length of the common prefix of `a` and `b[at..]`. */
function commonPrefixAt(a: Uint8Array, b: Uint8Array, at: number): number {
  const n = Math.min(a.length, b.length - at);
  let i = 0;
  while (i < n && a[i] === b[at + i]) i++;
  return i;
}

function commonPrefix(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Stored on disk (so a hash reference suffices), as opposed to inlined in its parent. */
function stored(n: LoadedNode): boolean {
  return n.hash !== undefined && (n.enc === undefined || n.enc.length >= 32);
}

function settlePath(top: TrieNode | null, path: Uint8Array): void {
  let n = top;
  let at = 0;
  while (n !== null && n.kind !== 'hash') {
    if (stored(n)) n.enc = undefined;
    let child: TrieNode | null;
    if (n.kind === 'leaf') return;
    if (n.kind === 'ext') {
      if (commonPrefix(n.path, path.subarray(at)) !== n.path.length) return;
      at += n.path.length;
      child = n.child;
      if (child.kind === 'leaf' && stored(child)) n.child = { kind: 'hash', hash: child.hash! };
    } else {
      if (at >= path.length) return;
      const i = path[at++];
      child = n.kids[i];
      if (child !== null && child.kind === 'leaf' && stored(child)) n.kids[i] = { kind: 'hash', hash: child.hash! };
    }
    n = child;
  }
}

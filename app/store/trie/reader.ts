/**
 * Read views of a committed root through @ethereumjs/mpt itself (get, proofs, node lookup),
 * so what we serve is what that library, and so an auditor, reads from the same nodes.
 */
import { createMPT, createMerkleProof, BranchMPTNode, ExtensionMPTNode, type MerklePatriciaTrie, type MPTNode, type NodeReferenceOrRawMPTNode } from '@ethereumjs/mpt';
import { ValueEncoding } from '@ethereumjs/util';
import type { NodeStore } from './node-store.js';
import type { KeyRange } from '../range.js';
import { inRange } from '../range.js';
import { plain } from '../bytes.js';
import { fromNibbles, toNibbles } from './rlp.js';

export function trieAt(nodes: NodeStore, root: Uint8Array): Promise<MerklePatriciaTrie> {
  // keys are not hashed so the trie orders them (prefix iteration) and the proof op is `guts:mpt`
  return createMPT({ db: nodes.asEthereumDB(), root, useKeyHashing: false, valueEncoding: ValueEncoding.Bytes });
}

export async function trieGet(trie: MerklePatriciaTrie, key: Uint8Array): Promise<Uint8Array | undefined> {
  if (isEmpty(trie)) return undefined;
  // throwIfMissing: a missing node is a corrupt database, never "absent"
  const v = await trie.get(key, true);
  return v === null ? undefined : plain(v);
}

export async function trieProof(trie: MerklePatriciaTrie, key: Uint8Array): Promise<{ value: Uint8Array | undefined; proof: Uint8Array[] }> {
  if (isEmpty(trie)) return { value: undefined, proof: [] };
  return { value: await trieGet(trie, key), proof: await createMerkleProof(trie, key) };
}

/**
 * Entries of `r` in key order (raw keys make trie order byte order), visiting only subtrees
 * that can hold keys in range. A branch's own value sorts before its children.
 */
export async function* walkRange(trie: MerklePatriciaTrie, r: KeyRange): AsyncGenerator<[Uint8Array, Uint8Array]> {
  if (r.limit <= 0 || isEmpty(trie)) return;
  const lo = toNibbles(r.lo);
  const hi = r.hi === undefined ? undefined : toNibbles(r.hi);
  const overlaps = (path: number[]): boolean => {
    if (comparePrefix(path, lo) < 0) return false;
    if (hi === undefined) return true;
    const c = comparePrefix(path, hi);
    return c < 0 || (c === 0 && path.length < hi.length);
  };
  let emitted = 0;
  async function* visit(ref: NodeReferenceOrRawMPTNode, path: number[]): AsyncGenerator<[Uint8Array, Uint8Array]> {
    const node: MPTNode = await trie.lookupNode(ref);
    if (node instanceof BranchMPTNode) {
      const own = node.value();
      const ownEntry = own !== null && own.length > 0 && path.length % 2 === 0 ? entry(path, own) : undefined;
      if (!r.reverse && ownEntry) yield ownEntry;
      for (let j = 0; j < 16 && emitted < r.limit; j++) {
        const i = r.reverse ? 15 - j : j;
        const child = node.getBranch(i);
        const childPath = [...path, i];
        if (child !== null && child.length > 0 && overlaps(childPath)) yield* visit(child, childPath);
      }
      if (r.reverse && ownEntry && emitted < r.limit) yield ownEntry;
    } else if (node instanceof ExtensionMPTNode) {
      const childPath = [...path, ...node.key()];
      if (overlaps(childPath)) yield* visit(node.value(), childPath);
    } else {
      const full = [...path, ...node.key()];
      if (full.length % 2 === 0) {
        const e = entry(full, node.value());
        if (e) yield e;
      }
    }
  }
  function entry(path: number[], value: Uint8Array): [Uint8Array, Uint8Array] | undefined {
    const key = fromNibbles(path);
    if (!inRange(key, r)) return undefined;
    return [key, plain(value)];
  }
  for await (const e of visit(trie.root(), [])) {
    yield e;
    if (++emitted >= r.limit) return;
  }
}

function isEmpty(trie: MerklePatriciaTrie): boolean {
  const root = trie.root();
  const empty = trie.EMPTY_TRIE_ROOT;
  return root.length === empty.length && root.every((b, i) => b === empty[i]);
}

/** Compare `path` with the same-length prefix of `bound` (shorter bound compares as its own length). */
function comparePrefix(path: number[], bound: Uint8Array): number {
  const n = Math.min(path.length, bound.length);
  for (let i = 0; i < n; i++) if (path[i] !== bound[i]) return path[i] - bound[i];
  return path.length > bound.length ? 1 : 0;
}

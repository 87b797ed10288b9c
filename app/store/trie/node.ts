/**
 * In-memory Merkle Patricia trie nodes (Ethereum Yellow Paper, appendix D). A node whose
 * `hash` is set is stored on disk (or about to be: `fresh`, hashed since the last commit);
 * `enc` caches its encoding. Mutating a node clears both.
 */
import { decodeHexPrefix, decodeRlp, type RlpItem } from './rlp.js';
import { ErrIO } from '../../errors.js';

interface Cached {
  enc?: Uint8Array;
  hash?: Uint8Array;
  fresh?: boolean;
}
export interface LeafNode extends Cached {
  kind: 'leaf';
  path: Uint8Array;
  value: Uint8Array;
}
export interface ExtNode extends Cached {
  kind: 'ext';
  path: Uint8Array;
  child: TrieNode;
}
export interface BranchNode extends Cached {
  kind: 'branch';
  kids: (TrieNode | null)[];
  value: Uint8Array | null;
}
/** A stored node not loaded yet. */
export interface HashNode {
  kind: 'hash';
  hash: Uint8Array;
}
export type TrieNode = LeafNode | ExtNode | BranchNode | HashNode;
export type LoadedNode = Exclude<TrieNode, HashNode>;

export const leaf = (path: Uint8Array, value: Uint8Array): LeafNode => ({ kind: 'leaf', path, value });
export const ext = (path: Uint8Array, child: TrieNode): ExtNode => ({ kind: 'ext', path, child });
export const branch = (): BranchNode => ({ kind: 'branch', kids: new Array(16).fill(null), value: null });

export function markDirty(n: LoadedNode): void {
  n.enc = undefined;
  n.hash = undefined;
  n.fresh = false;
}

type Raw = RlpItem;

/** Decode a stored node; it is clean, with its known hash. */
export function decodeNode(hash: Uint8Array, enc: Uint8Array): LoadedNode {
  let raw: Raw;
  try {
    raw = decodeRlp(enc);
  } catch (err) {
    throw ErrIO.wrap(`corrupt trie node: ${err instanceof Error ? err.message : String(err)}`);
  }
  const n = fromRaw(raw);
  n.hash = hash;
  return n;
}

function fromRaw(raw: Raw): LoadedNode {
  if (!Array.isArray(raw)) throw ErrIO.wrap('corrupt trie node: expected a list');
  if (raw.length === 17) {
    const b = branch();
    for (let i = 0; i < 16; i++) b.kids[i] = childRef(raw[i]);
    const v = raw[16];
    b.value = v instanceof Uint8Array && v.length > 0 ? v : null;
    return b;
  }
  if (raw.length === 2 && raw[0] instanceof Uint8Array) {
    const { leaf: isLeaf, nibbles } = decodeHexPrefix(raw[0]);
    if (isLeaf && raw[1] instanceof Uint8Array) return leaf(nibbles, raw[1]);
    const child = childRef(raw[1]);
    if (child !== null) return ext(nibbles, child);
  }
  throw ErrIO.wrap(`corrupt trie node: list of ${raw.length} items`);
}

function childRef(raw: Raw): TrieNode | null {
  if (Array.isArray(raw)) return fromRaw(raw);
  if (raw.length === 0) return null;
  if (raw.length === 32) return { kind: 'hash', hash: raw };
  throw ErrIO.wrap(`corrupt trie node: child reference of ${raw.length} bytes`);
}

/**
 * Node encoding and hashing, once per dirty node per commit. @ethereumjs/mpt re-hashes every
 * node on the path at each put (measured ~1,500 puts/s on a 20k-entry trie on the dev box,
 * see bench/store.ts); deferring the hashing to commit is what makes block commit fast.
 */
import type { LoadedNode, TrieNode } from './node.js';
import { keccak256 } from './keccak.js';
import { headerSize, hexPrefix, stringSize, writeHeader, writeString } from './rlp.js';

const RLP_EMPTY = 0x80;

/** keccak256(rlp('')): the root of the empty trie (KECCAK256_RLP in @ethereumjs/util). */
export const EMPTY_ROOT: Uint8Array = keccak256(Uint8Array.of(RLP_EMPTY));

/**
 * How a parent refers to `n`: its hash (32 bytes, written as an RLP string), or its
 * encoding inline when that is shorter than 32 bytes (so a length < 32 means "inline").
 */
function childRef(n: TrieNode): Uint8Array {
  if (n.kind === 'hash') return n.hash;
  if (n.enc === undefined && n.hash !== undefined) return n.hash; // stored, encoding dropped
  const enc = encodeNode(n);
  return enc.length < 32 ? enc : hashNode(n);
}

const refSize = (r: Uint8Array | null): number => (r === null ? 1 : r.length === 32 ? 33 : r.length);

function writeRef(out: Uint8Array, o: number, r: Uint8Array | null): number {
  if (r === null) {
    out[o] = RLP_EMPTY;
    return o + 1;
  }
  if (r.length === 32) return writeString(out, o, r);
  out.set(r, o);
  return o + r.length;
}

export function encodeNode(n: LoadedNode): Uint8Array {
  if (n.enc !== undefined) return n.enc;
  let enc: Uint8Array;
  if (n.kind === 'branch') {
    const refs: (Uint8Array | null)[] = new Array(16);
    let len = n.value === null ? 1 : stringSize(n.value);
    for (let i = 0; i < 16; i++) {
      const k = n.kids[i];
      refs[i] = k === null ? null : childRef(k);
      len += refSize(refs[i]);
    }
    enc = new Uint8Array(headerSize(len) + len);
    let o = writeHeader(enc, 0, 0xc0, len);
    for (let i = 0; i < 16; i++) o = writeRef(enc, o, refs[i]);
    if (n.value === null) enc[o] = RLP_EMPTY;
    else writeString(enc, o, n.value);
  } else {
    const path = hexPrefix(n.path, n.kind === 'leaf');
    const second = n.kind === 'leaf' ? n.value : childRef(n.child);
    const secondSize = n.kind === 'leaf' ? stringSize(second) : refSize(second);
    const len = stringSize(path) + secondSize;
    enc = new Uint8Array(headerSize(len) + len);
    const o = writeString(enc, writeHeader(enc, 0, 0xc0, len), path);
    if (n.kind === 'leaf') writeString(enc, o, second);
    else writeRef(enc, o, second);
  }
  n.enc = enc;
  return enc;
}

/** The node's hash; a newly computed hash marks the node `fresh` (to be written). */
export function hashNode(n: LoadedNode): Uint8Array {
  if (n.hash !== undefined) return n.hash;
  n.hash = keccak256(encodeNode(n));
  n.fresh = true;
  return n.hash;
}

export function rootHash(root: TrieNode | null): Uint8Array {
  if (root === null) return EMPTY_ROOT;
  return root.kind === 'hash' ? root.hash : hashNode(root);
}

/** Nodes hashed since the last commit and reachable from `root`: exactly what a commit writes. */
export function freshNodes(root: TrieNode | null): LoadedNode[] {
  const out: LoadedNode[] = [];
  const stack: TrieNode[] = root === null ? [] : [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === 'hash' || !n.fresh) continue;
    out.push(n);
    if (n.kind === 'ext') stack.push(n.child);
    else if (n.kind === 'branch') for (const k of n.kids) if (k !== null) stack.push(k);
  }
  return out;
}

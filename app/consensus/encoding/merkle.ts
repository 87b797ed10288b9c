/**
 * CometBFT's simple Merkle tree (crypto/merkle/tree.go), RFC 6962 §2.1: leaves are
 * hashed as SHA-256(0x00 ‖ leaf), inner nodes as SHA-256(0x01 ‖ left ‖ right), the
 * split point is the largest power of two below the leaf count, and the empty tree
 * hashes to SHA-256(""). Browser-safe: used by the SDK's proof and light-client code.
 */
import { sha256 } from '@noble/hashes/sha2.js';

const LEAF_PREFIX = 0;
const INNER_PREFIX = 1;

export function emptyHash(): Uint8Array {
  return sha256(new Uint8Array(0));
}

export function leafHash(leaf: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + leaf.length);
  buf[0] = LEAF_PREFIX;
  buf.set(leaf, 1);
  return sha256(buf);
}

export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = INNER_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

/** Largest power of two strictly less than `n` (n ≥ 2), RFC 6962 §2.1 `k`. */
export function splitPoint(n: number): number {
  if (n < 2) throw new RangeError(`splitPoint needs at least 2 leaves, got ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Merkle root of `items` in order (CometBFT `merkle.HashFromByteSlices`). */
export function hashFromByteSlices(items: readonly Uint8Array[]): Uint8Array {
  switch (items.length) {
    case 0:
      return emptyHash();
    case 1:
      return leafHash(items[0]);
    default: {
      const k = splitPoint(items.length);
      return innerHash(hashFromByteSlices(items.slice(0, k)), hashFromByteSlices(items.slice(k)));
    }
  }
}

/** CometBFT `merkle.Proof`: the aunts are ordered from the leaf upwards. */
export interface MerkleProof {
  total: number;
  index: number;
  leafHash: Uint8Array;
  aunts: Uint8Array[];
}

/** Root and one inclusion proof per item (CometBFT `merkle.ProofsFromByteSlices`). */
export function proofsFromByteSlices(items: readonly Uint8Array[]): { root: Uint8Array; proofs: MerkleProof[] } {
  const leaves = items.map(leafHash);
  const aunts: Uint8Array[][] = items.map(() => []);
  const build = (lo: number, hi: number): Uint8Array => {
    const n = hi - lo;
    if (n === 0) return emptyHash();
    if (n === 1) return leaves[lo];
    const k = splitPoint(n);
    const left = build(lo, lo + k);
    const right = build(lo + k, hi);
    for (let i = lo; i < lo + k; i++) aunts[i].push(right);
    for (let i = lo + k; i < hi; i++) aunts[i].push(left);
    return innerHash(left, right);
  };
  const root = build(0, items.length);
  const proofs = items.map((_, i) => ({ total: items.length, index: i, leafHash: leaves[i], aunts: aunts[i] }));
  return { root, proofs };
}

/** Root implied by a proof for `leaf` (CometBFT `Proof.Verify` computes the same). */
export function computeRootFromProof(proof: MerkleProof, leaf: Uint8Array): Uint8Array | undefined {
  const fromAunts = (index: number, total: number, lh: Uint8Array, aunts: Uint8Array[]): Uint8Array | undefined => {
    if (index >= total || index < 0 || total <= 0) return undefined;
    if (total === 1) return aunts.length === 0 ? lh : undefined;
    if (aunts.length === 0) return undefined;
    const k = splitPoint(total);
    const last = aunts[aunts.length - 1];
    const rest = aunts.slice(0, -1);
    if (index < k) {
      const left = fromAunts(index, k, lh, rest);
      return left && innerHash(left, last);
    }
    const right = fromAunts(index - k, total - k, lh, rest);
    return right && innerHash(last, right);
  };
  return fromAunts(proof.index, proof.total, leafHash(leaf), proof.aunts);
}

/**
 * Block ids as map keys, and the checks every id on the wire must pass
 * (CometBFT `BlockID.ValidateBasic`: a 32-byte hash, a part-set header with a 32-byte
 * hash and at least one part; or entirely empty for a nil vote).
 */
import { PartSetHeader, type BlockID } from 'cosmjs-types/tendermint/types/types';
import { makePartSet } from '../encoding/block.js';
import { isZeroBlockId } from '../encoding/canonical.js';
import { bytesEqual, compareBytes } from '../validators.js';

export const HASH_LENGTH = 32;
/** A block of at most maxBlockBytes has at most this many 64 KiB parts (CometBFT types.MaxBlockPartsCount). */
export const MAX_BLOCK_PARTS = 1601;

export const NIL_KEY = '';

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

const keyCache = new WeakMap<BlockID, string>();

/** Stable map key of a block id; '' for nil. Memoized per object: messages are never mutated once decoded. */
export function blockKey(id: BlockID | undefined): string {
  if (!id || isZeroBlockId(id)) return NIL_KEY;
  let k = keyCache.get(id);
  if (k === undefined) {
    k = `${toHex(id.hash)}:${id.partSetHeader.total}:${toHex(id.partSetHeader.hash)}`;
    keyCache.set(id, k);
  }
  return k;
}

export const ZERO_BLOCK_ID: BlockID = Object.freeze({
  hash: new Uint8Array(0),
  partSetHeader: Object.freeze({ total: 0, hash: new Uint8Array(0) }),
}) as BlockID;

/** True for a nil id or a well-formed one. */
export function wellFormedBlockId(id: BlockID | undefined): boolean {
  if (!id || !id.partSetHeader) return false;
  if (isZeroBlockId(id)) return true;
  const psh = id.partSetHeader;
  return id.hash.length === HASH_LENGTH && psh.hash.length === HASH_LENGTH && Number.isInteger(psh.total) && psh.total >= 1 && psh.total <= MAX_BLOCK_PARTS;
}

/**
 * CometBFT `BlockID.Key()`: hash ‖ proto(PartSetHeader). DuplicateVoteEvidence orders
 * its two votes by this key (types/evidence.go NewDuplicateVoteEvidence).
 */
export function blockIdKeyBytes(id: BlockID): Uint8Array {
  const psh = PartSetHeader.encode(id.partSetHeader).finish();
  const out = new Uint8Array(id.hash.length + psh.length);
  out.set(id.hash, 0);
  out.set(psh, id.hash.length);
  return out;
}

export function compareBlockIdKeys(a: BlockID, b: BlockID): number {
  return compareBytes(blockIdKeyBytes(a), blockIdKeyBytes(b));
}

/** Do these block bytes have this id's part-set header (64 KiB parts, CometBFT PartSet)? */
export function partSetMatches(block: Uint8Array, id: BlockID): boolean {
  const h = makePartSet(block).header;
  return h.total === id.partSetHeader.total && bytesEqual(h.hash, id.partSetHeader.hash);
}

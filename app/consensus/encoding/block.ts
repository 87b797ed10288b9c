/**
 * Blocks on the wire: the proto-encoded `tendermint.types.Block` split into 64 KiB
 * parts (types/params.go BlockPartSizeBytes), whose Merkle root is the part set
 * header hash; the block id is (header hash, part set header).
 */
import { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Part, PartSetHeader } from 'cosmjs-types/tendermint/types/types';
import { headerHash } from './hashes.js';
import { proofsFromByteSlices } from './merkle.js';

/** CometBFT `types.BlockPartSizeBytes`. */
export const BLOCK_PART_SIZE_BYTES = 65536;

export function encodeBlock(block: Block): Uint8Array {
  return Block.encode(block).finish();
}

export function decodeBlock(bytes: Uint8Array): Block {
  return Block.decode(bytes);
}

export interface PartSet {
  header: PartSetHeader;
  parts: Part[];
}

/** `NewPartSetFromData`: parts of `partSize` bytes (the last may be shorter), each with its Merkle proof. */
export function makePartSet(data: Uint8Array, partSize = BLOCK_PART_SIZE_BYTES): PartSet {
  const chunks: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += partSize) chunks.push(data.subarray(off, Math.min(data.length, off + partSize)));
  const { root, proofs } = proofsFromByteSlices(chunks);
  const parts: Part[] = chunks.map((bytes, i) => ({
    index: i,
    bytes,
    proof: { total: BigInt(proofs[i].total), index: BigInt(i), leafHash: proofs[i].leafHash, aunts: proofs[i].aunts },
  }));
  return { header: { total: chunks.length, hash: root }, parts };
}

/** The block id and proto bytes of a complete block (header hashes already filled in). */
export function blockIdOf(block: Block): { blockId: BlockID; bytes: Uint8Array } {
  const hash = headerHash(block.header);
  if (!hash) throw new Error(`block ${block.header.height} has no validators_hash: its header is incomplete`);
  const bytes = encodeBlock(block);
  return { blockId: { hash, partSetHeader: makePartSet(bytes).header }, bytes };
}

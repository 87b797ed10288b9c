/**
 * The simulator's block and app model: a block is (height, round, proposer, time,
 * txs, evidence, a salt that lets a Byzantine proposer make two different blocks, and
 * an "invalid" flag the app rejects). Its id is SHA-256 of its bytes with the real
 * 64 KiB part-set header, so the engine checks it exactly as it checks real blocks.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import type { BlockID } from 'cosmjs-types/tendermint/types/types';
import { makePartSet } from '../encoding/block.js';

export interface SimBlock {
  height: bigint;
  round: number;
  proposer: Uint8Array;
  timeMs: number;
  invalid: boolean;
  txs: number[];
  evidence: DuplicateVoteEvidence[];
  salt: Uint8Array;
}

export function encodeSimBlock(b: SimBlock): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(8).uint64(b.height);
  w.uint32(16).uint32(b.round);
  w.uint32(26).bytes(b.proposer);
  w.uint32(32).uint64(BigInt(b.timeMs));
  if (b.invalid) w.uint32(40).bool(true);
  for (const t of b.txs) w.uint32(48).uint32(t);
  for (const e of b.evidence) w.uint32(58).bytes(DuplicateVoteEvidence.encode(e).finish());
  if (b.salt.length) w.uint32(66).bytes(b.salt);
  return w.finish();
}

/** Throws on bytes that are not a block. */
export function decodeSimBlock(bytes: Uint8Array): SimBlock {
  const r = new BinaryReader(bytes);
  const b: SimBlock = { height: 0n, round: 0, proposer: new Uint8Array(0), timeMs: 0, invalid: false, txs: [], evidence: [], salt: new Uint8Array(0) };
  while (r.pos < r.len) {
    const tag = r.uint32();
    switch (tag) {
      case 8:
        b.height = r.uint64();
        break;
      case 16:
        b.round = r.uint32();
        break;
      case 26:
        b.proposer = r.bytes();
        break;
      case 32:
        b.timeMs = Number(r.uint64());
        break;
      case 40:
        b.invalid = r.bool();
        break;
      case 48:
        b.txs.push(r.uint32());
        break;
      case 58:
        b.evidence.push(DuplicateVoteEvidence.decode(r.bytes()));
        break;
      case 66:
        b.salt = r.bytes();
        break;
      default:
        throw new Error(`unknown block field tag ${tag}`);
    }
  }
  return b;
}

export function simBlockId(bytes: Uint8Array): BlockID {
  return { hash: sha256(bytes), partSetHeader: makePartSet(bytes).header };
}

/**
 * The simulator's block and app model: a block is (height, round, proposer, time,
 * txs, evidence, a salt that lets a Byzantine proposer make two different blocks, and
 * an "invalid" flag the app rejects). Its id is SHA-256 of its bytes with the real
 * 64 KiB part-set header, so the engine checks it exactly as it checks real blocks.
 */
import { sha256 } from '@noble/hashes/sha2.js';
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

/**
 * Fixed layout, big-endian: height u64, round u32, proposer (20), time ms u64, invalid u8,
 * tx count u32 + ids u32 each, salt length u8 + salt, evidence count u16 + (length u32 +
 * proto DuplicateVoteEvidence) each. Plain DataView: the simulator decodes every proposal
 * at every node.
 */
export function encodeSimBlock(b: SimBlock): Uint8Array {
  const evidence = b.evidence.map((e) => DuplicateVoteEvidence.encode(e).finish());
  const size = 8 + 4 + 20 + 8 + 1 + 4 + 4 * b.txs.length + 1 + b.salt.length + 2 + evidence.reduce((n, e) => n + 4 + e.length, 0);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  dv.setBigUint64(o, b.height);
  dv.setUint32((o += 8), b.round);
  out.set(b.proposer.subarray(0, 20), (o += 4));
  dv.setBigUint64((o += 20), BigInt(b.timeMs));
  dv.setUint8((o += 8), b.invalid ? 1 : 0);
  dv.setUint32((o += 1), b.txs.length);
  o += 4;
  for (const t of b.txs) {
    dv.setUint32(o, t);
    o += 4;
  }
  dv.setUint8(o, b.salt.length);
  out.set(b.salt, (o += 1));
  dv.setUint16((o += b.salt.length), evidence.length);
  o += 2;
  for (const e of evidence) {
    dv.setUint32(o, e.length);
    out.set(e, (o += 4));
    o += e.length;
  }
  return out;
}

/** Throws on bytes that are not a block. */
export function decodeSimBlock(bytes: Uint8Array): SimBlock {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const need = (n: number) => {
    if (o + n > bytes.length) throw new RangeError(`block truncated at byte ${o}`);
  };
  need(45);
  const height = dv.getBigUint64(0);
  const round = dv.getUint32(8);
  const proposer = bytes.slice(12, 32);
  const timeMs = Number(dv.getBigUint64(32));
  const invalid = dv.getUint8(40) === 1;
  const txCount = dv.getUint32(41);
  o = 45;
  need(4 * txCount + 1);
  const txs: number[] = new Array(txCount);
  for (let i = 0; i < txCount; i++, o += 4) txs[i] = dv.getUint32(o);
  const saltLen = dv.getUint8(o);
  o += 1;
  need(saltLen + 2);
  const salt = bytes.slice(o, (o += saltLen));
  const evCount = dv.getUint16(o);
  o += 2;
  const evidence: DuplicateVoteEvidence[] = [];
  for (let i = 0; i < evCount; i++) {
    need(4);
    const len = dv.getUint32(o);
    need(4 + len);
    evidence.push(DuplicateVoteEvidence.decode(bytes.subarray(o + 4, o + 4 + len)));
    o += 4 + len;
  }
  if (o !== bytes.length) throw new RangeError(`${bytes.length - o} trailing bytes after the block`);
  return { height, round, proposer, timeMs, invalid, txs, evidence, salt };
}

export function simBlockId(bytes: Uint8Array): BlockID {
  return { hash: sha256(bytes), partSetHeader: makePartSet(bytes).header };
}

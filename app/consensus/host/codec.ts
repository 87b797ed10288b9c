/**
 * Consensus messages as bytes, for transports: one tag byte, then protobuf.
 *
 *   0x01 proposal  uvarint(len) ‖ Proposal ‖ block bytes (the whole proto-encoded block)
 *   0x02 vote      Vote
 *   0x03 evidence  DuplicateVoteEvidence
 *   0x04 checkpoint signature  CheckpointSignatureMsg (checkpoint-codec.ts)
 *
 * A `requestCommit` answer is `uvarint(len) ‖ Commit ‖ block bytes`. Decoding throws
 * WireError on anything malformed; the host reports the sender for it.
 */
import { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import { Commit, Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import type { ConsensusMessage } from '../engine/types.js';
import { CheckpointCodecError, decodeCheckpointSignature, encodeCheckpointSignature, type CheckpointSignatureMessage } from './checkpoint-codec.js';

export const TAG_PROPOSAL = 1;
export const TAG_VOTE = 2;
export const TAG_EVIDENCE = 3;
export const TAG_CHECKPOINT_SIGNATURE = 4;

export class WireError extends Error {
  override readonly name = 'WireError';
}

export type WireMessage =
  | ConsensusMessage
  | { type: 'evidence'; evidence: DuplicateVoteEvidence }
  | ({ type: 'checkpointSignature' } & CheckpointSignatureMessage);

function uvarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Uint8Array.from(out);
}

function readUvarint(b: Uint8Array, off: number): { value: number; next: number } {
  let value = 0;
  let mul = 1;
  for (let i = off; i < b.length && i < off + 5; i++) {
    value += (b[i] & 0x7f) * mul;
    if ((b[i] & 0x80) === 0) return { value, next: i + 1 };
    mul *= 128;
  }
  throw new WireError('truncated length prefix');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** `uvarint(len(head)) ‖ head ‖ tail`, split back by `splitPrefixed`. */
function prefixed(head: Uint8Array, tail: Uint8Array): Uint8Array {
  return concat(uvarint(head.length), head, tail);
}

function splitPrefixed(b: Uint8Array): { head: Uint8Array; tail: Uint8Array } {
  const { value, next } = readUvarint(b, 0);
  if (next + value > b.length) throw new WireError(`length prefix ${value} runs past the ${b.length}-byte message`);
  return { head: b.subarray(next, next + value), tail: b.subarray(next + value) };
}

export function encodeWire(m: WireMessage): Uint8Array {
  switch (m.type) {
    case 'proposal':
      return concat(Uint8Array.of(TAG_PROPOSAL), prefixed(Proposal.encode(m.proposal).finish(), m.block));
    case 'vote':
      return concat(Uint8Array.of(TAG_VOTE), Vote.encode(m.vote).finish());
    case 'evidence':
      return concat(Uint8Array.of(TAG_EVIDENCE), DuplicateVoteEvidence.encode(m.evidence).finish());
    case 'checkpointSignature':
      return concat(Uint8Array.of(TAG_CHECKPOINT_SIGNATURE), encodeCheckpointSignature(m));
  }
}

export function decodeWire(bytes: Uint8Array): WireMessage {
  if (bytes.length === 0) throw new WireError('empty message');
  const body = bytes.subarray(1);
  try {
    switch (bytes[0]) {
      case TAG_PROPOSAL: {
        const { head, tail } = splitPrefixed(body);
        return { type: 'proposal', proposal: Proposal.decode(head), block: tail.slice() };
      }
      case TAG_VOTE:
        return { type: 'vote', vote: Vote.decode(body) };
      case TAG_EVIDENCE:
        return { type: 'evidence', evidence: DuplicateVoteEvidence.decode(body) };
      case TAG_CHECKPOINT_SIGNATURE:
        return { type: 'checkpointSignature', ...decodeCheckpointSignature(body) };
    }
  } catch (err) {
    if (err instanceof WireError) throw err;
    if (err instanceof CheckpointCodecError) throw new WireError(err.message);
    throw new WireError(`undecodable message with tag ${bytes[0]}: ${(err as Error).message}`);
  }
  throw new WireError(`unknown message tag ${bytes[0]}`);
}

export function encodeCommitResponse(block: Uint8Array, commit: Commit): Uint8Array {
  return prefixed(Commit.encode(commit).finish(), block);
}

export function decodeCommitResponse(bytes: Uint8Array): { block: Uint8Array; commit: Commit } {
  const { head, tail } = splitPrefixed(bytes);
  try {
    return { commit: Commit.decode(head), block: tail.slice() };
  } catch (err) {
    throw new WireError(`undecodable commit response: ${(err as Error).message}`);
  }
}

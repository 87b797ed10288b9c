/**
 * Sign bytes for votes and proposals: the varint-length-prefixed proto encoding of
 * CometBFT's `CanonicalVote` / `CanonicalProposal` (proto/tendermint/types/canonical.proto,
 * mirrored in this repo's proto/tendermint/types/canonical.proto; types/vote.go
 * VoteSignBytes). Height and round are sfixed64 so every signer produces the same
 * bytes; the timestamp is non-nullable (always written, Go zero time included);
 * a zero block id (nil vote) is omitted.
 */
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { SignedMsgType, type BlockID } from 'cosmjs-types/tendermint/types/types';

/** The fields of a vote that its signature covers. */
export interface VoteToSign {
  type: SignedMsgType;
  height: bigint;
  round: number;
  blockId: BlockID;
  timestamp: Timestamp;
}

export interface ProposalToSign {
  height: bigint;
  round: number;
  polRound: number;
  blockId: BlockID;
  timestamp: Timestamp;
}

export function isZeroBlockId(id: BlockID | undefined): boolean {
  return !id || (id.hash.length === 0 && id.partSetHeader.total === 0 && id.partSetHeader.hash.length === 0);
}

function writeTimestamp(w: BinaryWriter, field: number, ts: Timestamp): void {
  w.uint32((field << 3) | 2).fork();
  if (ts.seconds !== 0n) w.uint32(8).int64(ts.seconds);
  if (ts.nanos !== 0) w.uint32(16).int32(ts.nanos);
  w.ldelim();
}

function writeCanonicalBlockId(w: BinaryWriter, field: number, id: BlockID | undefined): void {
  if (isZeroBlockId(id)) return;
  const bid = id as BlockID;
  w.uint32((field << 3) | 2).fork();
  if (bid.hash.length) w.uint32(10).bytes(bid.hash);
  // part_set_header is non-nullable: always present, possibly empty.
  w.uint32(18).fork();
  if (bid.partSetHeader.total !== 0) w.uint32(8).uint32(bid.partSetHeader.total);
  if (bid.partSetHeader.hash.length) w.uint32(18).bytes(bid.partSetHeader.hash);
  w.ldelim();
  w.ldelim();
}

/** Proto encoding of `CanonicalVote` (without the length prefix). */
export function encodeCanonicalVote(chainId: string, vote: VoteToSign): Uint8Array {
  const w = BinaryWriter.create();
  if (vote.type !== 0) w.uint32(8).int32(vote.type);
  if (vote.height !== 0n) w.uint32(17).sfixed64(vote.height);
  if (vote.round !== 0) w.uint32(25).sfixed64(BigInt(vote.round));
  writeCanonicalBlockId(w, 4, vote.blockId);
  writeTimestamp(w, 5, vote.timestamp);
  if (chainId !== '') w.uint32(50).string(chainId);
  return w.finish();
}

function lengthPrefixed(body: Uint8Array): Uint8Array {
  const w = BinaryWriter.create();
  w.bytes(body); // `bytes` writes uvarint(len) ‖ body, which is protoio.MarshalDelimited
  return w.finish();
}

/** CometBFT `VoteSignBytes(chainID, vote)`. */
export function voteSignBytes(chainId: string, vote: VoteToSign): Uint8Array {
  return lengthPrefixed(encodeCanonicalVote(chainId, vote));
}

/** CometBFT `ProposalSignBytes(chainID, proposal)`. */
export function proposalSignBytes(chainId: string, p: ProposalToSign): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(8).int32(SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL);
  if (p.height !== 0n) w.uint32(17).sfixed64(p.height);
  if (p.round !== 0) w.uint32(25).sfixed64(BigInt(p.round));
  if (p.polRound !== 0) w.uint32(32).int64(BigInt(p.polRound));
  writeCanonicalBlockId(w, 5, p.blockId);
  writeTimestamp(w, 6, p.timestamp);
  if (chainId !== '') w.uint32(58).string(chainId);
  return lengthPrefixed(w.finish());
}

/** CometBFT `VoteExtensionSignBytes`: length-prefixed `CanonicalVoteExtension`. */
export function voteExtensionSignBytes(chainId: string, height: bigint, round: number, extension: Uint8Array): Uint8Array {
  const w = BinaryWriter.create();
  if (extension.length) w.uint32(10).bytes(extension);
  if (height !== 0n) w.uint32(17).sfixed64(height);
  if (round !== 0) w.uint32(25).sfixed64(BigInt(round));
  if (chainId !== '') w.uint32(34).string(chainId);
  return lengthPrefixed(w.finish());
}

/** A decoded `CanonicalVote` or `CanonicalProposal` (from length-prefixed sign bytes). */
export interface CanonicalSigned {
  type: number;
  height: bigint;
  round: bigint;
  polRound?: bigint;
  blockId?: BlockID;
  timestamp: Timestamp;
  chainId: string;
}

function readTimestamp(r: BinaryReader): Timestamp {
  const end = r.uint32() + r.pos;
  const ts: Timestamp = { seconds: 0n, nanos: 0 };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) ts.seconds = r.int64();
    else if (tag >>> 3 === 2) ts.nanos = r.int32();
    else r.skipType(tag & 7);
  }
  return ts;
}

function readCanonicalBlockId(r: BinaryReader): BlockID {
  const end = r.uint32() + r.pos;
  const id: BlockID = { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) id.hash = r.bytes();
    else if (tag >>> 3 === 2) {
      const pend = r.uint32() + r.pos;
      while (r.pos < pend) {
        const t = r.uint32();
        if (t >>> 3 === 1) id.partSetHeader.total = r.uint32();
        else if (t >>> 3 === 2) id.partSetHeader.hash = r.bytes();
        else r.skipType(t & 7);
      }
    } else r.skipType(tag & 7);
  }
  return id;
}

/**
 * Decode length-prefixed vote or proposal sign bytes (the privval uses this to tell
 * a re-sign that differs only by timestamp from a conflicting one, as CometBFT does).
 */
export function decodeSignBytes(signBytes: Uint8Array): CanonicalSigned {
  const r = new BinaryReader(signBytes);
  const end = r.uint32() + r.pos;
  if (end !== signBytes.length) throw new Error(`sign bytes length prefix ${end - r.pos} does not match body length ${signBytes.length - r.pos}`);
  const out: CanonicalSigned = { type: 0, height: 0n, round: 0n, timestamp: { seconds: 0n, nanos: 0 }, chainId: '' };
  let proposal = false;
  while (r.pos < end) {
    const tag = r.uint32();
    const f = tag >>> 3;
    if (f === 1) {
      out.type = r.int32();
      proposal = out.type === SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL;
    } else if (f === 2) out.height = r.sfixed64();
    else if (f === 3) out.round = r.sfixed64();
    else if (proposal && f === 4) out.polRound = r.int64();
    else if ((proposal && f === 5) || (!proposal && f === 4)) out.blockId = readCanonicalBlockId(r);
    else if ((proposal && f === 6) || (!proposal && f === 5)) out.timestamp = readTimestamp(r);
    else if ((proposal && f === 7) || (!proposal && f === 6)) out.chainId = r.string();
    else r.skipType(tag & 7);
  }
  return out;
}

/**
 * `guts.p2p.v1.Envelope` codec: the application messages Plumtree carries (DESIGN §7:
 * Tx, BlockProposal, Vote, RefUpdate, CollaborationEvent, ConsensusMessage,
 * ValidatorChange, plus the partition detector's Heartbeat). Each body is checked
 * against its own size limit before it is decoded, and fixed-size fields (keys,
 * hashes, ids) against their sizes.
 */
import type protobuf from 'protobufjs/minimal.js';
import { GossipDecodeError } from './errors.js';
import { ENVELOPE_LIMITS, maxEnvelopeBytes, type EnvelopeLimits } from './limits.js';
import { decodeWith, finish, newWriter, type ProtoCursor } from './proto-reader.js';

/** `guts.p2p.v1.CollabEventType` (1–9). */
export const CollabEventType = {
  ISSUE_OPENED: 1,
  ISSUE_UPDATED: 2,
  ISSUE_CLOSED: 3,
  PULL_REQUEST_OPENED: 4,
  PULL_REQUEST_UPDATED: 5,
  PULL_REQUEST_MERGED: 6,
  PULL_REQUEST_CLOSED: 7,
  COMMENT: 8,
  REVIEW: 9,
} as const;

/** `guts.p2p.v1.ConsensusMessageType` (1–7). */
export const ConsensusMessageType = {
  PROPOSAL: 1,
  PREVOTE: 2,
  PRECOMMIT: 3,
  BLOCK_PART: 4,
  NEW_ROUND_STEP: 5,
  HAS_VOTE: 6,
  /** payload: DuplicateVoteEvidence; signature: vote A's. */
  DUPLICATE_VOTE_EVIDENCE: 7,
} as const;

export type EnvelopeBody =
  | { readonly type: 'tx'; readonly tx: Uint8Array }
  | { readonly type: 'blockProposal'; readonly height: bigint; readonly round: number; readonly proposal: Uint8Array; readonly block: Uint8Array }
  | { readonly type: 'vote'; readonly height: bigint; readonly round: number; readonly vote: Uint8Array }
  | {
      readonly type: 'refUpdate';
      readonly repoKey: Uint8Array;
      readonly refName: string;
      /** Empty when the ref is new. */
      readonly oldOid: Uint8Array;
      readonly newOid: Uint8Array;
      readonly commitChain: readonly Uint8Array[];
    }
  | { readonly type: 'collaborationEvent'; readonly repoKey: Uint8Array; readonly eventType: number; readonly itemId: Uint8Array; readonly contentHash: Uint8Array }
  | { readonly type: 'consensusMessage'; readonly height: bigint; readonly round: number; readonly messageType: number; readonly payload: Uint8Array; readonly signature: Uint8Array }
  | { readonly type: 'validatorChange'; readonly height: bigint; readonly validatorsHash: Uint8Array }
  | { readonly type: 'heartbeat'; readonly heartbeat: Heartbeat };

export interface Heartbeat {
  /** 20-byte consensus address. */
  readonly validatorAddress: Uint8Array;
  readonly peerId: string;
  readonly height: bigint;
  readonly timestampMs: bigint;
  /** ed25519 over `heartbeatSignBytes`. */
  readonly signature: Uint8Array;
}

export interface Envelope {
  /** Origin's wall clock in ms; 0n = none. */
  readonly timestampMs: bigint;
  readonly body: EnvelopeBody;
}

const BODY_FIELD = {
  tx: 2,
  blockProposal: 3,
  vote: 4,
  refUpdate: 5,
  collaborationEvent: 6,
  consensusMessage: 7,
  validatorChange: 8,
  heartbeat: 9,
} as const satisfies Record<EnvelopeBody['type'], number>;

const FIELD_TO_TYPE = new Map<number, EnvelopeBody['type']>(Object.entries(BODY_FIELD).map(([k, v]) => [v, k as EnvelopeBody['type']]));

// ---- encode ----

export function encodeEnvelope(env: Envelope): Uint8Array {
  const w = newWriter();
  if (env.timestampMs !== 0n) w.uint32(8).int64(env.timestampMs.toString());
  w.uint32((BODY_FIELD[env.body.type] << 3) | 2).fork();
  writeBody(w, env.body);
  w.ldelim();
  return finish(w);
}

function writeBody(w: protobuf.Writer, b: EnvelopeBody): void {
  const bytes = (field: number, v: Uint8Array): void => {
    if (v.length) w.uint32((field << 3) | 2).bytes(v);
  };
  const i64 = (field: number, v: bigint): void => {
    if (v !== 0n) w.uint32(field << 3).int64(v.toString());
  };
  const u = (field: number, v: number): void => {
    if (v) w.uint32(field << 3).int32(v);
  };
  switch (b.type) {
    case 'tx':
      bytes(1, b.tx);
      break;
    case 'blockProposal':
      i64(1, b.height);
      u(2, b.round);
      bytes(3, b.proposal);
      bytes(4, b.block);
      break;
    case 'vote':
      i64(1, b.height);
      u(2, b.round);
      bytes(3, b.vote);
      break;
    case 'refUpdate':
      bytes(1, b.repoKey);
      if (b.refName) w.uint32(18).string(b.refName);
      bytes(3, b.oldOid);
      bytes(4, b.newOid);
      for (const c of b.commitChain) w.uint32(42).bytes(c);
      break;
    case 'collaborationEvent':
      bytes(1, b.repoKey);
      u(2, b.eventType);
      bytes(3, b.itemId);
      bytes(4, b.contentHash);
      break;
    case 'consensusMessage':
      i64(1, b.height);
      u(2, b.round);
      u(3, b.messageType);
      bytes(4, b.payload);
      bytes(5, b.signature);
      break;
    case 'validatorChange':
      i64(1, b.height);
      bytes(2, b.validatorsHash);
      break;
    case 'heartbeat': {
      const h = b.heartbeat;
      bytes(1, h.validatorAddress);
      if (h.peerId) w.uint32(18).string(h.peerId);
      i64(3, h.height);
      i64(4, h.timestampMs);
      bytes(5, h.signature);
      break;
    }
  }
}

/**
 * The bytes a heartbeat signature covers: `guts.p2p.v1.HeartbeatSignDoc`, fields in
 * order and defaults omitted, so every implementation derives the same bytes.
 */
export function heartbeatSignBytes(chainId: string, h: Omit<Heartbeat, 'signature'>): Uint8Array {
  const w = newWriter();
  if (chainId) w.uint32(10).string(chainId);
  if (h.validatorAddress.length) w.uint32(18).bytes(h.validatorAddress);
  if (h.peerId) w.uint32(26).string(h.peerId);
  if (h.height !== 0n) w.uint32(32).int64(h.height.toString());
  if (h.timestampMs !== 0n) w.uint32(40).int64(h.timestampMs.toString());
  return finish(w);
}

// ---- decode ----

/** Decodes an envelope (a Plumtree payload). Throws only `GossipDecodeError`. */
export function decodeEnvelope(bytes: Uint8Array, limits: EnvelopeLimits = ENVELOPE_LIMITS): Envelope {
  return decodeWith(bytes, maxEnvelopeBytes(limits), 'envelope', (c) => {
    let timestampMs = 0n;
    let body: EnvelopeBody | undefined;
    for (let f = c.next(); f; f = c.next()) {
      const [field, wt] = f;
      const type = FIELD_TO_TYPE.get(field);
      if (field === 1) timestampMs = c.int64(wt, 'envelope.timestamp_ms');
      else if (type) body = readBody(type, c.message(wt, limits[type], type), limits);
      else c.skip(wt);
    }
    c.finish('envelope');
    if (!body) throw new GossipDecodeError('unknown_type', 'envelope carries no known body');
    return { timestampMs, body };
  });
}

function readBody(type: EnvelopeBody['type'], c: ProtoCursor, l: EnvelopeLimits): EnvelopeBody {
  const f: Record<number, unknown> = {};
  const chain: Uint8Array[] = [];
  const max = l[type];
  for (let g = c.next(); g; g = c.next()) {
    const [field, wt] = g;
    const spec = SCHEMA[type][field];
    if (!spec) c.skip(wt);
    else if (spec === 'bytes') f[field] = c.bytes(wt, max, `${type}.${field}`);
    else if (spec === 'string') f[field] = c.string(wt, l.maxRefNameLength, `${type}.${field}`);
    else if (spec === 'int64') f[field] = c.int64(wt, `${type}.${field}`);
    else if (spec === 'int32') f[field] = c.int32(wt, `${type}.${field}`);
    else {
      if (chain.length >= l.maxCommitChain) throw new GossipDecodeError('invalid_field', `refUpdate.commit_chain has more than ${l.maxCommitChain} entries`);
      chain.push(sized(c.bytes(wt, 64, 'refUpdate.commit_chain'), 1, 64, 'refUpdate.commit_chain'));
    }
  }
  c.finish(type);
  const b = (n: number): Uint8Array => (f[n] as Uint8Array | undefined) ?? new Uint8Array(0);
  const i = (n: number): bigint => (f[n] as bigint | undefined) ?? 0n;
  const n32 = (n: number): number => (f[n] as number | undefined) ?? 0;
  switch (type) {
    case 'tx':
      return { type, tx: sized(b(1), 1, max, 'tx.tx') };
    case 'blockProposal':
      return { type, height: nonNegative(i(1), 'blockProposal.height'), round: n32(2), proposal: sized(b(3), 1, max, 'blockProposal.proposal'), block: b(4) };
    case 'vote':
      return { type, height: nonNegative(i(1), 'vote.height'), round: n32(2), vote: sized(b(3), 1, max, 'vote.vote') };
    case 'refUpdate':
      return {
        type,
        repoKey: sized(b(1), 32, 32, 'refUpdate.repo_key'),
        refName: nonEmpty((f[2] as string | undefined) ?? '', 'refUpdate.ref_name'),
        oldOid: b(3).length === 0 ? b(3) : sized(b(3), 20, 64, 'refUpdate.old_oid'),
        newOid: sized(b(4), 20, 64, 'refUpdate.new_oid'),
        commitChain: chain,
      };
    case 'collaborationEvent':
      return {
        type,
        repoKey: sized(b(1), 32, 32, 'collaborationEvent.repo_key'),
        eventType: inEnum(n32(2), 9, 'collaborationEvent.event_type'),
        itemId: sized(b(3), 16, 16, 'collaborationEvent.item_id'),
        contentHash: sized(b(4), 32, 32, 'collaborationEvent.content_hash'),
      };
    case 'consensusMessage':
      return {
        type,
        height: nonNegative(i(1), 'consensusMessage.height'),
        round: n32(2),
        messageType: inEnum(n32(3), 7, 'consensusMessage.message_type'),
        payload: b(4),
        signature: sized(b(5), 1, 256, 'consensusMessage.signature'),
      };
    case 'validatorChange':
      return { type, height: nonNegative(i(1), 'validatorChange.height'), validatorsHash: sized(b(2), 32, 32, 'validatorChange.validators_hash') };
    case 'heartbeat':
      return {
        type,
        heartbeat: {
          validatorAddress: sized(b(1), 20, 20, 'heartbeat.validator_address'),
          peerId: nonEmpty((f[2] as string | undefined) ?? '', 'heartbeat.peer_id'),
          height: nonNegative(i(3), 'heartbeat.height'),
          timestampMs: nonNegative(i(4), 'heartbeat.timestamp_ms'),
          signature: sized(b(5), 64, 64, 'heartbeat.signature'),
        },
      };
  }
}

type Kind = 'bytes' | 'string' | 'int64' | 'int32' | 'repeated-bytes';

/** Field number → kind, per body type (gossip.proto). */
const SCHEMA: Record<EnvelopeBody['type'], Record<number, Kind>> = {
  tx: { 1: 'bytes' },
  blockProposal: { 1: 'int64', 2: 'int32', 3: 'bytes', 4: 'bytes' },
  vote: { 1: 'int64', 2: 'int32', 3: 'bytes' },
  refUpdate: { 1: 'bytes', 2: 'string', 3: 'bytes', 4: 'bytes', 5: 'repeated-bytes' },
  collaborationEvent: { 1: 'bytes', 2: 'int32', 3: 'bytes', 4: 'bytes' },
  consensusMessage: { 1: 'int64', 2: 'int32', 3: 'int32', 4: 'bytes', 5: 'bytes' },
  validatorChange: { 1: 'int64', 2: 'bytes' },
  heartbeat: { 1: 'bytes', 2: 'string', 3: 'int64', 4: 'int64', 5: 'bytes' },
};

function sized(v: Uint8Array, min: number, max: number, what: string): Uint8Array {
  if (v.length < min || v.length > max) {
    if (v.length === 0) throw new GossipDecodeError('missing_field', what);
    throw new GossipDecodeError('invalid_field', `${what} is ${v.length} bytes, expected ${min === max ? min : `${min}–${max}`}`);
  }
  return v;
}

function nonNegative(v: bigint, what: string): bigint {
  if (v < 0n) throw new GossipDecodeError('invalid_field', `${what} is negative`);
  return v;
}

function nonEmpty(s: string, what: string): string {
  if (s === '') throw new GossipDecodeError('missing_field', what);
  return s;
}

function inEnum(v: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new GossipDecodeError('invalid_field', `${what} ${v} is not a known value (1–${max})`);
  return v;
}

/**
 * Size limits for untrusted input, checked before any work is done on it. Body limits
 * follow the chain's own: a Tx up to the mempool's max_tx_bytes (1 MiB), a block up to
 * the default consensus block.max_bytes (22,020,096, CometBFT v0.38), with room for
 * the surrounding fields.
 */
import { MAX_PEER_ADDRS } from '../types.js';

export interface FrameLimits {
  /** Whole frame. */
  readonly maxFrameBytes: number;
  /** A Gossip payload (an encoded Envelope). */
  readonly maxPayloadBytes: number;
  /** Peer descriptors in a Shuffle or ShuffleReply. */
  readonly maxPeers: number;
  readonly maxPeerIdLength: number;
  readonly maxAddrs: number;
  readonly maxAddrLength: number;
  /** Entries in an IHave or Graft. */
  readonly maxRefs: number;
  /** Largest random-walk ttl accepted. */
  readonly maxTtl: number;
}

export interface EnvelopeLimits {
  /** Encoded body size per type, in bytes. */
  readonly tx: number;
  readonly blockProposal: number;
  readonly vote: number;
  readonly refUpdate: number;
  readonly collaborationEvent: number;
  readonly consensusMessage: number;
  readonly validatorChange: number;
  readonly heartbeat: number;
  /** Commits listed in one RefUpdate. */
  readonly maxCommitChain: number;
  readonly maxRefNameLength: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const ENVELOPE_LIMITS: EnvelopeLimits = {
  tx: MiB + 16,
  blockProposal: 22_020_096 + 64 * KiB,
  vote: 16 * KiB,
  refUpdate: 64 * KiB,
  collaborationEvent: 256,
  consensusMessage: MiB,
  validatorChange: KiB,
  heartbeat: 512,
  maxCommitChain: 1_024,
  maxRefNameLength: 1_024,
};

/** The largest body plus the envelope's own fields. */
export function maxEnvelopeBytes(l: EnvelopeLimits = ENVELOPE_LIMITS): number {
  return Math.max(l.tx, l.blockProposal, l.vote, l.refUpdate, l.collaborationEvent, l.consensusMessage, l.validatorChange, l.heartbeat) + 32;
}

export const FRAME_LIMITS: FrameLimits = {
  maxFrameBytes: maxEnvelopeBytes() + 64,
  maxPayloadBytes: maxEnvelopeBytes(),
  maxPeers: 64,
  maxPeerIdLength: 128,
  maxAddrs: MAX_PEER_ADDRS,
  maxAddrLength: 256,
  maxRefs: 4_096,
  maxTtl: 32,
};

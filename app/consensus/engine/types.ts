/**
 * The sans-IO Tendermint engine's vocabulary: the events a host feeds in, the effects it
 * gets back, and the messages validators exchange. Everything is data: votes and
 * proposals are CometBFT's own protobuf types (cosmjs-types), signed over the canonical
 * sign bytes of `../encoding/canonical.ts`, so a host can put them on the wire as they are.
 *
 * Time only enters through `now` (integer milliseconds since the epoch, read by the host)
 * on every event; the engine never reads a clock, sleeps, awaits or draws randomness.
 */
import type { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import type { BlockID, Commit, Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';

/** Opaque id of the peer that delivered a message (for the peer layer's scoring). */
export type PeerId = string;

/** Steps of a round (paper, Algorithm 1 line 4), plus the wait after a decision. */
export type Step = 'propose' | 'prevote' | 'precommit' | 'commit';

/** A timer the engine asked for; it comes back unchanged in a `timeout` event. */
export interface TimeoutInfo {
  height: bigint;
  round: number;
  step: Step;
}

/** What validators send each other. The block travels whole; part-set gossip is the peer layer's job. */
export type ConsensusMessage = { type: 'proposal'; proposal: Proposal; block: Uint8Array } | { type: 'vote'; vote: Vote };

interface Timed {
  /** Host wall clock, integer milliseconds since the epoch. */
  now: number;
}

/** Enter `height` with its validator set (proposer priorities as CometBFT's state holds them). */
export interface StartEvent extends Timed {
  type: 'start';
  height: bigint;
  validators: ValidatorSet;
  /** Time of the block at height-1 (evidence timestamps, CometBFT `state.LastBlockTime`). */
  lastBlockTimeMs?: number;
}

export interface ProposalEvent extends Timed {
  type: 'proposal';
  from: PeerId;
  proposal: Proposal;
  block: Uint8Array;
}

export interface VoteEvent extends Timed {
  type: 'vote';
  from: PeerId;
  vote: Vote;
}

export interface TimeoutEvent extends Timed {
  type: 'timeout';
  timeout: TimeoutInfo;
}

/** The host's answer to `buildProposal` (getValue(), paper line 18). */
export interface ProposalBuiltEvent extends Timed {
  type: 'proposalBuilt';
  height: bigint;
  round: number;
  block: Uint8Array;
  blockId: BlockID;
  /** Header time of the block, so our votes for it are later than it (CometBFT voteTime). */
  timeMs?: number;
}

/** The host's answer to `validateBlock` (valid(v), paper lines 23, 29, 36, 50). */
export interface BlockValidatedEvent extends Timed {
  type: 'blockValidated';
  height: bigint;
  blockId: BlockID;
  valid: boolean;
  timeMs?: number;
}

/** The host signed (and durably recorded) our vote. */
export interface SignedVoteEvent extends Timed {
  type: 'signedVote';
  vote: Vote;
}

export interface SignedProposalEvent extends Timed {
  type: 'signedProposal';
  proposal: Proposal;
}

/** The signer refused (double-sign protection) or failed; the engine then does not send that message. */
export interface SignFailedEvent extends Timed {
  type: 'signFailed';
  height: bigint;
  round: number;
  kind: 'proposal' | 'prevote' | 'precommit';
  reason: string;
}

/** A peer's decided block and its commit (the answer to `requestCommit`): how a node that fell behind catches up. */
export interface DecidedEvent extends Timed {
  type: 'decided';
  from: PeerId;
  block: Uint8Array;
  commit: Commit;
}

export type EngineEvent =
  | StartEvent
  | ProposalEvent
  | VoteEvent
  | TimeoutEvent
  | ProposalBuiltEvent
  | BlockValidatedEvent
  | SignedVoteEvent
  | SignedProposalEvent
  | SignFailedEvent
  | DecidedEvent;

export type MisbehaviourReason =
  | 'malformed'
  | 'oversized'
  | 'invalid-signature'
  | 'unknown-validator'
  | 'block-mismatch'
  | 'invalid-commit'
  | 'future-flood';

export type Effect =
  /** Send to every peer. */
  | { type: 'broadcast'; message: ConsensusMessage }
  /** Deliver `{type:'timeout', timeout}` after `delayMs`. */
  | { type: 'schedule'; timeout: TimeoutInfo; delayMs: number }
  /** Build a block for (height, round) and answer with `proposalBuilt`. */
  | { type: 'buildProposal'; height: bigint; round: number }
  /**
   * Check the block: it decodes, its header hash is `blockId.hash`, and the app accepts it
   * (ProcessProposal). Answer with `blockValidated`.
   */
  | { type: 'validateBlock'; height: bigint; blockId: BlockID; block: Uint8Array }
  /** Sign with double-sign protection, make the signature durable, answer with `signedVote` / `signFailed`. */
  | { type: 'signVote'; vote: Vote }
  | { type: 'signProposal'; proposal: Proposal }
  /** The decision for `height`: apply the block, store it with `commit`, then send `start` for height+1. */
  | { type: 'commit'; height: bigint; round: number; blockId: BlockID; block: Uint8Array; commit: Commit }
  /**
   * Precommits for `height` arrived after the decision: `commit` (same height, round and
   * block) now carries them. Store it as the seen commit and use it as the next block's
   * LastCommit if that block is not built yet (late precommits, CometBFT `LastCommit`).
   */
  | { type: 'updateCommit'; height: bigint; commit: Commit }
  /** Conflicting votes from one validator: gossip, pool and put into a block. */
  | { type: 'evidence'; evidence: DuplicateVoteEvidence }
  /** A peer sent something no honest peer sends; the peer layer scores it. */
  | { type: 'misbehaviour'; peer: PeerId; reason: MisbehaviourReason; detail: string }
  /** Ask `peer` for its decided block and commit at `height` (answer with `decided`). */
  | { type: 'requestCommit'; height: bigint; peer: PeerId }
  /** More than 2/3 committed a block the app finds invalid: the app is not deterministic; stop and page an operator. */
  | { type: 'halt'; height: bigint; reason: string };

/** Ed25519 verification, injected so the core stays free of Node built-ins. */
export type VerifyFn = (pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export interface EngineConfig {
  /** timeout_propose and its per-round increase, ms (CometBFT defaults 3000 / 500). */
  timeoutPropose: number;
  timeoutProposeDelta: number;
  /** timeout_prevote, ms (1000 / 500). */
  timeoutPrevote: number;
  timeoutPrevoteDelta: number;
  /** timeout_precommit, ms (1000 / 500). */
  timeoutPrecommit: number;
  timeoutPrecommitDelta: number;
  /** timeout_commit: wait after a decision before the next height, ms (1000). */
  timeoutCommit: number;
  /** Largest block accepted in a proposal or commit response (CometBFT MaxBlockSizeBytes, 100 MiB). */
  maxBlockBytes: number;
  /** Votes are stored for rounds up to our round + this; later rounds only count towards round skipping. */
  roundWindow: number;
  /** Messages for height+1 kept per peer until we get there. */
  nextHeightBufferPerPeer: number;
  /** Messages from beyond height+1 tolerated per peer and height before it is reported. */
  futureMessagesPerPeer: number;
  /** Peers whose claimed height we remember (the rest are ignored until one is forgotten at the next height). */
  maxTrackedPeers: number;
}

/** A read-only view of the round state, for hosts, metrics and tests. */
export interface RoundStateView {
  height: bigint;
  round: number;
  step: Step;
  lockedRound: number;
  lockedBlockId?: BlockID;
  validRound: number;
  validBlockId?: BlockID;
  decided?: { round: number; blockId: BlockID };
  /** Our index in this height's set, -1 when we are not a validator. */
  validatorIndex: number;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
}

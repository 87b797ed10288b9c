/**
 * Blocksync's events, effects and configuration. The BlockSync is sans-IO: the host
 * feeds it what peers said and the time, and carries out the effects it returns.
 */
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';

export type PeerId = string;

/** Why a peer is reported: everything here is provable from the bytes it sent. */
export type BlockSyncMisbehaviour =
  /** a block we did not ask this peer for */
  | 'unsolicited'
  /** block bytes above the size limit */
  | 'oversized'
  /** bytes that are not a block */
  | 'malformed'
  /** a block for another height or chain, or a commit for another block, or one that does not extend our chain */
  | 'wrong-block'
  /** a block whose validators_hash is not the set we trust at its height */
  | 'wrong-validators'
  /** a commit that does not verify against the set we trust at its height */
  | 'invalid-commit'
  /** a status with base above height */
  | 'bad-status'
  /** a NoBlockResponse for a height within the [base, height] its own status claimed (heights never go down) */
  | 'lying-height';

export type BlockSyncEffect =
  /** Send a BlockRequest for heights fromHeight .. fromHeight+count-1 to `peer`. */
  | { type: 'request'; peer: PeerId; fromHeight: bigint; count: number }
  /**
   * Execute and store this block (its commit was verified against the validator set the
   * node trusts at `height`), then call `applied(height)`. Effects come in height order.
   */
  | { type: 'apply'; height: bigint; block: Block; blockBytes: Uint8Array; blockId: BlockID; commit: Commit }
  /** Report `peer` to the peer layer for scoring and disconnect it; the BlockSync already dropped it. */
  | { type: 'misbehaviour'; peer: PeerId; reason: BlockSyncMisbehaviour; detail: string }
  /** `peer` sent nothing for `requestTimeoutMs` while owing blocks; its requests went elsewhere. */
  | { type: 'peerTimedOut'; peer: PeerId; detail: string }
  /** Within one block of the highest peer for `caughtUpAfterMs`: stop the BlockSync and start consensus at height+1. */
  | { type: 'caughtUp'; height: bigint }
  /**
   * The host's validator set for `height` does not hash to the next_validators_hash of the
   * verified block before it: the node's state disagrees with the chain. Stop.
   */
  | { type: 'halt'; reason: string };

/** Throws when `commit` does not prove `blockId` at `height` for `vals` (verify.ts's `verifyCommit` by default). */
export type CommitVerifier = (chainId: string, vals: ValidatorSet, blockId: BlockID, height: bigint, commit: Commit) => unknown;

export interface BlockSyncConfig {
  /** Most heights asked of one peer in one request (also the codec's limit). */
  maxBlocksPerRequest: number;
  /** Most heights outstanding at one peer. */
  maxInFlightPerPeer: number;
  /** How far ahead of the last verified height blocks are requested and kept (bounds memory). */
  maxPendingBlocks: number;
  /** A peer owing blocks that sends nothing for this long is dropped (CometBFT peerTimeout, 15 s). */
  requestTimeoutMs: number;
  /** Caught up once within `caughtUpMargin` blocks of the highest peer for this long (CometBFT checks every 1 s). */
  caughtUpAfterMs: number;
  /**
   * How close to the highest peer counts as caught up (CometBFT: 1). On a chain whose
   * blocks come faster than status polls a node may never get within 1 block; the
   * engine's commit requests cover a few blocks, so a node can hand over earlier.
   */
  caughtUpMargin: number;
  /** With no peer at all for this long after start, the node is caught up (a lone validator; CometBFT: 5 s). Not after losing every peer it had: then it waits for one. */
  startupGraceMs: number;
  /** Block bytes above this are refused (CometBFT default block.max_bytes). */
  maxBlockBytes: number;
  /** Peers tracked at once; status from more is ignored. */
  maxPeers: number;
}

export const DEFAULT_BLOCKSYNC_CONFIG: BlockSyncConfig = Object.freeze({
  maxBlocksPerRequest: 20,
  maxInFlightPerPeer: 40,
  maxPendingBlocks: 200,
  requestTimeoutMs: 15_000,
  caughtUpAfterMs: 1_000,
  caughtUpMargin: 1,
  startupGraceMs: 5_000,
  maxBlockBytes: 22_020_096,
  maxPeers: 1024,
});

export interface BlockSyncInit {
  chainId: string;
  /** The height the node's state is at (0 before the first block). Blocks from height+1 are fetched. */
  height: bigint;
  /**
   * The validator set the node's state holds for `height`, or undefined when the state
   * does not know it yet. With updates at H+2, a state at height S knows S+1 and S+2.
   */
  validatorsAt: (height: bigint) => ValidatorSet | undefined;
  /** The stored block at `height`: its id (the next block must extend it) and next_validators_hash. Omit at genesis. */
  last?: { blockId: BlockID; nextValidatorsHash: Uint8Array };
  /** Default: verify.ts `verifyCommit` (CometBFT-exact, every signature checked, noble). */
  verifyCommit?: CommitVerifier;
  config?: Partial<BlockSyncConfig>;
  /** The host's clock at start, integer ms. */
  nowMs: number;
}

export interface BlockSyncStatus {
  /** Last height the host applied. */
  height: bigint;
  /** Last height handed out to apply. */
  verifiedHeight: bigint;
  maxPeerHeight: bigint;
  peers: number;
  /** Blocks received, not yet verified. */
  pendingBlocks: number;
  /** Heights requested, not yet received. */
  inFlight: number;
  caughtUp: boolean;
}

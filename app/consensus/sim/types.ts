/**
 * Shared simulator types: what travels between simulated nodes, and what a node may
 * ask of the cluster (time, timers, the network, the chain's validator sets, the
 * invariant checker).
 */
import type { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { ConsensusMessage, EngineConfig, VerifyFn } from '../engine/types.js';
import type { Region } from './regions.js';
import type { SimBlock } from './blocks.js';

export type NetMessage =
  | { kind: 'consensus'; msg: ConsensusMessage }
  | { kind: 'commitRequest'; height: bigint }
  | { kind: 'commitResponse'; block: Uint8Array; commit: Commit }
  | { kind: 'evidence'; evidence: DuplicateVoteEvidence }
  | { kind: 'tx'; id: number };

export type Behaviour = 'honest' | 'silent' | 'equivocate' | 'invalid-proposals' | 'unknown-blocks' | 'future-flood';

export interface Decided {
  blockId: BlockID;
  block: Uint8Array;
  decoded: SimBlock;
  commit: Commit;
  /** Simulated time of the decision at this node. */
  at: number;
}

/** Hooks the invariant checker and the statistics listen on. */
export interface Observer {
  sent(from: number, to: number, m: NetMessage): void;
  delivered(to: number, m: NetMessage): void;
  committed(node: number, height: bigint, d: Decided): void;
  evidence(node: number, ev: DuplicateVoteEvidence): void;
  misbehaviour(node: number, peer: string, reason: string): void;
  refusedSign(node: number, reason: string): void;
  halted(node: number, reason: string): void;
  engineError(node: number, err: Error): void;
}

export interface Cluster {
  readonly chainId: string;
  /** Simulated time, ms since the start of the run. */
  now(): number;
  /** Wall clock the engines see: a fixed epoch plus simulated time. */
  wallNow(): number;
  at(delayMs: number, fn: () => void): void;
  send(from: number, to: number, m: NetMessage): void;
  broadcast(from: number, m: NetMessage): void;
  size(): number;
  validatorsAt(height: bigint): ValidatorSet;
  genesisTimeMs(): number;
  verify: VerifyFn;
  engineConfig: Partial<EngineConfig>;
  observer: Observer;
  region(node: number): Region;
  /** The chain's evidence max age (consensus params EvidenceParams). */
  evidenceMaxAge: { blocks: bigint; ms: number };
}

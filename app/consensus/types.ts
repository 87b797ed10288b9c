/**
 * Interfaces the consensus side offers to the rest of the node (RPC, node wiring).
 * Blocks, headers and commits are CometBFT's protobuf types from cosmjs-types, so the
 * block store, the RPC encoder and light clients all speak the same structures.
 */
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { ExecTxResult, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import type { BatchOp } from '../store/types.js';

export interface StoredBlock {
  block: Block;
  blockId: BlockID;
  /** Size in bytes of the proto-encoded block. */
  size: number;
}

export interface IndexedTx {
  /** SHA-256 of the tx bytes. */
  hash: Uint8Array;
  height: number;
  index: number;
  tx: Uint8Array;
  result: ExecTxResult;
}

export interface TxSearchResult {
  txs: IndexedTx[];
  total: number;
}

export interface BlockStore {
  /** Lowest and highest stored heights (0, 0 when empty). */
  base(): number;
  height(): number;
  loadBlock(height: number): Promise<StoredBlock | undefined>;
  loadBlockByHash(hash: Uint8Array): Promise<StoredBlock | undefined>;
  /** The commit (≥2/3 precommits) for `height`: the next block's last_commit, or the seen commit for the tip. */
  loadCommit(height: number): Promise<Commit | undefined>;
  loadResults(height: number): Promise<ResponseFinalizeBlock | undefined>;
  txByHash(hash: Uint8Array): Promise<IndexedTx | undefined>;
  /**
   * CometBFT tx_search query language subset: `tx.height=5`, `tx.hash='..'`,
   * `<event.attr>='value'`, `<event.attr> >= 5`, joined with AND. Pages start at 1.
   */
  searchTxs(query: string, page: number, perPage: number, order: 'asc' | 'desc'): Promise<TxSearchResult>;
  /** Same query language, matching block events (FinalizeBlock events) and `block.height`. */
  searchBlocks(query: string, page: number, perPage: number, order: 'asc' | 'desc'): Promise<{ heights: number[]; total: number }>;
  /** LevelDB writes that store a decided block, its commit and results; committed atomically with the state. */
  saveOps(block: StoredBlock, seenCommit: Commit, results: ResponseFinalizeBlock): BatchOp[];
  /** Call after the batch from saveOps has been written. */
  markSaved(height: number): void;
}

export interface MempoolTx {
  tx: Uint8Array;
  hash: Uint8Array;
  gasWanted: bigint;
  sender: string;
  sequence: bigint;
}

export interface Mempool {
  /** CheckTx and admit; resolves with the CheckTx response (code 0 = admitted). */
  add(tx: Uint8Array): Promise<import('cosmjs-types/tendermint/abci/types').ResponseCheckTx>;
  /** Txs for the next block, in admission order per sender, within the byte and gas limits. */
  reap(maxBytes: number, maxGas: bigint): Uint8Array[];
  /** Remove committed txs and re-check the rest against the new state. */
  update(height: number, committed: Uint8Array[]): Promise<void>;
  size(): number;
  bytes(): number;
  has(hash: Uint8Array): boolean;
}

/** Events a consensus engine emits to the node (RPC subscriptions, logs, metrics). */
export interface NewBlockEvent {
  block: StoredBlock;
  results: ResponseFinalizeBlock;
}

/**
 * What the node needs from a consensus engine: the single-validator producer of the
 * chain-core issue and the Tendermint engine both implement it.
 */
export interface ConsensusEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Register a listener for committed blocks; returns an unsubscribe function. */
  onBlock(listener: (ev: NewBlockEvent) => void): () => void;
}

/**
 * A validator's signing key with double-sign protection (CometBFT `types.PrivValidator`).
 * Signing resolves only after the last-sign state is durably on disk.
 */
export interface PrivValidator {
  /** First 20 bytes of SHA-256 of the ed25519 public key. */
  readonly address: Uint8Array;
  /** Raw 32-byte ed25519 public key. */
  readonly pubKey: Uint8Array;
  /**
   * Sign a prevote or precommit. Resolves with a copy of `vote` carrying the signature;
   * when re-signing the same height/round/step with only a different timestamp, the
   * copy carries the earlier timestamp and signature (as CometBFT does after a crash).
   * Rejects with a DoubleSignError for a regression or conflicting data.
   */
  signVote(chainId: string, vote: import('cosmjs-types/tendermint/types/types').Vote): Promise<import('cosmjs-types/tendermint/types/types').Vote>;
  signProposal(chainId: string, proposal: import('cosmjs-types/tendermint/types/types').Proposal): Promise<import('cosmjs-types/tendermint/types/types').Proposal>;
}

/**
 * A mempool the consensus engine can hold while it commits a block, so no CheckTx
 * runs against the app's check state while the app resets it (CometBFT
 * state/execution.go Commit locks the mempool around app Commit and Update).
 */
export interface LockableMempool extends Mempool {
  /** Run `fn` with CheckTx paused; inside, call `locked.update` (not `update`, which would wait for the lock). */
  lockForCommit<T>(fn: (locked: { update(height: number, committed: Uint8Array[]): Promise<void> }) => Promise<T>): Promise<T>;
}

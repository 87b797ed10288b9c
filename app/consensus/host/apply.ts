/**
 * Executing a decided block (CometBFT `BlockExecutor.ApplyBlock`): FinalizeBlock with
 * the block's last commit and evidence, then one atomic batch with the app's state,
 * the block, its seen commit, results, the validator sets and params that changed and
 * the committed evidence; the mempool is held while the app commits, then updated and
 * rechecked.
 */
import type { CommitInfo, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { Application } from '../../abci.js';
import type { ChainBlockStore } from '../blockstore.js';
import { misbehaviorOf, type EvidencePool } from '../evidence-pool.js';
import type { LockableMempool, StoredBlock } from '../types.js';
import { advanceChainState, type ChainState } from './chain-state.js';
import { ConsensusHostError, type HostLogger } from './types.js';

export interface ApplyParts {
  app: Application;
  blockStore: ChainBlockStore;
  mempool: LockableMempool;
  evidence: EvidencePool;
  logger: HostLogger;
}

export interface Applied {
  stored: StoredBlock;
  results: ResponseFinalizeBlock;
  next: ChainState;
}

/** DecidedLastCommit: who signed the block's LastCommit, from the previous set. */
function lastCommitInfo(commit: Commit | undefined, vals: ValidatorSet | undefined): CommitInfo {
  if (!commit || !vals || commit.signatures.length === 0) return { round: 0, votes: [] };
  return {
    round: commit.round,
    votes: commit.signatures.map((sig, i) => ({
      validator: { address: vals.validators[i].address, power: vals.validators[i].votingPower },
      blockIdFlag: sig.blockIdFlag,
    })),
  };
}

export async function applyBlock(p: ApplyParts, s: ChainState, blockId: BlockID, bytes: Uint8Array, seenCommit: Commit): Promise<Applied> {
  const block = Block.decode(bytes);
  const header = block.header;
  const height = s.height;
  if (header.height !== BigInt(height)) throw new ConsensusHostError(`decided block has height ${header.height}, the chain is at ${height}`);
  const txs = block.data?.txs ?? [];
  const evidence = block.evidence?.evidence ?? [];
  const results = await p.app.finalizeBlock({
    txs,
    decidedLastCommit: lastCommitInfo(block.lastCommit, s.lastValidators),
    misbehavior: evidence.map(misbehaviorOf),
    hash: blockId.hash,
    height: BigInt(height),
    time: header.time,
    nextValidatorsHash: header.nextValidatorsHash,
    proposerAddress: header.proposerAddress,
  });
  if (results.txResults.length !== txs.length) throw new ConsensusHostError(`FinalizeBlock returned ${results.txResults.length} results for ${txs.length} txs at height ${height}`);
  const stored: StoredBlock = { block, blockId, size: bytes.length };
  const { next, ops } = advanceChainState(s, p.blockStore, blockId, header.time, seenCommit, results, p.logger);
  const batch = [...p.blockStore.saveOps(stored, seenCommit, results), ...ops, ...p.evidence.committedOps(evidence, height)];
  await p.mempool.lockForCommit(async (locked) => {
    await p.app.commit(batch);
    p.blockStore.markSaved(height);
    await locked.update(height, txs);
  });
  return { stored, results, next };
}

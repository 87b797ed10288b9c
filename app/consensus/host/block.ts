/**
 * Building a proposal block exactly as CometBFT's `state.MakeBlock` does (and as the
 * single-validator producer did before the engine): a full header over the chain
 * state, the mempool's txs, pending evidence and the previous height's commit.
 * BFT time: the block at the initial height carries the genesis time, every later
 * block the voting-power-weighted median of its LastCommit's timestamps.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { Evidence } from 'cosmjs-types/tendermint/types/evidence';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { blockIdOf } from '../encoding/block.js';
import { commitHash, consensusParamsHash, dataHash, evidenceHash } from '../encoding/hashes.js';
import { txHashOf } from '../txindex.js';
import { compareTimestamps } from '../encoding/time.js';
import { hashValidatorSet } from '../validators.js';
import type { ChainState } from './chain-state.js';

/** CometBFT `version.BlockProtocol`. */
export const BLOCK_PROTOCOL = 11n;

export class BlockBuildError extends Error {
  override readonly name = 'BlockBuildError';
}

export const ZERO_BLOCK_ID: BlockID = { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };
export const EMPTY_COMMIT: Commit = { height: 0n, round: 0, blockId: ZERO_BLOCK_ID, signatures: [] };

/** CometBFT `MedianTime`: the voting-power-weighted median of the commit's timestamps. */
export function medianTime(commit: Commit, vals: ValidatorSet): Timestamp {
  const weighted: Array<{ time: Timestamp; power: bigint }> = [];
  let total = 0n;
  commit.signatures.forEach((sig, i) => {
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) return;
    const power = vals.validators[i]?.votingPower ?? 0n;
    weighted.push({ time: sig.timestamp, power });
    total += power;
  });
  if (weighted.length === 0) throw new BlockBuildError(`commit for height ${commit.height} has no commit signatures`);
  weighted.sort((a, b) => compareTimestamps(a.time, b.time));
  let median = total / 2n;
  for (const w of weighted) {
    if (median <= w.power) return w.time;
    median -= w.power;
  }
  return weighted[weighted.length - 1].time;
}

/** The time block `s.height` must carry. */
export function blockTimeFor(s: ChainState): Timestamp {
  return s.lastCommit && s.lastValidators ? medianTime(s.lastCommit, s.lastValidators) : s.genesisTime;
}

export interface BuiltBlock {
  block: Block;
  blockId: BlockID;
  bytes: Uint8Array;
}

/** Block `s.height` proposed by `proposer` with these txs and evidence. */
export function buildBlock(s: ChainState, proposer: Uint8Array, txs: Uint8Array[], evidence: Evidence[]): BuiltBlock {
  const lastCommit = s.lastCommit ?? EMPTY_COMMIT;
  const block: Block = {
    header: {
      version: { block: BLOCK_PROTOCOL, app: s.appVersion },
      chainId: s.chainId,
      height: BigInt(s.height),
      time: blockTimeFor(s),
      lastBlockId: s.lastBlockId,
      lastCommitHash: commitHash(lastCommit.signatures),
      dataHash: dataHash(txs, txHashOf),
      validatorsHash: hashValidatorSet(s.validators),
      nextValidatorsHash: hashValidatorSet(s.nextValidators),
      consensusHash: consensusParamsHash(s.params.block?.maxBytes ?? 0n, s.params.block?.maxGas ?? -1n),
      appHash: s.appHash,
      lastResultsHash: s.lastResultsHash,
      evidenceHash: evidenceHash(evidence),
      proposerAddress: proposer,
    },
    data: { txs },
    evidence: { evidence },
    lastCommit,
  };
  return { block, ...blockIdOf(block) };
}

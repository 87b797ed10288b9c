/**
 * Consensus params as CometBFT keeps them (types/params.go): defaults, the update a
 * FinalizeBlock response may carry (applied from the next height), and the block
 * size arithmetic the proposer uses to reap the mempool.
 */
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';

/** CometBFT `DefaultConsensusParams()` (v0.38). */
export const DEFAULT_CONSENSUS_PARAMS: ConsensusParams = {
  block: { maxBytes: 22_020_096n, maxGas: -1n },
  evidence: { maxAgeNumBlocks: 100_000n, maxAgeDuration: { seconds: 172_800n, nanos: 0 }, maxBytes: 1_048_576n },
  validator: { pubKeyTypes: ['ed25519'] },
  version: { app: 0n },
  abci: { voteExtensionsEnableHeight: 0n },
};

/** types.MaxBlockSizeBytes (100 MiB), used when block.max_bytes is -1. */
export const MAX_BLOCK_SIZE_BYTES = 104_857_600;
/** types.MaxHeaderBytes, MaxOverheadForBlock, MaxCommitOverheadBytes, MaxCommitSigBytes (types/block.go). */
const MAX_HEADER_BYTES = 626;
const MAX_OVERHEAD_FOR_BLOCK = 11;
const MAX_COMMIT_OVERHEAD_BYTES = 94;
const MAX_COMMIT_SIG_BYTES = 109;

export class ConsensusParamsError extends Error {
  override readonly name = 'ConsensusParamsError';
}

/** `types.MaxDataBytes`: room left for txs once header, last commit and evidence are accounted for. */
export function maxDataBytes(params: ConsensusParams, validatorCount: number, evidenceBytes = 0): number {
  const maxBytes = params.block?.maxBytes === -1n || params.block?.maxBytes === undefined ? MAX_BLOCK_SIZE_BYTES : Number(params.block.maxBytes);
  const commitBytes = MAX_COMMIT_OVERHEAD_BYTES + (MAX_COMMIT_SIG_BYTES + 2) * validatorCount;
  const room = maxBytes - MAX_OVERHEAD_FOR_BLOCK - MAX_HEADER_BYTES - commitBytes - evidenceBytes;
  if (room < 0) throw new ConsensusParamsError(`block.max_bytes ${maxBytes} is too small for a header and a commit of ${validatorCount} validators`);
  return room;
}

/** The parts of `ConsensusParams.ValidateBasic` that matter to block production. */
export function validateConsensusParams(p: ConsensusParams): void {
  const b = p.block;
  if (!b) throw new ConsensusParamsError('consensus params need block params');
  if (b.maxBytes === 0n || b.maxBytes < -1n) throw new ConsensusParamsError(`block.max_bytes must be positive or -1, got ${b.maxBytes}`);
  if (b.maxBytes > BigInt(MAX_BLOCK_SIZE_BYTES)) throw new ConsensusParamsError(`block.max_bytes ${b.maxBytes} exceeds ${MAX_BLOCK_SIZE_BYTES}`);
  if (b.maxGas < -1n) throw new ConsensusParamsError(`block.max_gas must be ≥ -1, got ${b.maxGas}`);
}

/** `ConsensusParams.Update`: each section present in `update` replaces the current one. */
export function updateConsensusParams(current: ConsensusParams, update: ConsensusParams | undefined): ConsensusParams {
  if (!update) return current;
  const next: ConsensusParams = {
    block: update.block ?? current.block,
    evidence: update.evidence ?? current.evidence,
    validator: update.validator ?? current.validator,
    version: update.version ?? current.version,
    abci: update.abci ?? current.abci,
  };
  validateConsensusParams(next);
  return next;
}

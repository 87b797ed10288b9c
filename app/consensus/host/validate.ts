/**
 * valid(v) for the engine (paper lines 23, 29, 36, 50): CometBFT `state.validateBlock`
 * plus ProcessProposal. The block decodes and hashes to the block id; every header
 * field is what this chain state says it must be; the last commit is signed by more
 * than 2/3 of the previous set (every signature checked, as `VerifyCommit`); the
 * evidence verifies; the app accepts each tx's shape. Txs are not executed here: the
 * header commits to the previous block's app hash, so execution waits for the decision.
 */
import { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { commitHash, consensusParamsHash, dataHash, evidenceHash, headerHash } from '../encoding/hashes.js';
import { txHashOf } from '../txindex.js';
import { compareTimestamps, timestampToMs } from '../encoding/time.js';
import type { VerifyFn } from '../engine/types.js';
import type { EvidencePool } from '../evidence-pool.js';
import { MAX_BLOCK_SIZE_BYTES } from '../params.js';
import { bytesEqual, findValidator, hashValidatorSet } from '../validators.js';
import { blockIdsEqual, commitVoteSignBytes } from '../verify.js';
import { BLOCK_PROTOCOL, blockTimeFor } from './block.js';
import type { ChainState } from './chain-state.js';

/** ProcessProposal: why the app refuses these txs, or undefined. Must not change state. */
export type ProcessProposal = (txs: readonly Uint8Array[]) => string | undefined | Promise<string | undefined>;

export type Validation = { valid: true; timeMs: number } | { valid: false; reason: string };

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();

/** CometBFT `VerifyCommit` with an injected verifier: every non-absent signature checked, more than 2/3 for `blockId`. */
export function commitProblem(chainId: string, vals: ValidatorSet, blockId: BlockID, height: number, commit: Commit, verify: VerifyFn): string | undefined {
  if (commit.height !== BigInt(height)) return `last commit is for height ${commit.height}, expected ${height}`;
  if (!blockIdsEqual(commit.blockId, blockId)) return 'last commit is for another block than the last block id';
  if (commit.signatures.length !== vals.validators.length) return `last commit has ${commit.signatures.length} signatures for ${vals.validators.length} validators`;
  let power = 0n;
  let total = 0n;
  for (const [i, sig] of commit.signatures.entries()) {
    const val = vals.validators[i];
    total += val.votingPower;
    if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT) {
      if (sig.validatorAddress.length || sig.signature.length) return `last commit signature #${i} is absent but carries data`;
      continue;
    }
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT && sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_NIL) return `last commit signature #${i} has flag ${sig.blockIdFlag}`;
    if (!bytesEqual(sig.validatorAddress, val.address)) return `last commit signature #${i} is not from validator #${i}`;
    const pub = val.pubKey.ed25519;
    if (!pub || sig.signature.length !== 64 || !verify(pub, commitVoteSignBytes(chainId, commit, i), sig.signature)) return `last commit signature #${i} is invalid`;
    if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT) power += val.votingPower;
  }
  return power * 3n > total * 2n ? undefined : `last commit carries ${power} of ${total} voting power, not more than 2/3`;
}

export interface ValidateContext {
  state: ChainState;
  verify: VerifyFn;
  evidence: EvidencePool;
  processProposal?: ProcessProposal;
}

export async function validateBlock(c: ValidateContext, blockId: BlockID, bytes: Uint8Array): Promise<Validation> {
  const s = c.state;
  const bad = (reason: string): Validation => ({ valid: false, reason });
  const maxBytes = s.params.block?.maxBytes === -1n || s.params.block?.maxBytes === undefined ? MAX_BLOCK_SIZE_BYTES : Number(s.params.block.maxBytes);
  if (bytes.length > maxBytes) return bad(`block of ${bytes.length} bytes exceeds block.max_bytes ${maxBytes}`);
  let block: Block;
  try {
    block = Block.decode(bytes);
  } catch (err) {
    return bad(`block does not decode: ${(err as Error).message}`);
  }
  const h = block.header;
  if (!h || !h.version || !h.time) return bad('block has no header');
  const hash = headerHash(h);
  if (!hash || !bytesEqual(hash, blockId.hash)) return bad('header hash differs from the block id');
  if (h.version.block !== BLOCK_PROTOCOL || h.version.app !== s.appVersion) return bad(`version ${h.version.block}/${h.version.app}, expected ${BLOCK_PROTOCOL}/${s.appVersion}`);
  if (h.chainId !== s.chainId) return bad(`chain id ${h.chainId}, expected ${s.chainId}`);
  if (h.height !== BigInt(s.height)) return bad(`height ${h.height}, expected ${s.height}`);
  if (!h.lastBlockId || !blockIdsEqual(h.lastBlockId, s.lastBlockId)) return bad('last block id differs from the last committed block');
  if (!bytesEqual(h.validatorsHash, hashValidatorSet(s.validators))) return bad('validators hash differs');
  if (!bytesEqual(h.nextValidatorsHash, hashValidatorSet(s.nextValidators))) return bad('next validators hash differs');
  if (!bytesEqual(h.consensusHash, consensusParamsHash(s.params.block?.maxBytes ?? 0n, s.params.block?.maxGas ?? -1n))) return bad('consensus hash differs');
  if (!bytesEqual(h.appHash, s.appHash)) return bad(`app hash ${hex(h.appHash)}, expected ${hex(s.appHash)}`);
  if (!bytesEqual(h.lastResultsHash, s.lastResultsHash)) return bad('last results hash differs');
  if (!findValidator(s.validators, h.proposerAddress)) return bad(`proposer ${hex(h.proposerAddress)} is not a validator at height ${s.height}`);

  const lastCommit = block.lastCommit;
  if (!lastCommit) return bad('block has no last commit');
  if (!bytesEqual(h.lastCommitHash, commitHash(lastCommit.signatures))) return bad('last commit hash differs');
  if (s.lastBlockHeight === 0) {
    if (lastCommit.signatures.length > 0) return bad('the first block must have an empty last commit');
  } else {
    const problem = commitProblem(s.chainId, s.lastValidators!, s.lastBlockId, s.lastBlockHeight, lastCommit, c.verify);
    if (problem) return bad(problem);
  }
  let expectedTime;
  try {
    expectedTime = blockTimeFor({ ...s, lastCommit });
  } catch (err) {
    return bad((err as Error).message);
  }
  if (compareTimestamps(h.time, expectedTime) !== 0) return bad('block time is not the weighted median of the last commit');
  if (s.lastBlockHeight > 0 && compareTimestamps(h.time, s.lastBlockTime) <= 0) return bad('block time does not increase');

  const txs = block.data?.txs ?? [];
  if (!bytesEqual(h.dataHash, dataHash(txs, txHashOf))) return bad('data hash differs');
  const evidence = block.evidence?.evidence ?? [];
  if (!bytesEqual(h.evidenceHash, evidenceHash(evidence))) return bad('evidence hash differs');
  const timeMs = timestampToMs(h.time);
  const evProblem = await c.evidence.checkBlock(evidence, { height: s.height, timeMs, params: s.params });
  if (evProblem) return bad(evProblem);
  if (c.processProposal) {
    const refused = await c.processProposal(txs);
    if (refused) return bad(`app refused the txs: ${refused}`);
  }
  return { valid: true, timeMs };
}

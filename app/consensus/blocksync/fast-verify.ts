/**
 * verify.ts's `verifyCommit` (CometBFT `VerifyCommit`: every non-absent signature
 * checked, more than 2/3 of the power for the block) with the signature check injected,
 * so a Node host can use node:crypto (engine/crypto.ts `createEd25519Verifier`, about 15×
 * noble's rate per CPU-second, see the engine README) where blocksync verifies thousands
 * of commits. Same verdicts and reasons as `verifyCommit`; blocksync-fast-verify.test.ts
 * checks that on random tampered commits.
 */
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import type { VerifyFn } from '../engine/types.js';
import { blockIdsEqual, CommitVerificationError, commitVoteSignBytes } from '../verify.js';
import { bytesEqual, totalVotingPower } from '../validators.js';
import type { CommitVerifier } from './types.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();

export function createCommitVerifier(verifySignature: VerifyFn): CommitVerifier {
  return (chainId, vals, blockId, height, commit) => {
    if (vals.validators.length !== commit.signatures.length) {
      throw new CommitVerificationError('size-mismatch', `commit has ${commit.signatures.length} signatures but the validator set has ${vals.validators.length} validators`);
    }
    if (BigInt(height) !== commit.height) throw new CommitVerificationError('wrong-height', `commit is for height ${commit.height}, expected ${height}`);
    if (!blockIdsEqual(blockId, commit.blockId)) throw new CommitVerificationError('wrong-block-id', `commit is for block ${hex(commit.blockId.hash)}, expected ${hex(blockId.hash)}`);
    const needed = (totalVotingPower(vals) * 2n) / 3n;
    let tallied = 0n;
    for (let idx = 0; idx < commit.signatures.length; idx++) {
      const sig = commit.signatures[idx];
      if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT) continue;
      const entry = (why: string) => new CommitVerificationError('invalid-signature-entry', `commit signature #${idx}: ${why}`);
      if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT && sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_NIL) throw entry(`unknown block_id_flag ${sig.blockIdFlag}`);
      if (sig.validatorAddress.length !== 20) throw entry(`validator address must be 20 bytes, got ${sig.validatorAddress.length}`);
      if (sig.signature.length === 0) throw entry('signature is missing');
      if (sig.signature.length > 64) throw entry('signature is larger than 64 bytes');
      const val = vals.validators[idx];
      if (!bytesEqual(val.address, sig.validatorAddress)) {
        throw new CommitVerificationError('address-mismatch', `validator address mismatch at index ${idx}: expected ${hex(val.address)}, got ${hex(sig.validatorAddress)}`);
      }
      const pub = val.pubKey.ed25519;
      if (!pub || !verifySignature(pub, commitVoteSignBytes(chainId, commit, idx), sig.signature)) {
        throw new CommitVerificationError('bad-signature', `wrong signature (#${idx}) from ${hex(val.address)}`);
      }
      if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT) tallied += val.votingPower;
    }
    if (tallied <= needed) throw new CommitVerificationError('not-enough-power', `insufficient voting power: got ${tallied}, needed more than ${needed}`);
    return tallied;
  };
}

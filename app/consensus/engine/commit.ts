/**
 * Commits out of vote sets, and commits back into votes. A commit lists one CommitSig
 * per validator in set order: COMMIT for a precommit of the decided block, NIL for a
 * nil precommit, ABSENT otherwise, including precommits for other blocks (CometBFT
 * types/vote_set.go MakeExtendedCommit). `verifyCommitWith` is verify.ts's
 * `verifyCommitLight` with the signature check injected, so the sans-IO core and the
 * simulator share it.
 */
import { SignedMsgType, type BlockID, type Commit, type CommitSig, type Vote } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { GO_ZERO_TIME } from '../encoding/time.js';
import { blockIdsEqual, commitVoteSignBytes } from '../verify.js';
import { bytesEqual } from '../validators.js';
import { blockKey, NIL_KEY, wellFormedBlockId, ZERO_BLOCK_ID } from './ids.js';
import type { VerifyFn } from './types.js';
import { overTwoThirds, type VoteSet } from './voteset.js';

const ABSENT: CommitSig = { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, validatorAddress: new Uint8Array(0), timestamp: GO_ZERO_TIME, signature: new Uint8Array(0) };

export function commitFromVotes(height: bigint, round: number, blockId: BlockID, precommits: VoteSet, size: number): Commit {
  const key = blockKey(blockId);
  const signatures: CommitSig[] = [];
  for (let i = 0; i < size; i++) {
    const forBlock = precommits.voteFor(i, key);
    const first = precommits.get(i);
    const v = forBlock ?? (precommits.keyOf(i) === NIL_KEY ? first : undefined);
    if (!v) signatures.push(ABSENT);
    else {
      const flag = forBlock ? BlockIDFlag.BLOCK_ID_FLAG_COMMIT : BlockIDFlag.BLOCK_ID_FLAG_NIL;
      signatures.push({ blockIdFlag: flag, validatorAddress: v.validatorAddress, timestamp: v.timestamp, signature: v.signature });
    }
  }
  return { height, round, blockId, signatures };
}

/** The precommit behind `commit.signatures[i]` (not verified). */
export function voteFromCommit(commit: Commit, index: number): Vote | undefined {
  const sig = commit.signatures[index];
  if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT && sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_NIL) return undefined;
  return {
    type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
    height: commit.height,
    round: commit.round,
    blockId: sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? commit.blockId : ZERO_BLOCK_ID,
    timestamp: sig.timestamp,
    validatorAddress: sig.validatorAddress,
    validatorIndex: index,
    signature: sig.signature,
    extension: new Uint8Array(0),
    extensionSignature: new Uint8Array(0),
  };
}

/**
 * The precommits of `commit` that prove `height` (more than 2/3 of `vals` precommitted
 * `commit.blockId`), each signature checked; or why the commit proves nothing. Only
 * COMMIT signatures are checked, stopping at 2/3, as CometBFT's VerifyCommitLight.
 */
export function verifiedCommitVotes(chainId: string, vals: ValidatorSet, height: bigint, commit: Commit, verify: VerifyFn): { votes: Vote[] } | { problem: string } {
  if (commit.height !== height) return { problem: `commit is for height ${commit.height}, expected ${height}` };
  if (!Number.isInteger(commit.round) || commit.round < 0) return { problem: `commit round ${commit.round} is negative` };
  if (!wellFormedBlockId(commit.blockId) || blockKey(commit.blockId) === NIL_KEY) return { problem: 'commit block id is nil or malformed' };
  if (commit.signatures.length !== vals.validators.length) return { problem: `commit has ${commit.signatures.length} signatures for ${vals.validators.length} validators` };
  let total = 0n;
  for (const v of vals.validators) total += v.votingPower;
  let power = 0n;
  const votes: Vote[] = [];
  for (let i = 0; i < commit.signatures.length; i++) {
    const sig = commit.signatures[i];
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) continue;
    const val = vals.validators[i];
    if (!bytesEqual(val.address, sig.validatorAddress)) return { problem: `signature #${i} is not from validator #${i}` };
    const pub = val.pubKey.ed25519;
    if (!pub || sig.signature.length !== 64 || !verify(pub, commitVoteSignBytes(chainId, commit, i), sig.signature)) return { problem: `signature #${i} is invalid` };
    votes.push(voteFromCommit(commit, i)!);
    power += val.votingPower;
    if (overTwoThirds(power, total)) return { votes };
  }
  return { problem: `commit carries ${power} of ${total} voting power, not more than 2/3` };
}

/** Does `commit` prove that more than 2/3 of `vals` precommitted `blockId` at `height`? */
export function verifyCommitWith(chainId: string, vals: ValidatorSet, blockId: BlockID, height: bigint, commit: Commit, verify: VerifyFn): boolean {
  return blockIdsEqual(blockId, commit.blockId) && 'votes' in verifiedCommitVotes(chainId, vals, height, commit, verify);
}

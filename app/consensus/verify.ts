/**
 * Commit verification as CometBFT v0.38 does it (types/validation.go), browser-safe
 * so the SDK's light client and blocksync share it. A commit is valid for a block
 * when validators holding more than 2/3 of the set's voting power signed a
 * precommit for exactly that block id.
 */
import type { Commit, BlockID, CommitSig } from 'cosmjs-types/tendermint/types/types';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type Validator, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { voteSignBytes } from './encoding/canonical.js';
import { verifyEd25519 } from './ed25519.js';
import { bytesEqual, totalVotingPower } from './validators.js';

export type CommitVerificationReason =
  | 'size-mismatch'
  | 'wrong-height'
  | 'wrong-block-id'
  | 'invalid-signature-entry'
  | 'address-mismatch'
  | 'double-vote'
  | 'bad-signature'
  | 'not-enough-power'
  | 'invalid-trust-level';

export class CommitVerificationError extends Error {
  override readonly name = 'CommitVerificationError';
  constructor(
    readonly reason: CommitVerificationReason,
    message: string,
  ) {
    super(message);
  }
}

const MAX_SIGNATURE_SIZE = 64;

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

export function blockIdsEqual(a: BlockID, b: BlockID): boolean {
  return (
    bytesEqual(a.hash, b.hash) &&
    a.partSetHeader.total === b.partSetHeader.total &&
    bytesEqual(a.partSetHeader.hash, b.partSetHeader.hash)
  );
}

const ZERO_BLOCK_ID: BlockID = { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };

/** The sign bytes of the precommit behind `commit.signatures[index]` (CometBFT `Commit.VoteSignBytes`). */
export function commitVoteSignBytes(chainId: string, commit: Commit, index: number): Uint8Array {
  const sig = commit.signatures[index];
  return voteSignBytes(chainId, {
    type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
    height: commit.height,
    round: commit.round,
    blockId: sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? commit.blockId : ZERO_BLOCK_ID,
    timestamp: sig.timestamp,
  });
}

function validateCommitSig(sig: CommitSig, index: number): void {
  const fail = (why: string) => new CommitVerificationError('invalid-signature-entry', `commit signature #${index}: ${why}`);
  switch (sig.blockIdFlag) {
    case BlockIDFlag.BLOCK_ID_FLAG_ABSENT:
      if (sig.validatorAddress.length || sig.signature.length) throw fail('an absent vote carries an address or signature');
      return;
    case BlockIDFlag.BLOCK_ID_FLAG_COMMIT:
    case BlockIDFlag.BLOCK_ID_FLAG_NIL:
      if (sig.validatorAddress.length !== 20) throw fail(`validator address must be 20 bytes, got ${sig.validatorAddress.length}`);
      if (sig.signature.length === 0) throw fail('signature is missing');
      if (sig.signature.length > MAX_SIGNATURE_SIZE) throw fail(`signature is larger than ${MAX_SIGNATURE_SIZE} bytes`);
      return;
    default:
      throw fail(`unknown block_id_flag ${sig.blockIdFlag}`);
  }
}

interface TallyOptions {
  ignore: (sig: CommitSig) => boolean;
  count: (sig: CommitSig) => boolean;
  needed: bigint;
  countAll: boolean;
  byIndex: boolean;
}

function tally(chainId: string, vals: ValidatorSet, commit: Commit, o: TallyOptions): bigint {
  let tallied = 0n;
  const seen = new Map<number, number>();
  for (let idx = 0; idx < commit.signatures.length; idx++) {
    const sig = commit.signatures[idx];
    if (o.ignore(sig)) continue;
    validateCommitSig(sig, idx);
    let val: Validator | undefined;
    if (o.byIndex) {
      val = vals.validators[idx];
      if (!bytesEqual(val.address, sig.validatorAddress)) {
        throw new CommitVerificationError(
          'address-mismatch',
          `validator address mismatch at index ${idx}: expected ${hex(val.address)}, got ${hex(sig.validatorAddress)}`,
        );
      }
    } else {
      const valIdx = vals.validators.findIndex((v) => bytesEqual(v.address, sig.validatorAddress));
      if (valIdx < 0) continue;
      const first = seen.get(valIdx);
      if (first !== undefined) throw new CommitVerificationError('double-vote', `double vote from ${hex(sig.validatorAddress)} (#${first} and #${idx})`);
      seen.set(valIdx, idx);
      val = vals.validators[valIdx];
    }
    const pub = val.pubKey.ed25519;
    if (!pub || !verifyEd25519(sig.signature, commitVoteSignBytes(chainId, commit, idx), pub)) {
      throw new CommitVerificationError('bad-signature', `wrong signature (#${idx}) from ${hex(val.address)}`);
    }
    if (o.count(sig)) tallied += val.votingPower;
    if (!o.countAll && tallied > o.needed) break;
  }
  if (tallied <= o.needed) {
    throw new CommitVerificationError('not-enough-power', `insufficient voting power: got ${tallied}, needed more than ${o.needed}`);
  }
  return tallied;
}

function checkBasics(vals: ValidatorSet, blockId: BlockID, height: number | bigint, commit: Commit): void {
  if (vals.validators.length !== commit.signatures.length) {
    throw new CommitVerificationError(
      'size-mismatch',
      `commit has ${commit.signatures.length} signatures but the validator set has ${vals.validators.length} validators`,
    );
  }
  if (BigInt(height) !== commit.height) throw new CommitVerificationError('wrong-height', `commit is for height ${commit.height}, expected ${height}`);
  if (!blockIdsEqual(blockId, commit.blockId)) {
    throw new CommitVerificationError('wrong-block-id', `commit is for block ${hex(commit.blockId.hash)}, expected ${hex(blockId.hash)}`);
  }
}

/**
 * CometBFT `VerifyCommit`: every non-absent signature must verify (nil votes
 * included) and the commit votes must carry more than 2/3 of `vals`' power.
 * Returns the tallied power; throws CommitVerificationError.
 */
export function verifyCommit(chainId: string, vals: ValidatorSet, blockId: BlockID, height: number | bigint, commit: Commit): bigint {
  checkBasics(vals, blockId, height, commit);
  return tally(chainId, vals, commit, {
    ignore: (s) => s.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
    count: (s) => s.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    needed: (totalVotingPower(vals) * 2n) / 3n,
    countAll: true,
    byIndex: true,
  });
}

/** CometBFT `VerifyCommitLight`: only commit votes are checked, stopping once 2/3 is reached. */
export function verifyCommitLight(chainId: string, vals: ValidatorSet, blockId: BlockID, height: number | bigint, commit: Commit): bigint {
  checkBasics(vals, blockId, height, commit);
  return tally(chainId, vals, commit, {
    ignore: (s) => s.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    count: () => true,
    needed: (totalVotingPower(vals) * 2n) / 3n,
    countAll: false,
    byIndex: true,
  });
}

/**
 * CometBFT `VerifyCommitLightTrusting`: validators of a trusted (older) set, matched
 * by address, signed more than `trustLevel` (default 1/3) of that set's power.
 */
export function verifyCommitLightTrusting(
  chainId: string,
  trustedVals: ValidatorSet,
  commit: Commit,
  trustLevel: { numerator: bigint; denominator: bigint } = { numerator: 1n, denominator: 3n },
): bigint {
  if (trustLevel.denominator === 0n) throw new CommitVerificationError('invalid-trust-level', 'trust level has a zero denominator');
  return tally(chainId, trustedVals, commit, {
    ignore: (s) => s.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    count: () => true,
    needed: (totalVotingPower(trustedVals) * trustLevel.numerator) / trustLevel.denominator,
    countAll: false,
    byIndex: false,
  });
}

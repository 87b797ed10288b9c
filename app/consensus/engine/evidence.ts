/**
 * DuplicateVoteEvidence: two votes signed by one validator for the same height, round
 * and type but different block ids (CometBFT types/evidence.go NewDuplicateVoteEvidence,
 * evidence/verify.go VerifyDuplicateVote). Browser-safe; the signature check is injected.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import { SignedMsgType, type Vote } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { voteSignBytes } from '../encoding/canonical.js';
import { timestampToMs } from '../encoding/time.js';
import { blockIdsEqual } from '../verify.js';
import { addressFromEd25519, bytesEqual, findValidator, totalVotingPower } from '../validators.js';
import { compareBlockIdKeys, wellFormedBlockId } from './ids.js';
import type { VerifyFn } from './types.js';

export class EvidenceError extends Error {
  override readonly name = 'EvidenceError';
}

/** Order the votes by block id key (vote A the smaller), as CometBFT requires. */
export function makeDuplicateVoteEvidence(vote1: Vote, vote2: Vote, blockTime: Timestamp, vals: ValidatorSet): DuplicateVoteEvidence {
  const found = findValidator(vals, vote1.validatorAddress);
  if (!found) throw new EvidenceError('the conflicting votes are from a validator outside the set');
  const [voteA, voteB] = compareBlockIdKeys(vote1.blockId, vote2.blockId) < 0 ? [vote1, vote2] : [vote2, vote1];
  return { voteA, voteB, totalVotingPower: totalVotingPower(vals), validatorPower: found.validator.votingPower, timestamp: blockTime };
}

export interface VerifyEvidenceOptions {
  chainId: string;
  /** The validator set at the evidence height. */
  validators: ValidatorSet;
  verify: VerifyFn;
  /** Time of the block at the evidence height; when given, the evidence timestamp must equal it. */
  blockTimeMs?: number;
  /** Current height and time, with the consensus params' max age: evidence older than both is refused. */
  now?: { height: bigint; timeMs: number };
  maxAgeNumBlocks?: bigint;
  maxAgeDurationMs?: number;
}

function checkVote(v: Vote | undefined, which: string): Vote {
  if (!v) throw new EvidenceError(`${which} is missing`);
  if (v.type !== SignedMsgType.SIGNED_MSG_TYPE_PREVOTE && v.type !== SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT) throw new EvidenceError(`${which} has type ${v.type}: only prevotes and precommits`);
  if (v.height <= 0n || v.round < 0) throw new EvidenceError(`${which} has height ${v.height} round ${v.round}`);
  if (v.validatorAddress.length !== 20) throw new EvidenceError(`${which} validator address must be 20 bytes`);
  if (v.signature.length === 0 || v.signature.length > 64) throw new EvidenceError(`${which} signature must be 1-64 bytes`);
  if (!wellFormedBlockId(v.blockId)) throw new EvidenceError(`${which} has a malformed block id`);
  return v;
}

/**
 * `DuplicateVoteEvidence.ValidateBasic` + `VerifyDuplicateVote` + the pool's age and
 * timestamp checks. Throws EvidenceError saying what is wrong.
 */
export function verifyDuplicateVoteEvidence(ev: DuplicateVoteEvidence, o: VerifyEvidenceOptions): void {
  const a = checkVote(ev.voteA, 'vote A');
  const b = checkVote(ev.voteB, 'vote B');
  if (compareBlockIdKeys(a.blockId, b.blockId) >= 0) throw new EvidenceError('duplicate votes in invalid order: vote A must have the smaller block id key');
  if (a.height !== b.height || a.round !== b.round || a.type !== b.type) {
    throw new EvidenceError(`height/round/type do not match: ${a.height}/${a.round}/${a.type} vs ${b.height}/${b.round}/${b.type}`);
  }
  if (!bytesEqual(a.validatorAddress, b.validatorAddress)) throw new EvidenceError('the votes are from different validators');
  if (blockIdsEqual(a.blockId, b.blockId)) throw new EvidenceError('the block ids are the same: not a duplicate vote');
  const found = findValidator(o.validators, a.validatorAddress);
  if (!found) throw new EvidenceError(`address was not a validator at height ${a.height}`);
  const pub = found.validator.pubKey.ed25519;
  if (!pub || !bytesEqual(addressFromEd25519(pub), a.validatorAddress)) throw new EvidenceError('validator public key does not match its address');
  if (found.validator.votingPower !== ev.validatorPower) throw new EvidenceError(`validator power ${ev.validatorPower} does not match ${found.validator.votingPower}`);
  const tvp = totalVotingPower(o.validators);
  if (tvp !== ev.totalVotingPower) throw new EvidenceError(`total voting power ${ev.totalVotingPower} does not match ${tvp}`);
  if (o.blockTimeMs !== undefined && timestampToMs(ev.timestamp) !== o.blockTimeMs) throw new EvidenceError('evidence timestamp differs from the block time at its height');
  if (o.now) {
    const ageBlocks = o.now.height - a.height;
    const ageMs = o.now.timeMs - timestampToMs(ev.timestamp);
    // CometBFT evidence/verify.go: expired only when both the block and the time limit are exceeded.
    if (o.maxAgeNumBlocks !== undefined && o.maxAgeDurationMs !== undefined && ageBlocks > o.maxAgeNumBlocks && ageMs > o.maxAgeDurationMs) {
      throw new EvidenceError(`evidence from height ${a.height} is older than ${o.maxAgeNumBlocks} blocks and ${o.maxAgeDurationMs} ms: refused`);
    }
  }
  if (!o.verify(pub, voteSignBytes(o.chainId, a), a.signature)) throw new EvidenceError('vote A has an invalid signature');
  if (!o.verify(pub, voteSignBytes(o.chainId, b), b.signature)) throw new EvidenceError('vote B has an invalid signature');
}

/**
 * Precommits that arrive after the decision (CometBFT keeps adding them to `LastCommit`
 * while it waits out timeout_commit, and proposes with them). The commit stored for a
 * height, and carried as LastCommit by the next block, then names every validator whose
 * precommit arrived in time for the next proposal, not only the first 2/3: slashing
 * reads those signatures, so a slow but live validator is not counted as missing.
 *
 * Kept for the decided height while it waits out timeout_commit and then for the whole
 * next height (the proposer of any of its rounds builds with the latest commit); only
 * precommits of the decision round count, for the decided block or nil, as
 * `commitFromVotes` puts them into a commit. Memory: one vote set of one round.
 */
import type { BlockID, Vote } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { bytesEqual } from '../validators.js';
import { commitFromVotes } from './commit.js';
import type { TendermintEngine } from './engine.js';
import type { HeightState } from './height.js';
import { PRECOMMIT } from './heightvotes.js';
import { blockKey, NIL_KEY } from './ids.js';
import { voteBytes } from './signbytes.js';
import type { PeerId } from './types.js';
import type { VoteSet } from './voteset.js';

export interface DecidedHeight {
  height: bigint;
  round: number;
  blockId: BlockID;
  key: string;
  validators: ValidatorSet;
  precommits: VoteSet;
}

/** What a decided height keeps for late precommits (the vote set is shared with the height state until it is left). */
export function decidedHeight(hs: HeightState): DecidedHeight | undefined {
  if (!hs.decision) return undefined;
  const { round, key } = hs.decision;
  return { height: hs.height, round, blockId: hs.blocks.get(key)!.blockId, key, validators: hs.validators, precommits: hs.votes.set(PRECOMMIT, round) };
}

/** A precommit belongs in the commit: the decision round, for the decided block or nil. */
export function belongsInCommit(d: DecidedHeight, v: Vote): boolean {
  if (v.type !== PRECOMMIT || v.height !== d.height || v.round !== d.round) return false;
  const key = blockKey(v.blockId);
  return key === d.key || key === NIL_KEY;
}

/** The commit of `d` with every precommit it holds now. */
export function emitCommitUpdate(c: TendermintEngine, d: DecidedHeight): void {
  c.emit({ type: 'updateCommit', height: d.height, commit: commitFromVotes(d.height, d.round, d.blockId, d.precommits, d.validators.validators.length) });
}

/**
 * A peer's precommit for a decided height. Dropped without a report unless it is for the
 * decision round (honest peers send precommits of other rounds and heights late too);
 * a validator's first precommit of that round is its precommit, as in the vote set.
 */
export function onLatePrecommit(c: TendermintEngine, d: DecidedHeight, from: PeerId, v: Vote): void {
  if (!belongsInCommit(d, v)) return;
  const idx = v.validatorIndex;
  const val = d.validators.validators[idx];
  if (!val || !bytesEqual(val.address, v.validatorAddress)) return c.misbehaviour(from, 'unknown-validator', `no validator #${idx} with that address at height ${d.height}`);
  if (d.precommits.get(idx)) return; // held already (or a conflicting second vote, evidence for the height being decided only)
  const pub = val.pubKey.ed25519;
  if (!pub || !c.init.verify(pub, voteBytes(c.init.chainId, v), v.signature)) {
    return c.misbehaviour(from, 'invalid-signature', `precommit from validator #${idx} for height ${d.height} has an invalid signature (or is for another chain)`);
  }
  d.precommits.add(idx, v);
  emitCommitUpdate(c, d);
}

/**
 * All votes of one height, by round and type (CometBFT consensus/types/height_vote_set.go),
 * and what round skipping needs: for each validator, the highest round it has signed a
 * message in. Memory is bounded by the protocol: one vote per validator, round and
 * type, for rounds the engine lets in (see `roundWindow`), plus one integer per validator.
 */
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { overOneThird } from './voteset.js';
import { VoteSet } from './voteset.js';

export type VoteType = SignedMsgType.SIGNED_MSG_TYPE_PREVOTE | SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT;
export const PREVOTE = SignedMsgType.SIGNED_MSG_TYPE_PREVOTE;
export const PRECOMMIT = SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT;
export const kindOf = (type: SignedMsgType): 'prevote' | 'precommit' => (type === PREVOTE ? 'prevote' : 'precommit');

export class HeightVotes {
  private readonly prevotes = new Map<number, VoteSet>();
  private readonly precommits = new Map<number, VoteSet>();
  /** Highest round each validator has signed a message in, -1 if none. */
  private readonly lastRound: number[];
  private highestRound = -1;

  constructor(
    private readonly powers: readonly bigint[],
    readonly totalPower: bigint,
  ) {
    this.lastRound = new Array(powers.length).fill(-1);
  }

  /** The vote set of (round, type), created on first use. */
  set(type: VoteType, round: number): VoteSet {
    const sets = type === SignedMsgType.SIGNED_MSG_TYPE_PREVOTE ? this.prevotes : this.precommits;
    let vs = sets.get(round);
    if (!vs) {
      vs = new VoteSet(round, this.powers, this.totalPower);
      sets.set(round, vs);
    }
    return vs;
  }

  /** The vote set if it exists (no allocation, for read-only checks). */
  peek(type: VoteType, round: number): VoteSet | undefined {
    return (type === SignedMsgType.SIGNED_MSG_TYPE_PREVOTE ? this.prevotes : this.precommits).get(round);
  }

  /** Precommit sets of every round, in the order the rounds were first seen (the decision rule looks at all, paper line 49). */
  precommitSets(): IterableIterator<VoteSet> {
    return this.precommits.values();
  }

  /** Record that validator `index` signed something in `round`. Returns false if that told us nothing new. */
  noteRound(index: number, round: number): boolean {
    if (this.lastRound[index] >= round) return false;
    this.lastRound[index] = round;
    if (round > this.highestRound) this.highestRound = round;
    return true;
  }

  lastRoundOf(index: number): number {
    return this.lastRound[index];
  }

  /**
   * Paper line 55 ("f+1 ⟨∗, hp, round, ∗, ∗⟩ with round > roundp"), counted per
   * validator by the highest round it has reached: the highest round R above `current`
   * such that validators with more than 1/3 of the stake signed messages in rounds ≥ R.
   * At least one honest validator has then reached R, so moving there loses nothing,
   * and a Byzantine third cannot drag anyone forward.
   */
  skipTarget(current: number): number | undefined {
    if (this.highestRound <= current) return undefined;
    const ahead: Array<{ round: number; power: bigint }> = [];
    this.lastRound.forEach((round, i) => round > current && ahead.push({ round, power: this.powers[i] }));
    if (ahead.length === 0) return undefined;
    ahead.sort((a, b) => b.round - a.round);
    let power = 0n;
    for (const a of ahead) {
      power += a.power;
      if (overOneThird(power, this.totalPower)) return a.round;
    }
    return undefined;
  }
}

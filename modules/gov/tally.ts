/**
 * The tally rules as pure functions over bigint stake (cosmos-sdk x/gov tally.go, integer
 * basis points instead of decimals). A bonded validator's vote carries its bonded power
 * minus what its delegators voted themselves; a delegator's vote carries its delegations to
 * bonded validators, whatever its validators voted.
 *
 * Delegations count in shares of their validator (shares change only when a queued stake
 * change is applied or a redelegation is slashed; a slash of the validator changes what
 * they are worth). Per validator and option the voted shares are summed, and each sum is
 * converted to tokens once at the tally: floor(sum × power / validator shares); the
 * validator's own vote gets the rest of its power. Gov keeps these sums per proposal as
 * votes and delegations change (`ShareSums`), so the tally reads one record per bonded
 * validator instead of every vote and delegation; `computeTally` recounts the same from
 * the votes, and the two agree (test/modules/gov/tally.property.test.ts).
 */
import { VoteOption } from '../../proto/gen/guts/gov/v1/gov.js';
import type { BondedValidator } from './expected.js';

export interface Tally {
  yes: bigint;
  abstain: bigint;
  no: bigint;
  noWithVeto: bigint;
  totalBonded: bigint;
}

export interface TallyVote {
  voter: string;
  option: VoteOption;
  /** The voter's delegations in shares of each validator. */
  delegations: readonly { validator: string; shares: bigint }[];
}

/** Delegator shares of one validator voted per option on one proposal. */
export interface ShareSums {
  yes: bigint;
  abstain: bigint;
  no: bigint;
  noWithVeto: bigint;
}

export interface Thresholds {
  quorumBps: bigint;
  approvalBps: bigint;
  vetoBps: bigint;
}

export type Outcome = { passed: true } | { passed: false; reason: string; burnDeposit: boolean };

const BPS = 10_000n;

export function emptyTally(totalBonded = 0n): Tally {
  return { yes: 0n, abstain: 0n, no: 0n, noWithVeto: 0n, totalBonded };
}

export function emptySums(): ShareSums {
  return { yes: 0n, abstain: 0n, no: 0n, noWithVeto: 0n };
}

function fieldOf(option: VoteOption): keyof ShareSums | undefined {
  if (option === VoteOption.VOTE_OPTION_YES) return 'yes';
  if (option === VoteOption.VOTE_OPTION_ABSTAIN) return 'abstain';
  if (option === VoteOption.VOTE_OPTION_NO) return 'no';
  if (option === VoteOption.VOTE_OPTION_NO_WITH_VETO) return 'noWithVeto';
  return undefined;
}

/** Add `delta` (negative to take back) to the sum of `option` (mutates `s`). */
export function addShares(s: ShareSums, option: VoteOption, delta: bigint): void {
  const f = fieldOf(option);
  if (f) s[f] += delta;
}

function add(t: Tally, option: VoteOption, amount: bigint): void {
  const f = fieldOf(option);
  if (f && amount > 0n) t[f] += amount;
}

const FIELDS: [keyof ShareSums, VoteOption][] = [
  ['yes', VoteOption.VOTE_OPTION_YES],
  ['abstain', VoteOption.VOTE_OPTION_ABSTAIN],
  ['no', VoteOption.VOTE_OPTION_NO],
  ['noWithVeto', VoteOption.VOTE_OPTION_NO_WITH_VETO],
];

/**
 * The tally from per-validator share sums and the bonded validators' own votes.
 * `totalBonded` is the sum of the bonded validators' power.
 */
export function tallyFromSums(validators: readonly BondedValidator[], ownVotes: ReadonlyMap<string, VoteOption>, sums: ReadonlyMap<string, ShareSums>, totalBonded: bigint): Tally {
  const t = emptyTally(totalBonded);
  for (const v of validators) {
    let overridden = 0n;
    const s = sums.get(v.operator);
    if (s && v.shares > 0n) {
      for (const [f, option] of FIELDS) {
        if (s[f] <= 0n) continue;
        const amount = (s[f] * v.power) / v.shares;
        add(t, option, amount);
        overridden += amount;
      }
    }
    const own = ownVotes.get(v.operator);
    // overrides never exceed the validator's power unless staking reports inconsistent figures; never count below zero
    if (own !== undefined && v.power > overridden) add(t, own, v.power - overridden);
  }
  return t;
}

/** The tally recounted from every vote (what the kept sums must always agree with). */
export function computeTally(validators: readonly BondedValidator[], votes: readonly TallyVote[], totalBonded: bigint): Tally {
  const bonded = new Set(validators.map((v) => v.operator));
  const own = new Map<string, VoteOption>();
  const sums = new Map<string, ShareSums>();
  for (const vote of votes) {
    if (bonded.has(vote.voter)) own.set(vote.voter, vote.option);
    for (const d of vote.delegations) {
      if (!bonded.has(d.validator) || d.shares <= 0n) continue; // not bonded: no voting power
      const s = sums.get(d.validator) ?? emptySums();
      addShares(s, vote.option, d.shares);
      sums.set(d.validator, s);
    }
  }
  return tallyFromSums(validators, own, sums, totalBonded);
}

/** Quorum first, then NoWithVeto, then approval (cosmos-sdk order). */
export function decide(t: Tally, th: Thresholds): Outcome {
  const cast = t.yes + t.abstain + t.no + t.noWithVeto;
  if (t.totalBonded === 0n || cast * BPS < th.quorumBps * t.totalBonded) {
    return { passed: false, reason: `quorum not reached: ${cast} of ${t.totalBonded} bonded stake voted, ${th.quorumBps} bp needed`, burnDeposit: false };
  }
  if (t.noWithVeto * BPS >= th.vetoBps * cast) {
    return { passed: false, reason: `vetoed: NoWithVeto ${t.noWithVeto} of ${cast} votes reaches ${th.vetoBps} bp`, burnDeposit: true };
  }
  const nonAbstain = cast - t.abstain;
  if (nonAbstain === 0n || t.yes * BPS <= th.approvalBps * nonAbstain) {
    return { passed: false, reason: `approval not reached: Yes ${t.yes} of ${nonAbstain} non-abstain votes, more than ${th.approvalBps} bp needed`, burnDeposit: false };
  }
  return { passed: true };
}

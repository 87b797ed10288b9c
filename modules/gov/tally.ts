/**
 * The tally rules as pure functions over bigint stake (cosmos-sdk x/gov tally.go, integer
 * basis points instead of decimals). A bonded validator's vote carries its bonded power
 * minus what its delegators voted themselves; a delegator's vote carries its delegations to
 * bonded validators, whatever its validators voted.
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
  /** The voter's delegations (base units per validator operator). */
  delegations: readonly { validator: string; amount: bigint }[];
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

function add(t: Tally, option: VoteOption, amount: bigint): void {
  if (amount <= 0n) return;
  if (option === VoteOption.VOTE_OPTION_YES) t.yes += amount;
  else if (option === VoteOption.VOTE_OPTION_ABSTAIN) t.abstain += amount;
  else if (option === VoteOption.VOTE_OPTION_NO) t.no += amount;
  else if (option === VoteOption.VOTE_OPTION_NO_WITH_VETO) t.noWithVeto += amount;
}

export function computeTally(validators: readonly BondedValidator[], votes: readonly TallyVote[], totalBonded: bigint): Tally {
  const byOperator = new Map<string, { power: bigint; overridden: bigint; option?: VoteOption }>();
  for (const v of validators) byOperator.set(v.operator, { power: v.power, overridden: 0n });
  const t = emptyTally(totalBonded);
  for (const vote of votes) {
    const own = byOperator.get(vote.voter);
    if (own) own.option = vote.option;
    for (const d of vote.delegations) {
      const val = byOperator.get(d.validator);
      if (!val || d.amount <= 0n) continue; // not bonded: no voting power
      val.overridden += d.amount;
      add(t, vote.option, d.amount);
    }
  }
  for (const v of byOperator.values()) {
    // overrides never exceed the validator's power unless staking reports inconsistent figures; never count below zero
    if (v.option !== undefined && v.power > v.overridden) add(t, v.option, v.power - v.overridden);
  }
  return t;
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTally, decide, type TallyVote } from '../../../modules/gov/tally.js';
import { VoteOption } from '../../../proto/gen/guts/gov/v1/gov.js';

/**
 * The model: every unit of bonded stake belongs to one delegation (an operator's self-stake
 * is its self-delegation). A unit votes as its delegator voted, else as its validator voted,
 * else not at all. Thresholds are compared as exact fractions.
 */
interface World {
  validators: { operator: string; selfStake: bigint }[];
  delegations: { delegator: string; validator: string; amount: bigint }[];
  /** Validators outside the active set: their stake never votes. */
  unbonded: Set<string>;
  votes: Map<string, VoteOption>;
}

const OPTIONS = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_NO_WITH_VETO];

function modelTally(w: World) {
  const sums = new Map<VoteOption, bigint>(OPTIONS.map((o) => [o, 0n]));
  const units = [
    ...w.validators.map((v) => ({ owner: v.operator, validator: v.operator, amount: v.selfStake })),
    ...w.delegations.map((d) => ({ owner: d.delegator, validator: d.validator, amount: d.amount })),
  ];
  let total = 0n;
  for (const u of units) {
    if (w.unbonded.has(u.validator)) continue;
    total += u.amount;
    const option = w.votes.get(u.owner) ?? w.votes.get(u.validator);
    if (option !== undefined) sums.set(option, sums.get(option)! + u.amount);
  }
  return {
    yes: sums.get(VoteOption.VOTE_OPTION_YES)!,
    abstain: sums.get(VoteOption.VOTE_OPTION_ABSTAIN)!,
    no: sums.get(VoteOption.VOTE_OPTION_NO)!,
    noWithVeto: sums.get(VoteOption.VOTE_OPTION_NO_WITH_VETO)!,
    totalBonded: total,
  };
}

/** a/b ≥ n/d and a/b > n/d for non-negative integers, b, d > 0 */
const atLeast = (a: bigint, b: bigint, n: bigint, d: bigint) => a * d >= n * b;
const above = (a: bigint, b: bigint, n: bigint, d: bigint) => a * d > n * b;

function modelPasses(t: ReturnType<typeof modelTally>, quorum: bigint, approval: bigint, veto: bigint): boolean {
  const cast = t.yes + t.abstain + t.no + t.noWithVeto;
  if (t.totalBonded === 0n || !atLeast(cast, t.totalBonded, quorum, 10_000n)) return false;
  if (atLeast(t.noWithVeto, cast, veto, 10_000n)) return false;
  const nonAbstain = t.yes + t.no + t.noWithVeto;
  return nonAbstain > 0n && above(t.yes, nonAbstain, approval, 10_000n);
}

/** What gov sees through its StakingKeeper interface for the same world (one share = one token). */
function implTally(w: World) {
  const bonded = w.validators
    .filter((v) => !w.unbonded.has(v.operator))
    .map((v) => {
      const power = v.selfStake + w.delegations.filter((d) => d.validator === v.operator).reduce((s, d) => s + d.amount, 0n);
      return { operator: v.operator, power, shares: power };
    });
  const delegationsOf = (who: string) => [
    ...w.validators.filter((v) => v.operator === who).map((v) => ({ validator: v.operator, shares: v.selfStake })),
    ...w.delegations.filter((d) => d.delegator === who).map((d) => ({ validator: d.validator, shares: d.amount })),
  ];
  const votes: TallyVote[] = [...w.votes.entries()].map(([voter, option]) => ({ voter, option, delegations: delegationsOf(voter) }));
  return computeTally(bonded, votes, bonded.reduce((s, v) => s + v.power, 0n));
}

const world: fc.Arbitrary<World> = fc
  .record({
    nValidators: fc.integer({ min: 1, max: 6 }),
    nDelegators: fc.integer({ min: 0, max: 8 }),
  })
  .chain(({ nValidators, nDelegators }) => {
    const vals = Array.from({ length: nValidators }, (_, i) => `val${i}`);
    const dels = Array.from({ length: nDelegators }, (_, i) => `del${i}`);
    const stake = fc.bigInt({ min: 0n, max: 1_000_000n });
    return fc.record({
      validators: fc.tuple(...vals.map((operator) => stake.map((selfStake) => ({ operator, selfStake })))),
      // delegators may also be validators (an operator delegating to another validator)
      delegations: fc.array(fc.record({ delegator: fc.constantFrom(...dels, ...vals), validator: fc.constantFrom(...vals), amount: fc.bigInt({ min: 1n, max: 1_000_000n }) }), { maxLength: 12 }),
      unbonded: fc.subarray(vals, { maxLength: Math.max(0, vals.length - 1) }).map((s) => new Set(s)),
      votes: fc.array(fc.tuple(fc.constantFrom(...vals, ...dels), fc.constantFrom(...OPTIONS)), { maxLength: 14 }).map((vs) => new Map(vs)),
    });
  })
  .map((w) => ({
    ...w,
    // one delegation per (delegator, validator) pair, as staking keeps them
    delegations: w.delegations.filter((d, i, all) => all.findIndex((e) => e.delegator === d.delegator && e.validator === d.validator) === i),
  }));

const bps = (min: number, max: number) => fc.integer({ min, max }).map(BigInt);

describe('gov tally', () => {
  it('matches the per-delegation model: validator power, delegator overrides, quorum, approval, veto, abstain', () => {
    fc.assert(
      fc.property(world, bps(1, 10_000), bps(5_000, 9_999), bps(1, 10_000), (w, quorum, approval, veto) => {
        const got = implTally(w);
        const want = modelTally(w);
        expect(got).toEqual(want);
        expect(decide(got, { quorumBps: quorum, approvalBps: approval, vetoBps: veto }).passed).toBe(modelPasses(want, quorum, approval, veto));
      }),
      { numRuns: 2_000 },
    );
  });

  it('a delegator who votes takes its stake out of its validator’s vote', () => {
    const w: World = {
      validators: [{ operator: 'val0', selfStake: 600n }],
      delegations: [{ delegator: 'del0', validator: 'val0', amount: 400n }],
      unbonded: new Set(),
      votes: new Map([['val0', VoteOption.VOTE_OPTION_YES], ['del0', VoteOption.VOTE_OPTION_NO]]),
    };
    expect(implTally(w)).toMatchObject({ yes: 600n, no: 400n, totalBonded: 1000n });
  });

  it('decides at the exact thresholds: quorum and veto at 33.4% count, approval needs more than 50%', () => {
    const th = { quorumBps: 3_340n, approvalBps: 5_000n, vetoBps: 3_340n };
    const t = (yes: bigint, no: bigint, abstain: bigint, noWithVeto: bigint, totalBonded = 10_000n) => ({ yes, no, abstain, noWithVeto, totalBonded });
    expect(decide(t(3_339n, 0n, 0n, 0n), th)).toMatchObject({ passed: false, burnDeposit: false });
    expect(decide(t(3_340n, 0n, 0n, 0n), th).passed).toBe(true);
    expect(decide(t(2_000n, 2_000n, 0n, 0n), th).passed).toBe(false); // a tie is not a majority
    expect(decide(t(2_001n, 2_000n, 0n, 0n), th).passed).toBe(true);
    expect(decide(t(0n, 0n, 5_000n, 0n), th).passed).toBe(false); // everyone abstained
    expect(decide(t(6_660n, 0n, 0n, 3_340n), th)).toMatchObject({ passed: false, burnDeposit: true });
    expect(decide(t(6_661n, 0n, 0n, 3_339n), th).passed).toBe(true);
    // abstain counts for quorum but not for approval
    expect(decide(t(1_001n, 1_000n, 8_000n, 0n), th).passed).toBe(true);
  });
});

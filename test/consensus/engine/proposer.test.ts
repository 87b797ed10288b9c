/**
 * Proposer priority against CometBFT's own expectations (types/validator_set_test.go,
 * v0.38: TestProposerSelection1/2, TestAveragingInIncrementProposerPriority[WithVotingPower],
 * TestValSetUpdatesBasicTestsExecute, TestValSetUpdatePriorityOrderTests) and
 * properties that CometBFT's verifyValidatorSet checks.
 */
import fc from 'fast-check';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import {
  advanceSchedule,
  genesisSchedule,
  getProposer,
  incrementProposerPriority,
  newValidatorSet,
  PRIORITY_WINDOW_SIZE_FACTOR,
  proposerForRound,
  safeAddClip,
  safeSubClip,
  updateWithChangeSet,
} from '../../../app/consensus/engine/proposer.js';
import { ValidatorSetError } from '../../../app/consensus/validators.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const val = (name: string | Uint8Array, power: number | bigint, priority = 0n): Validator => ({
  address: typeof name === 'string' ? enc.encode(name) : name,
  pubKey: {},
  votingPower: BigInt(power),
  proposerPriority: priority,
});
const names = (set: ValidatorSet) => set.validators.map((v) => [dec.decode(v.address), Number(v.votingPower)]);
const addr = (last: number) => new Uint8Array(20).fill(0).map((_, i) => (i === 19 ? last : 0));
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** CometBFT verifyValidatorSet: priorities centred and within the window. */
function expectWellFormed(set: ValidatorSet): void {
  const n = BigInt(set.validators.length);
  const sum = set.validators.reduce((a, v) => a + v.proposerPriority, 0n);
  expect(sum > -n && sum < n).toBe(true);
  const ps = set.validators.map((v) => v.proposerPriority);
  const dist = ps.reduce((a, b) => (a > b ? a : b)) - ps.reduce((a, b) => (a < b ? a : b));
  expect(dist <= PRIORITY_WINDOW_SIZE_FACTOR * set.totalVotingPower).toBe(true);
}

describe('CometBFT proposer selection vectors', () => {
  it('TestProposerSelection1: foo 1000, bar 300, baz 330 for 99 heights', () => {
    let set = newValidatorSet([val('foo', 1000), val('bar', 300), val('baz', 330)]);
    const seen: string[] = [];
    for (let i = 0; i < 99; i++) {
      seen.push(dec.decode(getProposer(set).address));
      set = incrementProposerPriority(set, 1);
    }
    const expected =
      'foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar' +
      ' foo foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar' +
      ' foo baz foo foo bar foo baz foo foo bar foo baz foo foo foo baz bar foo foo foo baz' +
      ' foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo' +
      ' foo bar foo baz foo foo bar foo baz foo foo bar foo baz foo foo';
    expect(seen.join(' ')).toBe(expected);
  });

  it('TestProposerSelection2: equal power goes in address order; 400 vs 100 never twice, 401 twice', () => {
    const same = [val(addr(0), 100), val(addr(1), 100), val(addr(2), 100)];
    let set = newValidatorSet(same);
    for (let i = 0; i < 15; i++) {
      expect(getProposer(set).address[19]).toBe(i % 3);
      set = incrementProposerPriority(set, 1);
    }
    set = newValidatorSet([val(addr(0), 100), val(addr(1), 100), val(addr(2), 400)]);
    expect(getProposer(set).address[19]).toBe(2);
    expect(getProposer(incrementProposerPriority(set, 1)).address[19]).toBe(0);
    set = newValidatorSet([val(addr(0), 100), val(addr(1), 100), val(addr(2), 401)]);
    expect(getProposer(set).address[19]).toBe(2);
    set = incrementProposerPriority(set, 1);
    expect(getProposer(set).address[19]).toBe(2);
    expect(getProposer(incrementProposerPriority(set, 1)).address[19]).toBe(0);
  });

  it('TestProposerSelection2: powers 4, 5, 3 propose 40, 50 and 30 times in 120 heights', () => {
    let set = newValidatorSet([val(addr(0), 4), val(addr(1), 5), val(addr(2), 3)]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 120; i++) {
      counts[getProposer(set).address[19]]++;
      set = incrementProposerPriority(set, 1);
    }
    expect(counts).toEqual([40, 50, 30]);
  });

  it('TestAveragingInIncrementProposerPriority: the average is subtracted (Euclidean division)', () => {
    const cases: Array<[bigint[], number, bigint]> = [
      [[1n, 2n, 3n], 1, 2n],
      [[10n, -10n, 1n], 11, 0n],
      [[100n, -10n, 1n], 1, 30n],
    ];
    for (const [prios, times, avg] of cases) {
      const set: ValidatorSet = { validators: prios.map((p, i) => val('abc'[i], 0, p)), totalVotingPower: 0n };
      const next = incrementProposerPriority(set, times);
      expect(next.validators.map((v) => v.proposerPriority)).toEqual(prios.map((p) => p - avg));
    }
  });

  it('TestAveragingInIncrementProposerPriorityWithVotingPower: powers 10, 1, 1 over 1-11 increments', () => {
    const [vp0, vp1, vp2, total] = [10n, 1n, 1n, 12n];
    const base: ValidatorSet = { validators: [val(new Uint8Array([0]), vp0), val(new Uint8Array([1]), vp1), val(new Uint8Array([2]), vp2)], totalVotingPower: total };
    const want: Array<[bigint[], number]> = [
      [[vp0 - total, vp1, vp2], 0],
      [[2n * (vp0 - total), 2n * vp1, 2n * vp2], 0],
      [[3n * (vp0 - total), 3n * vp1, 3n * vp2], 0],
      [[4n * (vp0 - total), 4n * vp1, 4n * vp2], 0],
      [[4n * (vp0 - total) + vp0, 5n * vp1 - total, 5n * vp2], 1],
      [[6n * vp0 - 5n * total, 6n * vp1 - total, 6n * vp2], 0],
      [[7n * vp0 - 6n * total, 7n * vp1 - total, 7n * vp2], 0],
      [[8n * vp0 - 7n * total, 8n * vp1 - total, 8n * vp2], 0],
      [[9n * vp0 - 7n * total, 9n * vp1 - total, 9n * vp2 - total], 2],
      [[10n * vp0 - 8n * total, 10n * vp1 - total, 10n * vp2 - total], 0],
      [[11n * vp0 - 9n * total, 11n * vp1 - total, 11n * vp2 - total], 0],
    ];
    want.forEach(([prios, proposer], i) => {
      const set = incrementProposerPriority(base, i + 1);
      expect(set.validators.map((v) => v.proposerPriority)).toEqual(prios);
      expect(getProposer(set).address[0]).toBe(proposer);
    });
  });

  it('safe arithmetic clips at int64 bounds like safeAddClip / safeSubClip', () => {
    expect(safeAddClip(INT64_MAX, 10n)).toBe(INT64_MAX);
    expect(safeAddClip(INT64_MIN, -10n)).toBe(INT64_MIN);
    expect(safeSubClip(INT64_MIN, 10n)).toBe(INT64_MIN);
    expect(safeSubClip(INT64_MIN, INT64_MIN)).toBe(0n);
    expect(safeSubClip(INT64_MAX, -10n)).toBe(INT64_MAX);
  });
});

describe('validator set updates (UpdateWithChangeSet)', () => {
  const start = (vals: Array<[string, number]>) => newValidatorSet(vals.map(([n, p]) => val(n, p)));
  const apply = (set: ValidatorSet, changes: Array<[string, number]>) => updateWithChangeSet(set, changes.map(([n, p]) => val(n, p)));

  it('TestValSetUpdatesBasicTestsExecute: set order after changes, adds and removals', () => {
    const cases: Array<[Array<[string, number]>, Array<[string, number]>, Array<[string, number]>]> = [
      [[['v1', 10], ['v2', 10]], [], [['v1', 10], ['v2', 10]]],
      [[['v1', 10], ['v2', 10]], [['v2', 22], ['v1', 11]], [['v2', 22], ['v1', 11]]],
      [[['v2', 20], ['v1', 10]], [['v4', 40], ['v3', 30]], [['v4', 40], ['v3', 30], ['v2', 20], ['v1', 10]]],
      [[['v3', 20], ['v1', 10]], [['v2', 30]], [['v2', 30], ['v3', 20], ['v1', 10]]],
      [[['v3', 20], ['v2', 10]], [['v1', 30]], [['v1', 30], ['v3', 20], ['v2', 10]]],
      [[['v3', 30], ['v2', 20], ['v1', 10]], [['v2', 0]], [['v3', 30], ['v1', 10]]],
    ];
    for (const [from, changes, expected] of cases) {
      const next = apply(start(from), changes);
      expect(names(next)).toEqual(expected);
      expectWellFormed(next);
    }
  });

  it('refuses duplicates, negative power, unknown removals and an empty result, leaving the set unchanged', () => {
    const set = start([['v1', 10], ['v2', 10]]);
    const before = JSON.stringify(names(set));
    for (const bad of [[['v1', 11], ['v1', 22]], [['v1', -123]], [['v3', 0]], [['v1', 0], ['v2', 0]]] as Array<Array<[string, number]>>) {
      expect(() => apply(set, bad)).toThrow(ValidatorSetError);
    }
    expect(JSON.stringify(names(set))).toBe(before);
  });

  it('gives new validators the lowest priority, -1.125 × the updated total before centring, all equal', () => {
    let set = start([['v3', 1000], ['v2', 2], ['v1', 1]]);
    set = incrementProposerPriority(set, 37);
    const next = apply(set, [['v3', 0], ['v2', 1], ['v5', 50], ['v4', 40]]);
    expect(names(next)).toEqual([['v5', 50], ['v4', 40], ['v1', 1], ['v2', 1]]);
    const byName = new Map(next.validators.map((v) => [dec.decode(v.address), v.proposerPriority]));
    expect(byName.get('v5')).toBe(byName.get('v4'));
    for (const old of ['v1', 'v2']) expect(byName.get('v5')! < byName.get(old)!).toBe(true);
    expectWellFormed(next);
  });
});

describe('properties', () => {
  const powersArb = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 });
  const setOf = (powers: number[]) => newValidatorSet(powers.map((p, i) => val(`val${String(i).padStart(3, '0')}`, p)));

  it('priorities stay centred and inside 2 × total power after any number of increments', () => {
    fc.assert(
      fc.property(powersArb, fc.integer({ min: 1, max: 300 }), (powers, times) => {
        const set = incrementProposerPriority(setOf(powers), times);
        expectWellFormed(incrementProposerPriority(set, 1));
      }),
      { numRuns: 150 },
    );
  });

  it('each validator proposes in proportion to its power, within a few turns', () => {
    fc.assert(
      fc.property(powersArb, fc.integer({ min: 1, max: 4 }), (powers, cycles) => {
        let set = setOf(powers);
        const total = BigInt(powers.reduce((a, b) => a + b, 0));
        const heights = Number(total) * cycles;
        const counts = new Map<string, number>();
        for (let i = 0; i < Math.min(heights, 2000); i++) {
          const p = dec.decode(getProposer(set).address);
          counts.set(p, (counts.get(p) ?? 0) + 1);
          set = incrementProposerPriority(set, 1);
        }
        const t = BigInt(Math.min(heights, 2000));
        for (const v of set.validators) {
          const c = BigInt(counts.get(dec.decode(v.address)) ?? 0);
          const drift = c * total - t * v.votingPower;
          expect(drift <= 3n * total && drift >= -3n * total).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the proposer of round r does not depend on the rounds taken to get there', () => {
    fc.assert(
      fc.property(powersArb, fc.integer({ min: 0, max: 40 }), (powers, round) => {
        const base = advanceSchedule(genesisSchedule(powers.map((p, i) => val(`v${i}`, p)))).validators;
        let stepwise = base;
        for (let r = 0; r < round; r++) stepwise = incrementProposerPriority(stepwise, 1);
        expect(dec.decode(proposerForRound(base, round).address)).toBe(dec.decode(getProposer(stepwise).address));
      }),
      { numRuns: 150 },
    );
  });

  it('the order of changes in an update does not matter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 2, maxLength: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 500 })), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 50 }),
        (powers, rawChanges, times) => {
          const set = incrementProposerPriority(setOf(powers), times);
          const seen = new Set<number>();
          const changes = rawChanges
            .filter(([i]) => !seen.has(i) && seen.add(i))
            .filter(([i, p]) => p > 0 || i < powers.length)
            .map(([i, p]) => val(`val${String(i).padStart(3, '0')}`, p));
          let a: ValidatorSet;
          try {
            a = updateWithChangeSet(set, changes);
          } catch (e) {
            expect(e).toBeInstanceOf(ValidatorSetError);
            return;
          }
          const b = updateWithChangeSet(set, [...changes].reverse());
          expect(b.validators.map((v) => [dec.decode(v.address), v.votingPower, v.proposerPriority])).toEqual(
            a.validators.map((v) => [dec.decode(v.address), v.votingPower, v.proposerPriority]),
          );
          expectWellFormed(a);
        },
      ),
      { numRuns: 150 },
    );
  });
});

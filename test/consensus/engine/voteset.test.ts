import fc from 'fast-check';
import { SignedMsgType, type BlockID, type Vote } from 'cosmjs-types/tendermint/types/types';
import { describe, expect, it } from 'vitest';
import { blockKey, NIL_KEY, ZERO_BLOCK_ID } from '../../../app/consensus/engine/ids.js';
import { HeightVotes } from '../../../app/consensus/engine/heightvotes.js';
import { VoteSet } from '../../../app/consensus/engine/voteset.js';

const id = (n: number): BlockID => (n === 0 ? ZERO_BLOCK_ID : { hash: new Uint8Array(32).fill(n), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(n) } });
const v = (index: number, block: number, sig = index + 1): Vote => ({
  type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
  height: 1n,
  round: 0,
  blockId: id(block),
  timestamp: { seconds: 0n, nanos: 0 },
  validatorAddress: new Uint8Array(20).fill(index),
  validatorIndex: index,
  signature: new Uint8Array(64).fill(sig),
  extension: new Uint8Array(0),
  extensionSignature: new Uint8Array(0),
});
const setOf = (powers: number[]) => new VoteSet(0, powers.map(BigInt), BigInt(powers.reduce((a, b) => a + b, 0)));

describe('VoteSet thresholds', () => {
  it('2f+1 means strictly more than 2/3 of the stake: 2 of 3 is not enough, 67 of 100 is', () => {
    const s = setOf([1, 1, 1]);
    s.add(0, v(0, 1));
    s.add(1, v(1, 1));
    expect(s.hasTwoThirdsFor(blockKey(id(1)))).toBe(false);
    s.add(2, v(2, 1));
    expect(s.twoThirdsMajority()?.key).toBe(blockKey(id(1)));
    const t = setOf([66, 1, 33]);
    t.add(0, v(0, 0));
    expect(t.hasTwoThirdsAny()).toBe(false);
    t.add(1, v(1, 0));
    expect(t.twoThirdsMajority()?.key).toBe(NIL_KEY);
  });

  it('counts stake, not heads: one validator with 70 of 100 is a majority', () => {
    const s = setOf([70, 10, 10, 10]);
    s.add(0, v(0, 2));
    expect(s.hasTwoThirdsFor(blockKey(id(2)))).toBe(true);
  });
});

describe('VoteSet duplicates and conflicts', () => {
  it('ignores the same vote twice and knows it without re-verification', () => {
    const s = setOf([1, 1, 1, 1]);
    expect(s.add(0, v(0, 1)).kind).toBe('added');
    expect(s.has(0, v(0, 1))).toBe(true);
    expect(s.add(0, v(0, 1)).kind).toBe('duplicate');
    expect(s.powerFor(blockKey(id(1)))).toBe(1n);
  });

  it('returns the earlier vote on a conflict and does not count the new one', () => {
    const s = setOf([1, 1, 1, 1]);
    s.add(0, v(0, 1));
    const r = s.add(0, v(0, 2, 99));
    expect(r.kind).toBe('conflict');
    expect(r.kind === 'conflict' && blockKey(r.existing.blockId)).toBe(blockKey(id(1)));
    expect(s.powerFor(blockKey(id(2)))).toBe(0n);
    expect(s.get(0)?.signature[0]).toBe(1);
  });

  it('counts an equivocator for a tracked block too (a proof of lock built with its vote stays provable)', () => {
    const s = setOf([1, 1, 1, 1]);
    s.add(0, v(0, 0)); // the equivocator's nil prevote reached us first
    s.add(0, v(0, 5, 50)); // its prevote for block 5, kept aside
    s.add(1, v(1, 5));
    s.add(2, v(2, 5));
    expect(s.hasTwoThirdsFor(blockKey(id(5)))).toBe(false);
    s.track(blockKey(id(5)));
    expect(s.hasTwoThirdsFor(blockKey(id(5)))).toBe(true);
    expect(s.votesFor(blockKey(id(5))).map((x) => x.validatorIndex)).toEqual([0, 1, 2]);
    expect(s.voteFor(0, blockKey(id(5)))?.signature[0]).toBe(50);
    // "any" still counts each validator once
    expect(s.hasTwoThirdsAny()).toBe(true);
    expect(s.powerFor(NIL_KEY)).toBe(1n);
  });

  it('keeps at most two conflicting votes per validator aside, and tracks at most four block ids', () => {
    const s = setOf([1, 1, 1, 1]);
    s.add(0, v(0, 1));
    for (let b = 2; b < 50; b++) s.add(0, v(0, b, b));
    for (let b = 2; b < 50; b++) s.track(blockKey(id(b)));
    const counted = [2, 3, 4, 5, 6].filter((b) => s.powerFor(blockKey(id(b))) > 0n);
    expect(counted).toEqual([2, 3]);
  });
});

describe('VoteSet properties', () => {
  const arb = fc.array(fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 30 });

  it('tallies equal the stake behind each block id, whatever the arrival order', () => {
    fc.assert(
      fc.property(arb, fc.integer(), (votes, seed) => {
        const powers = votes.map(([p]) => p);
        const total = BigInt(powers.reduce((a, b) => a + b, 0));
        const order = votes.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101));
        const s = setOf(powers);
        for (const i of order) s.add(i, v(i, votes[i][1]));
        for (let b = 0; b <= 3; b++) {
          const key = blockKey(id(b));
          const power = BigInt(votes.filter(([, x]) => x === b).reduce((a, [p]) => a + p, 0));
          expect(s.powerFor(key)).toBe(power);
          expect(s.hasTwoThirdsFor(key)).toBe(power * 3n > total * 2n);
        }
        expect(s.hasTwoThirdsAny()).toBe(true);
        const maj = s.twoThirdsMajority();
        if (maj) expect(s.powerFor(maj.key) * 3n > total * 2n).toBe(true);
      }),
    );
  });

  it('conflicting votes never change the "any" tally or an untracked block tally', () => {
    fc.assert(
      fc.property(arb, fc.array(fc.tuple(fc.nat(29), fc.integer({ min: 4, max: 9 }))), (votes, conflicts) => {
        const s = setOf(votes.map(([p]) => p));
        votes.forEach(([, b], i) => s.add(i, v(i, b)));
        const before = [0, 1, 2, 3].map((b) => s.powerFor(blockKey(id(b))));
        const any = s.hasTwoThirdsAny();
        for (const [i, b] of conflicts) if (i < votes.length) expect(s.add(i, v(i, b, 200)).kind).toBe('conflict');
        expect([0, 1, 2, 3].map((b) => s.powerFor(blockKey(id(b))))).toEqual(before);
        expect(s.hasTwoThirdsAny()).toBe(any);
      }),
    );
  });
});

describe('HeightVotes round skipping', () => {
  it('targets the highest round that validators with more than 1/3 of the stake have reached', () => {
    const hv = new HeightVotes([10n, 10n, 10n, 10n], 40n);
    hv.noteRound(0, 3);
    expect(hv.skipTarget(0)).toBeUndefined();
    hv.noteRound(1, 7);
    expect(hv.skipTarget(0)).toBe(3);
    hv.noteRound(2, 9);
    expect(hv.skipTarget(0)).toBe(7);
    expect(hv.skipTarget(7)).toBeUndefined();
  });

  it('one validator above 1/3 by stake is enough; a third exactly is not', () => {
    expect(((hv) => (hv.noteRound(0, 4), hv.skipTarget(0)))(new HeightVotes([34n, 33n, 33n], 100n))).toBe(4);
    expect(((hv) => (hv.noteRound(0, 4), hv.skipTarget(0)))(new HeightVotes([33n, 33n, 33n], 99n))).toBeUndefined();
  });
});

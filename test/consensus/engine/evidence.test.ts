import fc from 'fast-check';
import type { BlockID } from 'cosmjs-types/tendermint/types/types';
import { describe, expect, it } from 'vitest';
import { timestampFromMs } from '../../../app/consensus/encoding/time.js';
import { EvidenceError, makeDuplicateVoteEvidence, verifyDuplicateVoteEvidence } from '../../../app/consensus/engine/evidence.js';
import { compareBlockIdKeys, ZERO_BLOCK_ID } from '../../../app/consensus/engine/ids.js';
import { CHAIN, makeValidators, T0, verify, vote } from './harness.js';

const { set, vals } = makeValidators([10, 20, 30, 40]);
const offender = vals[1];
const bid = (n: number): BlockID => ({ hash: new Uint8Array(32).fill(n), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(n) } });
const blockTime = timestampFromMs(T0);
const opts = { chainId: CHAIN, validators: set, verify, blockTimeMs: T0 };

describe('DuplicateVoteEvidence', () => {
  it('orders the votes by block id key and verifies with the offender power and the set total', () => {
    const ev = makeDuplicateVoteEvidence(vote(offender, 'precommit', 5n, 2, bid(9)), vote(offender, 'precommit', 5n, 2, bid(3)), blockTime, set);
    expect(compareBlockIdKeys(ev.voteA!.blockId, ev.voteB!.blockId)).toBeLessThan(0);
    expect(ev.validatorPower).toBe(set.validators[offender.index].votingPower);
    expect(ev.totalVotingPower).toBe(100n);
    expect(() => verifyDuplicateVoteEvidence(ev, opts)).not.toThrow();
  });

  it('a nil vote and a block vote conflict too (nil has the smallest key)', () => {
    const ev = makeDuplicateVoteEvidence(vote(offender, 'prevote', 5n, 0, bid(1)), vote(offender, 'prevote', 5n, 0, ZERO_BLOCK_ID), blockTime, set);
    expect(ev.voteA!.blockId.hash.length).toBe(0);
    expect(() => verifyDuplicateVoteEvidence(ev, opts)).not.toThrow();
  });

  const good = () => makeDuplicateVoteEvidence(vote(offender, 'prevote', 5n, 1, bid(1)), vote(offender, 'prevote', 5n, 1, bid(2)), blockTime, set);
  const refused = (mutate: (e: ReturnType<typeof good>) => void, o: Partial<typeof opts> & Record<string, unknown> = {}) => {
    const e = good();
    mutate(e);
    try {
      verifyDuplicateVoteEvidence(e, { ...opts, ...o });
      return 'accepted';
    } catch (err) {
      expect(err).toBeInstanceOf(EvidenceError);
      return (err as Error).message;
    }
  };

  it('refuses swapped votes, equal block ids, different rounds, heights, types or validators', () => {
    expect(refused((e) => ([e.voteA, e.voteB] = [e.voteB, e.voteA]))).toMatch(/invalid order/);
    expect(refused((e) => (e.voteB = e.voteA))).toMatch(/invalid order/);
    expect(refused((e) => (e.voteB = vote(offender, 'prevote', 5n, 2, bid(2))))).toMatch(/do not match/);
    expect(refused((e) => (e.voteB = vote(offender, 'prevote', 6n, 1, bid(2))))).toMatch(/do not match/);
    expect(refused((e) => (e.voteB = vote(offender, 'precommit', 5n, 1, bid(2))))).toMatch(/do not match/);
    expect(refused((e) => (e.voteB = vote(vals[2], 'prevote', 5n, 1, bid(2))))).toMatch(/different validators/);
  });

  it('refuses wrong powers, a forged signature, another chain and a wrong timestamp', () => {
    expect(refused((e) => (e.validatorPower = 1n))).toMatch(/validator power/);
    expect(refused((e) => (e.totalVotingPower = 7n))).toMatch(/total voting power/);
    expect(refused((e) => (e.voteB = { ...e.voteB!, signature: new Uint8Array(64).fill(3) }))).toMatch(/invalid signature/);
    expect(refused(() => undefined, { chainId: 'another-chain' })).toMatch(/invalid signature/);
    expect(refused(() => undefined, { blockTimeMs: T0 + 1 })).toMatch(/timestamp/);
  });

  it('refuses evidence older than both max-age limits, and only then', () => {
    const age = { maxAgeNumBlocks: 100n, maxAgeDurationMs: 60_000 };
    expect(refused(() => undefined, { ...age, now: { height: 106n, timeMs: T0 + 60_001 } })).toMatch(/older than/);
    expect(refused(() => undefined, { ...age, now: { height: 106n, timeMs: T0 + 1_000 } })).toBe('accepted');
    expect(refused(() => undefined, { ...age, now: { height: 50n, timeMs: T0 + 600_000 } })).toBe('accepted');
  });

  it('any two distinct votes of one validator make evidence that verifies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 1000 }), fc.nat(50), fc.boolean(), (a, b, h, r, pre) => {
        fc.pre(a !== b);
        const type = pre ? 'prevote' : 'precommit';
        const toId = (n: number) => (n === 0 ? ZERO_BLOCK_ID : bid(n));
        const ev = makeDuplicateVoteEvidence(vote(offender, type, BigInt(h), r, toId(a)), vote(offender, type, BigInt(h), r, toId(b)), blockTime, set);
        verifyDuplicateVoteEvidence(ev, opts);
      }),
      { numRuns: 40 },
    );
  });
});

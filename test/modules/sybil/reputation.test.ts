import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { discountBp, discountedStake } from '../../../modules/sybil/reputation.js';
import { defaultSybilParams, withSybilParam, type SybilParams } from '../../../modules/sybil/params.js';
import { isError } from '../../../app/errors.js';
import { ErrInvalidParam, ErrUnknownParam } from '../../../modules/sybil/errors.js';

const bp = fc.integer({ min: 0, max: 10_000 });
const params = fc.record({ epochLength: fc.bigInt({ min: 1n, max: 1000n }), discountPerEpochBp: bp, discountPerActionBp: bp, slashPenaltyBp: bp, maxDiscountBp: fc.integer({ min: 0, max: 5000 }) }).map(
  (p): SybilParams => ({ ...defaultSybilParams(), ...p }),
);
const rep = fc.record({ firstSeenHeight: fc.bigInt({ min: 1n, max: 1n << 40n }), successfulActions: fc.bigInt({ min: 0n, max: 1n << 40n }), slashes: fc.bigInt({ min: 0n, max: 100n }) });

describe('reputation discount', () => {
  it('is never above 50% nor max_discount_bp, never negative, and the stake needed is never below half', () => {
    fc.assert(
      fc.property(params, rep, fc.bigInt({ min: 0n, max: 1n << 41n }), fc.bigInt({ min: 0n, max: 1n << 100n }), (p, r, height, required) => {
        const d = discountBp(r, height, p);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(5000, p.maxDiscountBp));
        const need = discountedStake(required, d);
        expect(need * 2n).toBeGreaterThanOrEqual(required);
        expect(need).toBeLessThanOrEqual(required);
      }),
    );
  });

  it('grows with age and successful actions and shrinks with slashes', () => {
    fc.assert(
      fc.property(params, rep, fc.bigInt({ min: 0n, max: 1n << 41n }), fc.bigInt({ min: 0n, max: 1000n }), (p, r, height, more) => {
        const d = discountBp(r, height, p);
        expect(discountBp(r, height + more * p.epochLength, p)).toBeGreaterThanOrEqual(d);
        expect(discountBp({ ...r, successfulActions: r.successfulActions + more }, height, p)).toBeGreaterThanOrEqual(d);
        expect(discountBp({ ...r, slashes: r.slashes + more }, height, p)).toBeLessThanOrEqual(d);
      }),
    );
  });

  it('uses integers only: 3 epochs at 100 bp and 7 actions at 10 bp less one slash at 250 bp is 120 bp', () => {
    const p = { ...defaultSybilParams(), epochLength: 10n, discountPerEpochBp: 100, discountPerActionBp: 10, slashPenaltyBp: 250 };
    expect(discountBp({ firstSeenHeight: 5n, successfulActions: 7n, slashes: 1n }, 39n, p)).toBe(120);
    expect(discountedStake(1001n, 120)).toBe(1001n - 12n);
  });
});

describe('sybil params', () => {
  it('refuses unknown names and out-of-range values with registered errors, never above the 50% cap', () => {
    const p = defaultSybilParams();
    const fails = (name: string, value: string) => {
      try {
        withSybilParam(p, name, value);
      } catch (e) {
        return e;
      }
      throw new Error(`${name}=${value} was accepted`);
    };
    expect(isError(fails('nope', '1'), ErrUnknownParam)).toBe(true);
    for (const [n, v] of [['max_discount_bp', '5001'], ['pow_bits_push', '49'], ['pow_window', '0'], ['stake_push', '-1'], ['stake_push', '1.5'], ['epoch_length', 'x'], ['discount_per_epoch_bp', '10001']]) {
      expect(isError(fails(n!, v!), ErrInvalidParam), `${n}=${v}`).toBe(true);
    }
    expect(withSybilParam(p, 'pow_bits_push', '0').powBits.push).toBe(0);
    expect(p.powBits.push).toBe(16); // copies, never mutates
  });
});

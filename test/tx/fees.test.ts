import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrInvalidCoins, isError } from '../../app/errors.js';
import { coversAny, parseDecCoins, requiredFees, txPriority } from '../../app/tx/fees.js';

describe('min gas prices', () => {
  it('parses decimal coins into 10^18-scaled integers', () => {
    expect(parseDecCoins('0.025ugut')).toEqual([{ denom: 'ugut', amount: 25n * 10n ** 15n }]);
    expect(parseDecCoins('1stake, 0.5ugut')).toEqual([
      { denom: 'stake', amount: 10n ** 18n },
      { denom: 'ugut', amount: 5n * 10n ** 17n },
    ]);
    expect(parseDecCoins('')).toEqual([]);
    for (const bad of ['ugut', '-1ugut', '0.1', '1.2.3ugut', '0.0000000000000000001ugut']) {
      let err: unknown;
      try {
        parseDecCoins(bad);
      } catch (e) {
        err = e;
      }
      expect(isError(err, ErrInvalidCoins), bad).toBe(true);
    }
  });

  it('requires ceil(price × gas), exactly, for any price with up to 18 decimals', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (whole, frac, gas) => {
        const price = `${whole}.${frac.toString().padStart(18, '0')}ugut`;
        const [req] = requiredFees(parseDecCoins(price), gas);
        const scaled = (BigInt(whole) * 10n ** 18n + frac) * gas;
        expect(req.amount * 10n ** 18n >= scaled).toBe(true);
        expect((req.amount - 1n) * 10n ** 18n < scaled).toBe(true);
      }),
    );
  });

  it('accepts a fee that covers any one of the min gas price denoms', () => {
    const required = [
      { denom: 'ugut', amount: 100n },
      { denom: 'stake', amount: 5n },
    ];
    expect(coversAny([{ denom: 'stake', amount: 5n }], required)).toBe(true);
    expect(coversAny([{ denom: 'ugut', amount: 99n }, { denom: 'stake', amount: 4n }], required)).toBe(false);
  });

  it('prioritises by the lowest gas price paid', () => {
    expect(txPriority([{ denom: 'ugut', amount: 5000n }], 200_000n)).toBe(0n);
    expect(txPriority([{ denom: 'ugut', amount: 500_000n }, { denom: 'stake', amount: 400_000n }], 200_000n)).toBe(2n);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionDetector, PartitionDetectorError } from '../../app/p2p/partition/detector.js';

const vals = (powers: bigint[]) => powers.map((power, i) => ({ address: `v${i}`, power }));

describe('partition detector', () => {
  it('emits partitioned with the figures when the stake heard from falls below 2/3, and healed when it is back', () => {
    const d = new PartitionDetector({ windowMs: 1_000 });
    d.setValidators(vals([40n, 30n, 20n, 10n]), 0);
    for (const v of ['v0', 'v1', 'v2', 'v3']) d.heard(v, 500);
    expect(d.check(1_000)).toBeUndefined();
    d.heard('v0', 1_200);
    d.heard('v3', 1_200);
    const e = d.check(1_600); // v1, v2 last heard at 500: 1,100 ms ago
    expect(e).toEqual({ type: 'partitioned', figures: { heardPower: 50n, totalPower: 100n, shareBps: 5_000, thresholdBps: 6_667, heardValidators: 2, totalValidators: 4, at: 1_600 } });
    expect(d.check(1_700)).toBeUndefined(); // only transitions are events
    d.heard('v1', 1_800);
    expect(d.check(1_800)).toMatchObject({ type: 'healed', figures: { heardPower: 80n, shareBps: 8_000 } });
  });

  it('treats exactly 2/3 of the stake as partitioned (BFT needs more than 2/3)', () => {
    const d = new PartitionDetector({ windowMs: 1_000 });
    d.setValidators(vals([1n, 1n, 1n]), 0);
    d.heard('v0', 2_000);
    d.heard('v1', 2_000);
    expect(d.check(2_000)).toMatchObject({ type: 'partitioned', figures: { shareBps: 6_666 } });
  });

  it('counts its own validator as heard and does not alarm on new validators before their window ran', () => {
    const d = new PartitionDetector({ windowMs: 1_000 }, 'v0');
    d.setValidators(vals([70n, 30n]), 0);
    expect(d.check(5_000)).toBeUndefined(); // v0 is self: 70% heard
    d.setValidators(vals([70n, 30n, 100n]), 5_000); // v2 joins with most of the stake
    expect(d.check(5_500)).toBeUndefined();
    expect(d.check(6_500)).toMatchObject({ type: 'partitioned', figures: { heardPower: 70n, totalPower: 200n } });
  });

  it('matches exact integer arithmetic for any powers and threshold (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 18n }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 1, max: 10_000 }),
        (powers, heardMask, bps) => {
          const d = new PartitionDetector({ windowMs: 100, thresholdBps: bps });
          d.setValidators(vals(powers), -1_000);
          powers.forEach((_, i) => heardMask[i] && d.heard(`v${i}`, 0));
          const total = powers.reduce((a, b) => a + b, 0n);
          const heard = powers.reduce((a, p, i) => (heardMask[i] ? a + p : a), 0n);
          const e = d.check(50);
          const below = heard * 10_000n < total * BigInt(bps);
          expect(e?.type).toBe(below ? 'partitioned' : undefined);
          expect(d.figures(50).shareBps).toBe(Number((heard * 10_000n) / total));
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('refuses a bad configuration or validator set with a typed error', () => {
    expect(() => new PartitionDetector({ thresholdBps: 0 })).toThrow(PartitionDetectorError);
    expect(() => new PartitionDetector({ thresholdBps: 6_666.5 })).toThrow(PartitionDetectorError);
    expect(() => new PartitionDetector({ windowMs: 0 })).toThrow(PartitionDetectorError);
    const d = new PartitionDetector();
    expect(() => d.setValidators([{ address: 'a', power: -1n }], 0)).toThrow(PartitionDetectorError);
    expect(() => d.setValidators([{ address: 'a', power: 1n }, { address: 'a', power: 2n }], 0)).toThrow(PartitionDetectorError);
  });
});

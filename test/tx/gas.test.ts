import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodedError, ErrOutOfGas, isError } from '../../app/errors.js';
import { createGasMeter, createInfiniteGasMeter, DEFAULT_KV_GAS_CONFIG, gasKVStore, MAX_GAS, txGasMeter } from '../../app/tx/gas.js';
import { memStore } from './fakes.js';

const bytes = (n: number) => new Uint8Array(n).fill(7);

describe('gas meter', () => {
  it('throws ErrOutOfGas exactly when the running total passes the limit', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000n }), fc.array(fc.bigInt({ min: 0n, max: 3_000n }), { maxLength: 20 }), (limit, amounts) => {
        const m = createGasMeter(limit);
        let total = 0n;
        for (const a of amounts) {
          total += a;
          let err: unknown;
          try {
            m.consume(a, 'step');
          } catch (e) {
            err = e;
          }
          if (total > limit) {
            expect(isError(err, ErrOutOfGas)).toBe(true);
            expect((err as CodedError).message).toContain(`out of gas in location: step; gasWanted: ${limit}, gasUsed: ${total}`);
            expect(m.consumedToLimit()).toBe(limit);
            return;
          }
          expect(err).toBeUndefined();
          expect(m.consumed()).toBe(total);
          expect(m.remaining()).toBe(limit - total);
        }
      }),
    );
  });

  it('an infinite meter counts but never runs out, up to uint64 overflow', () => {
    const m = createInfiniteGasMeter();
    m.consume(MAX_GAS - 1n, 'big');
    expect(m.consumed()).toBe(MAX_GAS - 1n);
    expect(() => m.consume(2n, 'more')).toThrow(/gas overflow in location: more/);
  });

  it('simulation and genesis get an unlimited meter, everything else the tx gas limit', () => {
    expect(txGasMeter(100n, { simulate: true, height: 5 }).limit).toBe(MAX_GAS);
    expect(txGasMeter(100n, { simulate: false, height: 0 }).limit).toBe(MAX_GAS);
    expect(txGasMeter(100n, { simulate: false, height: 5 }).limit).toBe(100n);
  });
});

describe('gasKVStore', () => {
  const c = DEFAULT_KV_GAS_CONFIG;

  it('charges cosmos-sdk KVGasConfig for reads, writes, has and deletes', async () => {
    const m = createInfiniteGasMeter();
    const s = gasKVStore(memStore(), m);
    await s.set(bytes(4), bytes(10));
    expect(m.consumed()).toBe(c.writeCostFlat + c.writeCostPerByte * 14n);
    const before = m.consumed();
    expect(await s.get(bytes(4))).toEqual(bytes(10));
    expect(m.consumed() - before).toBe(c.readCostFlat + c.readCostPerByte * 14n);
    const b2 = m.consumed();
    expect(await s.get(bytes(5))).toBeUndefined();
    expect(m.consumed() - b2).toBe(c.readCostFlat + c.readCostPerByte * 5n);
    const b3 = m.consumed();
    expect(await s.has(bytes(4))).toBe(true);
    await s.delete(bytes(4));
    expect(m.consumed() - b3).toBe(c.hasCost + c.deleteCost);
  });

  it('charges iteration per entry yielded', async () => {
    const inner = memStore();
    for (let i = 0; i < 3; i++) await inner.set(Uint8Array.from([1, i]), bytes(8));
    const m = createInfiniteGasMeter();
    const seen = [];
    for await (const e of gasKVStore(inner, m).iterate(Uint8Array.from([1]))) seen.push(e);
    expect(seen).toHaveLength(3);
    expect(m.consumed()).toBe(c.iterNextCostFlat * 4n + c.readCostPerByte * 3n * 10n);
  });

  it('stops before writing when out of gas', async () => {
    const inner = memStore();
    const s = gasKVStore(inner, createGasMeter(2_100n));
    await expect(s.set(bytes(4), bytes(10))).rejects.toSatisfy((e: unknown) => isError(e, ErrOutOfGas));
    expect(inner.map.size).toBe(0);
  });

  it('charges every write WriteCostFlat plus WriteCostPerByte per key and value byte', () => {
    fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 200 })), { maxLength: 15 }), async (ops) => {
        const m = createInfiniteGasMeter();
        const s = gasKVStore(memStore(), m);
        let expected = 0n;
        for (const [k, v] of ops) {
          await s.set(bytes(k), bytes(v));
          expected += c.writeCostFlat + c.writeCostPerByte * BigInt(k + v);
        }
        expect(m.consumed()).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });
});

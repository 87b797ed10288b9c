import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, keyId, keyIdBytes } from '../../app/store/bytes.js';
import { be32, be64 } from '../../app/consensus/keys.js';
import { uint64BE } from '../../app/chain/keys.js';

describe('key ids and fixed-width integers', () => {
  it('keyId is the latin1 string of the bytes, round-trips, and orders like the bytes (short and long keys)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.uint8Array({ maxLength: 600 }), (a, b) => {
        expect(keyId(a)).toBe(Buffer.from(a).toString('latin1'));
        expect(keyIdBytes(keyId(a))).toEqual(a);
        const byId = keyId(a) < keyId(b) ? -1 : keyId(a) > keyId(b) ? 1 : 0;
        expect(byId).toBe(Math.sign(compareBytes(a, b)));
      }),
    );
  });

  it('be64, be32 and uint64BE write what DataView writes, wrapping out-of-range input the same way', () => {
    const viaView = (bits: 32 | 64, n: bigint) => {
      const out = new Uint8Array(bits / 8);
      const v = new DataView(out.buffer);
      if (bits === 64) v.setBigUint64(0, n);
      else v.setUint32(0, Number(n));
      return out;
    };
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), (n) => {
        expect(be64(n)).toEqual(viaView(64, n));
        expect(uint64BE(n)).toEqual(viaView(64, n));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (n) => {
        expect(be32(n)).toEqual(viaView(32, BigInt(n)));
        expect(be64(n)).toEqual(viaView(64, BigInt(n)));
      }),
    );
  });
});

/** Scalar encoders: Go-exact RFC 3339 times and the tx inclusion proof. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeRootFromProof, proofsFromByteSlices } from '../../app/consensus/encoding/merkle.js';
import { b64, parseBase64, parseHex } from '../../app/rpc/encoding/primitives.js';
import { rfc3339 } from '../../app/rpc/encoding/time.js';
import { txProofJson } from '../../app/rpc/encoding/tx.js';
import { sha256 } from './fake-chain.js';

describe('rfc3339', () => {
  it('prints like Go RFC3339Nano: trailing zeros trimmed, no fraction for whole seconds', () => {
    expect(rfc3339({ seconds: 1_684_332_768n, nanos: 347_696_215 })).toBe('2023-05-17T14:12:48.347696215Z');
    expect(rfc3339({ seconds: 1_684_332_768n, nanos: 347_000_000 })).toBe('2023-05-17T14:12:48.347Z');
    expect(rfc3339({ seconds: 1_684_332_768n, nanos: 500 })).toBe('2023-05-17T14:12:48.0000005Z');
    expect(rfc3339({ seconds: 1_684_332_768n, nanos: 0 })).toBe('2023-05-17T14:12:48Z');
    expect(rfc3339({ seconds: 0n, nanos: 0 })).toBe('1970-01-01T00:00:00Z');
  });

  it("prints Go's zero time for an unset timestamp and the extremes of the range", () => {
    expect(rfc3339(undefined)).toBe('0001-01-01T00:00:00Z');
    expect(rfc3339({ seconds: -62_135_596_800n, nanos: 0 })).toBe('0001-01-01T00:00:00Z');
    expect(rfc3339({ seconds: 253_402_300_799n, nanos: 999_999_999 })).toBe('9999-12-31T23:59:59.999999999Z');
    expect(rfc3339({ seconds: 951_782_400n, nanos: 0 })).toBe('2000-02-29T00:00:00Z');
  });

  it('refuses out-of-range values rather than printing a date clients cannot parse', () => {
    expect(() => rfc3339({ seconds: 253_402_300_800n, nanos: 0 })).toThrow(RangeError);
    expect(() => rfc3339({ seconds: -62_135_596_801n, nanos: 0 })).toThrow(RangeError);
    expect(() => rfc3339({ seconds: 0n, nanos: 1_000_000_000 })).toThrow(RangeError);
    expect(() => rfc3339({ seconds: 0n, nanos: -1 })).toThrow(RangeError);
  });

  it('agrees with Date for every millisecond-precision instant in years 0001..9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        const seconds = Math.floor(ms / 1000);
        const millis = ms - seconds * 1000;
        const iso = new Date(ms).toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ for these years
        const expected = millis === 0 ? iso.replace(/\.\d{3}Z$/, 'Z') : iso.replace(/0*Z$/, 'Z');
        expect(rfc3339({ seconds: BigInt(seconds), nanos: millis * 1_000_000 })).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('tx proofs', () => {
  it('matches a recorded CometBFT 0.38 proof (tendermint-rs kvstore fixture tx_search_with_prove)', () => {
    const p = txProofJson([new TextEncoder().encode('async-key=value')], 0);
    expect(p.root_hash).toBe('3081F9915040D138B3AD7F895732D2767C29E85BA5D84388D04E17A5D8262B7A');
    expect(p.data).toBe('YXN5bmMta2V5PXZhbHVl');
    expect(p.proof).toEqual({ total: '1', index: '0', leaf_hash: 'MIH5kVBA0TizrX+JVzLSdnwp6Ful2EOI0E4XpdgmK3o=', aunts: [] });
  });

  it('every proof verifies against the root of the tx hashes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 17 }), fc.nat(), (txs, pick) => {
        const index = pick % txs.length;
        const p = txProofJson(txs, index);
        const root = proofsFromByteSlices(txs.map(sha256)).root;
        expect(p.root_hash).toBe(Buffer.from(root).toString('hex').toUpperCase());
        const computed = computeRootFromProof(
          { total: Number(p.proof.total), index: Number(p.proof.index), leafHash: parseBase64(p.proof.leaf_hash)!, aunts: p.proof.aunts.map((a) => parseBase64(a)!) },
          sha256(txs[index]),
        );
        expect(computed && Buffer.from(computed).equals(Buffer.from(root))).toBe(true);
      }),
    );
  });
});

describe('byte parsing', () => {
  it('accepts only strict hex and padded base64', () => {
    expect(parseHex('0x0aFF')).toEqual(new Uint8Array([10, 255]));
    expect(parseHex('abc')).toBeUndefined();
    expect(parseHex('zz')).toBeUndefined();
    expect(parseBase64('AQI=')).toEqual(new Uint8Array([1, 2]));
    expect(parseBase64('AQI')).toBeUndefined();
    expect(parseBase64('A*I=')).toBeUndefined();
  });

  it('round-trips base64', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(parseBase64(b64(b))).toEqual(b);
      }));
  });
});

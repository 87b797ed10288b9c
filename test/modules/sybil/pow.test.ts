import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { leadingZeroBits, powChallenge, powHash, solvePow, verifyPow, PowError, type PowAction } from '../../../sdk/pow.js';

const base = { chainId: 'guts-test-1', signer: 'guts1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du', action: 'push' as PowAction, blockHash: new Uint8Array(32).fill(9) };

describe('sdk/pow', () => {
  it('counts leading zero bits from the most significant bit of the first byte', () => {
    expect(leadingZeroBits(new Uint8Array([0x80, 0]))).toBe(0);
    expect(leadingZeroBits(new Uint8Array([0x01, 0xff]))).toBe(7);
    expect(leadingZeroBits(new Uint8Array([0, 0x40]))).toBe(9);
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
  });

  it('hashes the challenge followed by the nonce as 8 little-endian bytes', () => {
    const challenge = powChallenge(base);
    const msg = new Uint8Array(40);
    msg.set(challenge);
    msg.set([0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01], 32);
    expect(powHash(challenge, 0x0102030405060708n)).toEqual(sha256(msg));
  });

  it('binds chain id, signer, action and block hash: changing any one changes the challenge', () => {
    const c = powChallenge(base);
    const variants = [
      { ...base, chainId: 'guts-test-2' },
      { ...base, signer: 'guts1qgpqyqszqgpqyqszqgpqyqszqgpqyqszrh8mx2' },
      { ...base, action: 'create_repo' as PowAction },
      { ...base, blockHash: new Uint8Array(32).fill(8) },
    ];
    for (const v of variants) expect(powChallenge(v)).not.toEqual(c);
    expect(() => powChallenge({ ...base, action: 'mint' as PowAction })).toThrow(PowError);
    expect(() => powChallenge({ ...base, blockHash: new Uint8Array(31) })).toThrow(PowError);
  });

  it('the solver finds nonces whose hash really has the bits, for any challenge and start nonce (checked with noble sha256)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 10 }), async (challenge, startNonce, bits) => {
        const r = await solvePow({ challenge, bits, startNonce });
        expect(r.hash).toEqual(powHash(challenge, r.nonce));
        expect(leadingZeroBits(r.hash)).toBeGreaterThanOrEqual(bits);
        expect(verifyPow({ challenge, nonce: r.nonce, bits })).toBe(true);
        // the first nonce at or after the start that works (wrapping at 2^64)
        expect(r.nonce).toBe((startNonce + r.attempts - 1n) % (1n << 64n));
        for (let n = 0n; n < r.attempts - 1n && n < 64n; n++) expect(leadingZeroBits(powHash(challenge, (startNonce + n) % (1n << 64n)))).toBeLessThan(bits);
      }),
      { numRuns: 60 },
    );
  });

  it('reports progress and can be aborted', async () => {
    const seen: bigint[] = [];
    const r = await solvePow({ challenge: powChallenge(base), bits: 12, startNonce: 0n, yieldEvery: 256, onProgress: (p) => seen.push(p.attempts) });
    expect(seen.at(-1)).toBe(r.attempts);
    expect(seen.length).toBeGreaterThan(1);
    const ctl = new AbortController();
    ctl.abort();
    await expect(solvePow({ challenge: powChallenge(base), bits: 40, signal: ctl.signal })).rejects.toThrow(/aborted/);
  });

  it('refuses bad input at the boundary', async () => {
    await expect(solvePow({ challenge: new Uint8Array(5), bits: 1 })).rejects.toThrow(PowError);
    await expect(solvePow({ challenge: new Uint8Array(32), bits: 99 })).rejects.toThrow(PowError);
    expect(() => powHash(new Uint8Array(32), -1n)).toThrow(PowError);
    expect(() => powHash(new Uint8Array(32), 1n << 64n)).toThrow(PowError);
  });
});

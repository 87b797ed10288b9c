import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECP256K1_BACKEND, verifySecp256k1, verifyWithLibsecp256k1, verifyWithOpenssl } from '../../app/tx/secp256k1.js';
import { highS } from './helpers.js';

/** secp256k1's group order n, big-endian. */
const ORDER = Uint8Array.from(Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex'));

describe('secp256k1 verification backends', () => {
  it('loads libsecp256k1 on this platform (the fast path the throughput figures assume)', () => {
    expect(SECP256K1_BACKEND).toBe('libsecp256k1');
  });

  it('libsecp256k1 and node:crypto give the same answer for valid, tampered, high-S, out-of-range and off-curve inputs', () => {
    const kinds = ['valid', 'other-msg', 'other-key', 'high-s', 'flip-bit', 'r-is-n', 's-zero', 'random-key', 'random-sig'] as const;
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((k) => secp256k1.utils.isValidSecretKey(k)),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        fc.constantFrom(...kinds),
        fc.uint8Array({ minLength: 97, maxLength: 97 }),
        fc.nat(),
        (sk, msg, kind, noise, at) => {
          let pubkey = secp256k1.getPublicKey(sk, true);
          let sig: Uint8Array = secp256k1.sign(sha256(msg), sk, { prehash: false });
          let signed = msg;
          switch (kind) {
            case 'other-msg':
              signed = Uint8Array.from([...msg, 1]);
              break;
            case 'other-key':
              pubkey = secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true);
              break;
            case 'high-s':
              sig = highS(sig);
              break;
            case 'flip-bit':
              sig = sig.slice();
              sig[at % 64] ^= 1 << (at % 8);
              break;
            case 'r-is-n':
              sig = Uint8Array.from([...ORDER, ...sig.subarray(32)]);
              break;
            case 's-zero':
              sig = Uint8Array.from([...sig.subarray(0, 32), ...new Uint8Array(32)]);
              break;
            case 'random-key':
              pubkey = Uint8Array.from([0x02 | (noise[0] & 1), ...noise.subarray(1, 33)]);
              break;
            case 'random-sig':
              sig = noise.subarray(33, 97);
              break;
          }
          const expected = verifyWithOpenssl(pubkey, signed, sig);
          expect(verifyWithLibsecp256k1(pubkey, signed, sig)).toBe(expected);
          expect(verifySecp256k1(pubkey, signed, sig)).toBe(expected);
          if (kind === 'valid') expect(expected).toBe(true);
          if (kind === 'high-s' || kind === 'r-is-n' || kind === 's-zero' || kind === 'other-msg') expect(expected).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

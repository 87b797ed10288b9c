import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { isEd25519Point } from '../../../modules/staking/consensus.js';

function nobleAccepts(b: Uint8Array): boolean {
  try {
    ed25519.Point.fromBytes(b, false); // strict RFC 8032 decoding
    return true;
  } catch {
    return false;
  }
}

describe('consensus key check', () => {
  it('accepts real ed25519 public keys', () => {
    for (let i = 0; i < 20; i++) expect(isEd25519Point(ed25519.getPublicKey(ed25519.utils.randomSecretKey()))).toBe(true);
  });

  it('agrees with @noble/curves strict decoding on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => isEd25519Point(b) === nobleAccepts(b)), { numRuns: 500, seed: 11 });
    expect(isEd25519Point(new Uint8Array(32).fill(255))).toBe(false); // y ≥ p
    expect(isEd25519Point(new Uint8Array(31))).toBe(false);
  });
});

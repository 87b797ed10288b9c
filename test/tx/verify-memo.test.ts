import { describe, expect, it } from 'vitest';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createMemoVerifier } from '../../app/tx/verify-memo.js';
import { inThreadVerifier, type SignatureVerifier, type VerifyItem } from '../../app/tx/secp256k1.js';

function item(seed: number): VerifyItem {
  const sk = sha256(new Uint8Array([seed]));
  const msg = new Uint8Array(64).fill(seed);
  return { pubkey: secp256k1.getPublicKey(sk, true), msg, sig: secp256k1.sign(sha256(msg), sk, { prehash: false }) };
}

function counting(): SignatureVerifier & { calls: number } {
  const v = {
    calls: 0,
    async verify(items: VerifyItem[]) {
      v.calls += items.length;
      return inThreadVerifier.verify(items);
    },
  };
  return v;
}

describe('memoised signature verification', () => {
  it('verifies a good signature once and answers repeats from the memo', async () => {
    const inner = counting();
    const memo = createMemoVerifier(inner);
    const good = item(1);
    expect(await memo.verify([good])).toEqual([true]);
    expect(await memo.verify([good, good])).toEqual([true, true]);
    expect(inner.calls).toBe(1);
  });

  it('never remembers a failure, and a changed message, key or signature is verified afresh', async () => {
    const inner = counting();
    const memo = createMemoVerifier(inner);
    const good = item(2);
    await memo.verify([good]);
    const otherMsg = { ...good, msg: new Uint8Array(64).fill(9) };
    const otherSig = { ...good, sig: item(3).sig };
    const otherKey = { ...good, pubkey: item(3).pubkey };
    expect(await memo.verify([otherMsg, otherSig, otherKey])).toEqual([false, false, false]);
    expect(await memo.verify([otherMsg])).toEqual([false]);
    expect(inner.calls).toBe(5);
  });

  it('stays within its capacity', async () => {
    const memo = createMemoVerifier(inThreadVerifier, 3);
    for (let i = 10; i < 16; i++) await memo.verify([item(i)]);
    expect(memo.size).toBe(3);
  });
});

import { makeSignBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { isLowS, KeyCache, pubkeyToAddress, verifySecp256k1 } from '../../app/tx/secp256k1.js';
import { CHAIN_ID, highS, makeKeys, msgSend, signTx, type Keys } from './helpers.js';

let keys: Keys;
let signBytes: Uint8Array;
let sig: Uint8Array;
beforeAll(async () => {
  keys = await makeKeys(2);
  const tx = await signTx(keys, { signers: [{ key: 0, accountNumber: 1n, sequence: 0n }], msgs: [msgSend(keys.accounts[0].address, keys.accounts[1].address)] });
  signBytes = makeSignBytes(makeSignDoc(tx.bodyBytes, tx.authInfoBytes, CHAIN_ID, 1));
  sig = tx.signatures[0];
});

describe('secp256k1', () => {
  it('derives the same guts1 address as cosmjs', () => {
    for (const a of keys.accounts) expect(pubkeyToAddress(a.pubkey)).toBe(a.address);
    expect(keys.accounts[0].address.startsWith('guts1')).toBe(true);
  });

  it('verifies a cosmjs SIGN_MODE_DIRECT signature', () => {
    expect(verifySecp256k1(keys.accounts[0].pubkey, signBytes, sig)).toBe(true);
  });

  it('rejects the high-S twin of a valid signature', () => {
    const malleated = highS(sig);
    // The twin is a valid ECDSA signature, so only the low-S rule rejects it.
    expect(secp256k1.verify(malleated, sha256(signBytes), keys.accounts[0].pubkey, { lowS: false, prehash: false })).toBe(true);
    expect(isLowS(sig)).toBe(true);
    expect(isLowS(malleated)).toBe(false);
    expect(verifySecp256k1(keys.accounts[0].pubkey, signBytes, malleated)).toBe(false);
  });

  it('rejects another key, another message, and malformed input without throwing', () => {
    expect(verifySecp256k1(keys.accounts[1].pubkey, signBytes, sig)).toBe(false);
    expect(verifySecp256k1(keys.accounts[0].pubkey, Uint8Array.from([...signBytes, 0]), sig)).toBe(false);
    expect(verifySecp256k1(keys.accounts[0].pubkey, signBytes, sig.subarray(0, 63))).toBe(false);
    expect(verifySecp256k1(keys.accounts[0].pubkey, signBytes, new Uint8Array(64))).toBe(false);
    expect(verifySecp256k1(keys.accounts[0].pubkey.subarray(1), signBytes, sig)).toBe(false);
    const offCurve = Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]);
    expect(verifySecp256k1(offCurve, signBytes, sig)).toBe(false);
  });

  it('keeps the key cache bounded', () => {
    const cache = new KeyCache(8);
    for (let i = 0; i < 20; i++) cache.get(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true));
    expect(cache.size).toBe(8);
    expect(verifySecp256k1(keys.accounts[0].pubkey, signBytes, sig, cache)).toBe(true);
  });
});

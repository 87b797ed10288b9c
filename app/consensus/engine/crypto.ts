/**
 * Ed25519 for hosts running on Node: signing and a fast verifier built on node:crypto
 * (OpenSSL), with noble's ZIP-215 check as the fallback when OpenSSL says no. OpenSSL
 * verifies cofactorless and rejects some encodings ZIP-215 accepts; every signature it
 * accepts ZIP-215 accepts too, so "OpenSSL, else noble" accepts exactly the ZIP-215 set
 * CometBFT uses, at OpenSSL's speed for the (honest) common case. Not browser-safe:
 * the engine itself takes the verifier as a parameter.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { ED25519_PUBKEY_LENGTH, ED25519_SIGNATURE_LENGTH, verifyEd25519 } from '../ed25519.js';
import type { VerifyFn } from './types.js';

// DER prefixes for raw ed25519 keys (RFC 8410 §4 SubjectPublicKeyInfo, §7 PKCS#8).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface Ed25519Key {
  readonly pubKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export function ed25519KeyFromSeed(seed: Uint8Array): Ed25519Key {
  if (seed.length !== 32) throw new RangeError(`ed25519 seed must be 32 bytes, got ${seed.length}`);
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const pubKey = new Uint8Array(spki.subarray(spki.length - ED25519_PUBKEY_LENGTH));
  return { pubKey, sign: (message) => new Uint8Array(nodeSign(null, message, key)) };
}

/** A ZIP-215 verifier with a bounded cache of parsed public keys (validator sets are small and stable). */
export function createEd25519Verifier(maxCachedKeys = 4096): VerifyFn {
  const keys = new Map<string, KeyObject>();
  const keyObject = (pub: Uint8Array): KeyObject | undefined => {
    const id = Buffer.from(pub.buffer, pub.byteOffset, pub.length).toString('latin1');
    let k = keys.get(id);
    if (k) return k;
    try {
      k = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
    } catch {
      return undefined; // not a point OpenSSL can decode; noble decides
    }
    if (keys.size >= maxCachedKeys) keys.clear();
    keys.set(id, k);
    return k;
  };
  return (pubKey, message, signature) => {
    if (pubKey.length !== ED25519_PUBKEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) return false;
    const k = keyObject(pubKey);
    if (k && nodeVerify(null, message, k, signature)) return true;
    return verifyEd25519(signature, message, pubKey);
  };
}

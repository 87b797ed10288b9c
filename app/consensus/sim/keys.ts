/**
 * Validator keys for the simulator. `ed25519` uses real keys (node:crypto) and the
 * engine's real verifier. `fast` replaces the signature scheme with a keyed hash
 * (SHA-256(secret ‖ message) ‖ public key) checked against the simulator's own key
 * table: one hash instead of an ed25519 verification, so thousands of seeds and 100
 * validators stay cheap. It is a simulator device only: nothing outside sim/ uses it,
 * and it preserves what the engine relies on (a signature binds a key and the bytes).
 */
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { createEd25519Verifier, ed25519KeyFromSeed, type Ed25519Key } from '../engine/crypto.js';
import type { VerifyFn } from '../engine/types.js';

export type SimCrypto = 'ed25519' | 'fast';

export interface SimKeyring {
  keys: Ed25519Key[];
  verify: VerifyFn;
}

function seedFor(runSeed: number, index: number): Uint8Array {
  const tag = new TextEncoder().encode(`guts-sim-key/${runSeed}/${index}`);
  return sha256(tag);
}

function fastSign(secret: Uint8Array, pub: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  out.set(createHash('sha256').update(secret).update(message).digest(), 0);
  out.set(pub, 32);
  return out;
}

export function makeKeyring(kind: SimCrypto, runSeed: number, count: number): SimKeyring {
  if (kind === 'ed25519') {
    const keys = Array.from({ length: count }, (_, i) => ed25519KeyFromSeed(seedFor(runSeed, i)));
    return { keys, verify: createEd25519Verifier() };
  }
  const secrets = new Map<string, Uint8Array>();
  const keys: Ed25519Key[] = Array.from({ length: count }, (_, i) => {
    const secret = seedFor(runSeed, i);
    const pubKey = sha256(secret);
    secrets.set(Buffer.from(pubKey).toString('latin1'), secret);
    return { pubKey, sign: (m: Uint8Array) => fastSign(secret, pubKey, m) };
  });
  const byObject = new WeakMap<Uint8Array, Uint8Array>();
  const verify: VerifyFn = (pub, message, signature) => {
    let secret = byObject.get(pub);
    if (!secret) {
      secret = secrets.get(Buffer.from(pub).toString('latin1'));
      if (!secret) return false;
      byObject.set(pub, secret);
    }
    if (signature.length !== 64) return false;
    const expect = createHash('sha256').update(secret).update(message).digest();
    for (let i = 0; i < 32; i++) if (signature[i] !== expect[i]) return false;
    for (let i = 0; i < 32; i++) if (signature[32 + i] !== pub[i]) return false;
    return true;
  };
  return { keys, verify };
}

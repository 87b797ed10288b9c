/**
 * Validator keys for the simulator. `ed25519` uses real keys (node:crypto) and the
 * engine's real verifier. `fast` replaces the signature scheme with a keyed hash
 * (a 64-bit keyed hash ‖ public key) checked against the simulator's own key
 * table: one hash instead of an ed25519 verification, so thousands of seeds and 100
 * validators stay cheap. It is a simulator device only: nothing outside sim/ uses it,
 * and it preserves what the engine relies on (a signature binds a key and the bytes).
 */
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

/**
 * A 64-bit keyed hash of the message (two multiply-xorshift lanes seeded from the
 * secret). Not a MAC anyone should use: it only has to make every simulated signature
 * depend on the signer's key and every byte signed, at a fraction of a microsecond.
 */
function keyedHash(seed: Uint32Array, message: Uint8Array): [number, number] {
  let h1 = seed[0] ^ message.length;
  let h2 = seed[1];
  for (let i = 0; i < message.length; i++) {
    h1 = Math.imul(h1 ^ message[i], 0x9e3779b1);
    h2 = Math.imul(h2 ^ message[i] ^ (h1 >>> 15), 0x85ebca77);
    h1 ^= h1 >>> 13;
  }
  h1 = Math.imul(h1 ^ (h2 >>> 16), 0xc2b2ae3d) ^ seed[2];
  h2 = Math.imul(h2 ^ (h1 >>> 13), 0x27d4eb2f) ^ seed[3];
  return [h1 >>> 0, (h2 ^ (h2 >>> 16)) >>> 0];
}

function fastSign(seed: Uint32Array, pub: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  const [a, b] = keyedHash(seed, message);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, a);
  dv.setUint32(4, b);
  out.set(pub, 32);
  return out;
}

export function makeKeyring(kind: SimCrypto, runSeed: number, count: number): SimKeyring {
  if (kind === 'ed25519') {
    const keys = Array.from({ length: count }, (_, i) => ed25519KeyFromSeed(seedFor(runSeed, i)));
    return { keys, verify: createEd25519Verifier() };
  }
  const seeds = new Map<string, Uint32Array>();
  const keys: Ed25519Key[] = Array.from({ length: count }, (_, i) => {
    const secret = seedFor(runSeed, i);
    const pubKey = sha256(secret);
    const seed = new Uint32Array(secret.buffer.slice(secret.byteOffset, secret.byteOffset + 16));
    seeds.set(Buffer.from(pubKey).toString('latin1'), seed);
    return { pubKey, sign: (m: Uint8Array) => fastSign(seed, pubKey, m) };
  });
  const byObject = new WeakMap<Uint8Array, Uint32Array>();
  const verify: VerifyFn = (pub, message, signature) => {
    let seed = byObject.get(pub);
    if (!seed) {
      seed = seeds.get(Buffer.from(pub).toString('latin1'));
      if (!seed) return false;
      byObject.set(pub, seed);
    }
    if (signature.length !== 64) return false;
    const [a, b] = keyedHash(seed, message);
    const dv = new DataView(signature.buffer, signature.byteOffset, 8);
    if (dv.getUint32(0) !== a || dv.getUint32(4) !== b) return false;
    for (let i = 8; i < 32; i++) if (signature[i] !== 0) return false;
    for (let i = 0; i < 32; i++) if (signature[32 + i] !== pub[i]) return false;
    return true;
  };
  return { keys, verify };
}

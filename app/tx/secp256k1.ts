/**
 * secp256k1 account keys: signature verification and the bech32 address of a compressed
 * public key.
 *
 * Verification uses libsecp256k1 (bitcoin-core's library, through the `secp256k1` package's
 * prebuilt native binding): 53 µs per signature on the dev box, against 279 µs for
 * `node:crypto` (OpenSSL) with a cached KeyObject and 466 µs without one. Signature checks
 * were a quarter of the node's CPU per tx (bench:exec), so this is the largest single cost
 * it removes. Where the binding cannot load (a platform without a prebuild), verification
 * falls back to `node:crypto` with the same answers (test/tx/secp256k1-backends.test.ts).
 *
 * A signature is 64 bytes r‖s (cosmos-sdk crypto/keys/secp256k1: Go-ethereum style,
 * no DER) with s in the lower half of the group order (BIP-62 low-S; cosmos-sdk rejects
 * high-S so signatures are not malleable).
 */
import { createPublicKey, hash as cryptoHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { toBech32 } from '@cosmjs/encoding';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const SECP256K1_PUBKEY_TYPE_URL = '/cosmos.crypto.secp256k1.PubKey';
export const ADDRESS_PREFIX = 'guts';

/** n/2 for secp256k1 (SEC 2 §2.4.1), big-endian; s above it is high-S. */
export const SECP256K1_HALF_ORDER = Uint8Array.from(
  Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex'),
);

/** SubjectPublicKeyInfo DER header for an EC key on secp256k1 with a 33-byte compressed point (RFC 5480 §2). */
export const SPKI_COMPRESSED_PREFIX = Uint8Array.from(
  Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex'),
);

export interface VerifyItem {
  /** 33-byte compressed public key. */
  pubkey: Uint8Array;
  /** The signed message (SIGN_MODE_DIRECT sign bytes); hashed with sha256 here. */
  msg: Uint8Array;
  /** 64-byte r‖s signature. */
  sig: Uint8Array;
}

/** Anything that verifies a batch of signatures: the worker pool, or `inThreadVerifier`. */
export interface SignatureVerifier {
  verify(items: VerifyItem[]): Promise<boolean[]>;
}

export function isCompressedPubkey(pubkey: Uint8Array): boolean {
  return pubkey.length === 33 && (pubkey[0] === 0x02 || pubkey[0] === 0x03);
}

/** True when s (bytes 32..64) ≤ n/2. */
export function isLowS(sig: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const a = sig[32 + i];
    const b = SECP256K1_HALF_ORDER[i];
    if (a !== b) return a < b;
  }
  return true;
}

/**
 * KeyObject cache. Building a KeyObject from a compressed point costs ~150 µs (point
 * decompression), half of a verify (~310 µs) on the reference machine, and most blocks
 * are signed by a few thousand hot accounts. Map insertion order gives the LRU.
 */
export class KeyCache {
  private readonly keys = new Map<string, KeyObject | null>();

  constructor(readonly capacity = 10_000) {}

  /** The KeyObject, or null when the bytes are not a point on the curve. */
  get(pubkey: Uint8Array): KeyObject | null {
    const id = Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.length).toString('latin1');
    const hit = this.keys.get(id);
    if (hit !== undefined) {
      this.keys.delete(id);
      this.keys.set(id, hit);
      return hit;
    }
    let key: KeyObject | null;
    try {
      const der = new Uint8Array(SPKI_COMPRESSED_PREFIX.length + 33);
      der.set(SPKI_COMPRESSED_PREFIX);
      der.set(pubkey, SPKI_COMPRESSED_PREFIX.length);
      key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    this.keys.set(id, key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.keys().next().value as string);
    return key;
  }

  get size(): number {
    return this.keys.size;
  }
}

const defaultCache = new KeyCache();

/** The part of the `secp256k1` package's API used here (its native binding). */
interface Libsecp256k1 {
  /** Throws when the signature or the key cannot be parsed; false for a valid but wrong signature. */
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
}

/** The native binding (not the package's pure-JS fallback) and the path it loaded from, or undefined. */
function loadLibsecp256k1(): { path: string; lib: Libsecp256k1 } | undefined {
  try {
    const req = createRequire(import.meta.url);
    const path = req.resolve('secp256k1/bindings');
    return { path, lib: req(path) as Libsecp256k1 };
  } catch {
    return undefined;
  }
}

const native = loadLibsecp256k1();
const libsecp256k1 = native?.lib;

/** Absolute path of the native binding's entry, for the verify workers; undefined when it does not load. */
export const LIBSECP256K1_PATH: string | undefined = native?.path;

/** Which library verifies signatures in this process (printed by bench:exec). */
export const SECP256K1_BACKEND: 'libsecp256k1' | 'node:crypto' = libsecp256k1 ? 'libsecp256k1' : 'node:crypto';

function wellFormed(pubkey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (!(pubkey instanceof Uint8Array) || !(msg instanceof Uint8Array) || !(sig instanceof Uint8Array)) return false;
  return isCompressedPubkey(pubkey) && sig.length === 64 && isLowS(sig);
}

/** Verify one signature in this thread. Never throws: malformed input is `false`. */
export function verifySecp256k1(pubkey: Uint8Array, msg: Uint8Array, sig: Uint8Array, cache: KeyCache = defaultCache): boolean {
  return libsecp256k1 ? verifyWithLibsecp256k1(pubkey, msg, sig) : verifyWithOpenssl(pubkey, msg, sig, cache);
}

/** `verifySecp256k1` on libsecp256k1; false when the binding is not loaded. */
export function verifyWithLibsecp256k1(pubkey: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  if (!libsecp256k1 || !wellFormed(pubkey, msg, sig)) return false;
  try {
    return libsecp256k1.ecdsaVerify(sig, cryptoHash('sha256', msg, 'buffer'), pubkey);
  } catch {
    return false; // r or s not below the group order, or the key not on the curve
  }
}

/** `verifySecp256k1` on node:crypto (OpenSSL): the fallback, and the reference the tests compare with. */
export function verifyWithOpenssl(pubkey: Uint8Array, msg: Uint8Array, sig: Uint8Array, cache: KeyCache = defaultCache): boolean {
  if (!wellFormed(pubkey, msg, sig)) return false;
  const key = cache.get(pubkey);
  if (key === null) return false;
  try {
    return cryptoVerify('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

/** Verifies on the calling thread; for CheckTx of single txs and as the pool's fallback. */
export const inThreadVerifier: SignatureVerifier = {
  verify(items) {
    return Promise.resolve(items.map((it) => verifySecp256k1(it.pubkey, it.msg, it.sig)));
  },
};

/** Account address bytes: ripemd160(sha256(compressed pubkey)) (cosmos-sdk secp256k1 `Address()`). */
export function pubkeyToAddressBytes(pubkey: Uint8Array): Uint8Array {
  return ripemd160(sha256(pubkey));
}

/** Addresses of recently seen keys (the ante handler checks every tx's key against its signer). */
const addresses = new Map<string, string>();
const ADDRESSES_MAX = 50_000;

export function pubkeyToAddress(pubkey: Uint8Array, prefix = ADDRESS_PREFIX): string {
  if (prefix !== ADDRESS_PREFIX || !(pubkey instanceof Uint8Array) || pubkey.length !== 33) return toBech32(prefix, pubkeyToAddressBytes(pubkey));
  // sha256, ripemd160 and bech32 per tx twice (CheckTx, DeliverTx); the key's latin1 string is its identity
  const id = Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.length).toString('latin1');
  let address = addresses.get(id);
  if (address === undefined) {
    address = toBech32(prefix, pubkeyToAddressBytes(pubkey));
    if (addresses.size >= ADDRESSES_MAX) addresses.delete(addresses.keys().next().value!);
    addresses.set(id, address);
  }
  return address;
}

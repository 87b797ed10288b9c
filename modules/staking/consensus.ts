/**
 * Consensus-key helpers. No curve library is imported here: the CLI loads every command
 * at once, and an ESM import of @noble/curves racing @cosmjs/crypto's require() of the
 * same file crashes Node 20 (ERR_INTERNAL_ASSERTION), so the on-curve check is done
 * with bigint arithmetic (RFC 8032 §5.1.3 decoding).
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** CometBFT address of an ed25519 consensus key: the first 20 bytes of its SHA-256. */
export function consensusAddress(pubkey: Uint8Array): Uint8Array {
  return sha256(pubkey).subarray(0, 20);
}

const P = (1n << 255n) - 19n;

function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  b %= P;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}

const D = (((-121_665n * pow(121_666n, P - 2n)) % P) + P) % P;

/** Whether 32 bytes decode to a point of edwards25519 (canonical y, x² a square, no "-0"). */
export function isEd25519Point(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(bytes[i]!);
  const sign = y >> 255n;
  y &= (1n << 255n) - 1n;
  if (y >= P) return false;
  const y2 = (y * y) % P;
  const u = (y2 - 1n + P) % P;
  const v = (D * y2 + 1n) % P;
  const x2 = (u * pow(v, P - 2n)) % P;
  if (x2 === 0n) return sign === 0n;
  return pow(x2, (P - 1n) / 2n) === 1n;
}

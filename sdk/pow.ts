/**
 * Sybil proof of work (issue 4, DESIGN §5): instead of stake, a message may carry a nonce
 * such that sha256(challenge ‖ nonce as 8 little-endian bytes) starts with at least N
 * zero bits. The challenge binds chain id, signer, action and the hash of one of the last
 * `pow_window` blocks, so work cannot be done ahead of time or reused elsewhere; the chain
 * accepts each solution once. Browser-safe: no Node built-ins, only @noble/hashes.
 *
 * challenge = sha256(lp(chain_id) ‖ lp(signer) ‖ lp(action) ‖ block_hash)
 *   where lp(s) = one length byte ‖ UTF-8 bytes of s, action is the lower-case name
 *   (validator, create_repo, push, governance, collaboration) and block_hash is 32 bytes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { QueryPowChallengeRequest, QueryPowChallengeResponse } from '../proto/gen/guts/sybil/v1/query.js';

export const POW_ACTIONS = ['validator', 'create_repo', 'push', 'governance', 'collaboration'] as const;
export type PowAction = (typeof POW_ACTIONS)[number];

/** The largest difficulty the solver and the chain accept (2^48 hashes is far beyond any sane setting). */
export const MAX_POW_BITS = 48;
const MAX_NONCE = (1n << 64n) - 1n;

export class PowError extends Error {
  override readonly name = 'PowError';
  readonly docsPath = '/modules/sybil#proof-of-work';
  constructor(
    readonly shortMessage: string,
    readonly details?: string,
  ) {
    super(details ? `${shortMessage}: ${details}` : shortMessage);
  }
}

export interface PowChallengeParameters {
  chainId: string;
  /** bech32 address of the message signer */
  signer: string;
  action: PowAction;
  /** hash of the block the challenge binds (32 bytes) */
  blockHash: Uint8Array;
}
export type PowChallengeReturnType = Uint8Array;
export type PowChallengeErrorType = PowError;

const utf8 = new TextEncoder();

function lengthPrefixed(field: string, value: string): Uint8Array {
  const bytes = utf8.encode(value);
  if (bytes.length === 0 || bytes.length > 255) throw new PowError(`${field} must be 1-255 bytes`, `got ${bytes.length}`);
  const out = new Uint8Array(bytes.length + 1);
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}

export function powChallenge(p: PowChallengeParameters): PowChallengeReturnType {
  if (!(POW_ACTIONS as readonly string[]).includes(p.action)) throw new PowError('unknown action', `${JSON.stringify(p.action)}; expected one of ${POW_ACTIONS.join(', ')}`);
  if (!(p.blockHash instanceof Uint8Array) || p.blockHash.length !== 32) throw new PowError('block hash must be 32 bytes', `got ${p.blockHash?.length}`);
  const parts = [lengthPrefixed('chain id', p.chainId), lengthPrefixed('signer', p.signer), lengthPrefixed('action', p.action), p.blockHash];
  const buf = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    buf.set(x, o);
    o += x.length;
  }
  return sha256(buf);
}

function assertChallenge(challenge: Uint8Array): void {
  if (!(challenge instanceof Uint8Array) || challenge.length !== 32) throw new PowError('challenge must be 32 bytes', `got ${challenge?.length}`);
}

function assertBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > MAX_POW_BITS) throw new PowError(`bits must be an integer in 0..${MAX_POW_BITS}`, `got ${bits}`);
}

function assertNonce(nonce: bigint): void {
  if (typeof nonce !== 'bigint' || nonce < 0n || nonce > MAX_NONCE) throw new PowError('nonce must be a uint64', `got ${nonce}`);
}

/** sha256(challenge ‖ nonce_le64): the solution hash, also the key the chain stores to refuse replays. */
export function powHash(challenge: Uint8Array, nonce: bigint): Uint8Array {
  assertChallenge(challenge);
  assertNonce(nonce);
  const buf = new Uint8Array(40);
  buf.set(challenge);
  new DataView(buf.buffer).setBigUint64(32, nonce, true);
  return sha256(buf);
}

export function leadingZeroBits(hash: Uint8Array): number {
  let n = 0;
  for (const byte of hash) {
    if (byte === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}

export interface VerifyPowParameters {
  challenge: Uint8Array;
  nonce: bigint;
  bits: number;
}

export function verifyPow(p: VerifyPowParameters): boolean {
  assertBits(p.bits);
  return leadingZeroBits(powHash(p.challenge, p.nonce)) >= p.bits;
}

// --- solver ---------------------------------------------------------------------------
// A sha256 specialised for the one 64-byte block of a 40-byte message (FIPS 180-4 §6.2):
// the first 8 message words are the challenge, so rounds 0-7 are computed once per
// challenge and only rounds 8-63 run per nonce: about 3x noble's general sha256 here.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** Rounds 0-7 over the challenge words, shared by every nonce. */
function midstate(w: Int32Array): Int32Array {
  let a = IV[0]!, b = IV[1]!, c = IV[2]!, d = IV[3]!, e = IV[4]!, f = IV[5]!, g = IV[6]!, h = IV[7]!;
  for (let i = 0; i < 8; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  return new Int32Array([a, b, c, d, e, f, g, h]);
}

/** Leading zero bits of sha256(challenge ‖ nonce) given the nonce as two LE 32-bit halves. */
function zeroBitsFor(w: Int32Array, mid: Int32Array, lo: number, hi: number): number {
  // nonce bytes are little-endian in the message; message words are big-endian
  w[8] = ((lo & 0xff) << 24) | ((lo & 0xff00) << 8) | ((lo >>> 8) & 0xff00) | (lo >>> 24);
  w[9] = ((hi & 0xff) << 24) | ((hi & 0xff00) << 8) | ((hi >>> 8) & 0xff00) | (hi >>> 24);
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!, y = w[i - 2]!;
    w[i] = (w[i - 16]! + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7]! + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10))) | 0;
  }
  let a = mid[0]!, b = mid[1]!, c = mid[2]!, d = mid[3]!, e = mid[4]!, f = mid[5]!, g = mid[6]!, h = mid[7]!;
  for (let i = 8; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  const h0 = (IV[0]! + a) | 0;
  if (h0 !== 0) return Math.clz32(h0);
  return 32 + Math.clz32((IV[1]! + b) | 0);
}

function messageWords(challenge: Uint8Array): Int32Array {
  const w = new Int32Array(64);
  const dv = new DataView(challenge.buffer, challenge.byteOffset, 32);
  for (let i = 0; i < 8; i++) w[i] = dv.getInt32(i * 4, false);
  w[10] = 0x80000000 | 0; // padding bit after 40 bytes
  w[15] = 40 * 8; // message length in bits
  return w;
}

export interface SolvePowProgress {
  attempts: bigint;
  /** 2^bits: the mean number of attempts a solution takes. */
  expected: bigint;
}

export interface SolvePowParameters {
  challenge: Uint8Array;
  bits: number;
  /** Called about every `yieldEvery` attempts (and once at the end). */
  onProgress?: (p: SolvePowProgress) => void;
  /** First nonce tried; default random, so two solves of one challenge find different solutions. */
  startNonce?: bigint;
  signal?: AbortSignal;
  /** Attempts between yields to the event loop (keeps a browser tab responsive). Default 65536. */
  yieldEvery?: number;
}

export interface SolvePowReturnType {
  nonce: bigint;
  /** sha256(challenge ‖ nonce_le64) */
  hash: Uint8Array;
  attempts: bigint;
}
export type SolvePowErrorType = PowError;

function randomNonce(): bigint {
  const b = new Uint8Array(8);
  globalThis.crypto.getRandomValues(b);
  return new DataView(b.buffer).getBigUint64(0, true);
}

export async function solvePow(p: SolvePowParameters): Promise<SolvePowReturnType> {
  assertChallenge(p.challenge);
  assertBits(p.bits);
  const start = p.startNonce ?? randomNonce();
  assertNonce(start);
  const yieldEvery = p.yieldEvery ?? 65536;
  if (!Number.isInteger(yieldEvery) || yieldEvery < 1) throw new PowError('yieldEvery must be a positive integer', `got ${yieldEvery}`);
  const expected = 1n << BigInt(p.bits);
  const w = messageWords(p.challenge);
  const mid = midstate(w);
  let lo = Number(start & 0xffffffffn);
  let hi = Number(start >> 32n);
  let attempts = 0n;
  for (;;) {
    if (p.signal?.aborted) throw new PowError('proof of work aborted', `after ${attempts} attempts`);
    for (let i = 0; i < yieldEvery; i++) {
      const zeros = zeroBitsFor(w, mid, lo | 0, hi | 0);
      if (zeros >= p.bits) {
        attempts += BigInt(i + 1);
        const nonce = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
        p.onProgress?.({ attempts, expected });
        return { nonce, hash: powHash(p.challenge, nonce), attempts };
      }
      lo = (lo + 1) >>> 0;
      if (lo === 0) hi = (hi + 1) >>> 0; // the uint64 nonce wraps around, as a counter would
    }
    attempts += BigInt(yieldEvery);
    p.onProgress?.({ attempts, expected });
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

// --- solving for a chain action -------------------------------------------------------

/** An abci_query of a gRPC-style path (cosmjs `QueryClient.queryAbci(path, data).value`). */
export type AbciQuery = (path: string, data: Uint8Array) => Promise<Uint8Array>;

export interface SolvePowForActionParameters {
  query: AbciQuery;
  /** the signer of the message that will carry the work */
  address: string;
  action: PowAction;
  onProgress?: (p: SolvePowProgress & { bits: number }) => void;
  signal?: AbortSignal;
}

export interface SolvePowForActionReturnType {
  /** the `pow` field of the message */
  pow: { nonce: bigint; blockHeight: bigint };
  bits: number;
  attempts: bigint;
  /** last height at which the chain accepts it */
  expiresAfterHeight: bigint;
}

/**
 * Ask the chain for the newest challenge of (address, action) (`/guts.sybil.v1.Query/PowChallenge`),
 * check it against the locally built one, and solve it.
 */
export async function solvePowForAction(p: SolvePowForActionParameters): Promise<SolvePowForActionReturnType> {
  const action = POW_ACTIONS.indexOf(p.action) + 1;
  if (action === 0) throw new PowError('unknown action', p.action);
  const c = QueryPowChallengeResponse.decode(await p.query('/guts.sybil.v1.Query/PowChallenge', QueryPowChallengeRequest.encode({ address: p.address, action }).finish()));
  if (c.bits === 0) throw new PowError(`the chain accepts no proof of work for ${p.action}`, 'stake instead (sybil parameter pow_bits_' + p.action + ' is 0)');
  const r = await solvePow({ challenge: c.challenge, bits: c.bits, signal: p.signal, onProgress: p.onProgress && ((x) => p.onProgress!({ ...x, bits: c.bits })) });
  return { pow: { nonce: r.nonce, blockHeight: c.blockHeight }, bits: c.bits, attempts: r.attempts, expiresAfterHeight: c.expiresAfterHeight };
}

/**
 * A one-line text progress bar: the share of the expected 2^bits attempts done so far
 * (the real number varies: work is a lottery, so the bar may reach its end and wait).
 */
export function powProgressBar(p: SolvePowProgress & { bits: number }, width = 30): string {
  const permille = p.attempts >= p.expected ? 1000n : (p.attempts * 1000n) / p.expected;
  const filled = Number((permille * BigInt(width)) / 1000n);
  return `proof of work (${p.bits} bits) [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Number(permille) / 10}% of ~${p.expected} hashes`;
}

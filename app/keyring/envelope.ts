/**
 * Passphrase encryption for the `file` keyring and for exported key armor:
 * scrypt (RFC 7914) derives a 256-bit key, AES-256-GCM (NIST SP 800-38D) encrypts and
 * authenticates. A wrong passphrase fails the GCM tag check, which we report as
 * ErrWrongPassword; nothing about the plaintext is revealed.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { ErrInvalidRequest, ErrWrongPassword } from '../errors.js';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
}

/**
 * N = 2^15, r = 8, p = 1: the "interactive login" setting of the scrypt paper (Percival 2009, §7)
 * raised one step; it costs ~160 ms and 32 MiB on a 2-core server, measured with node:crypto.
 */
export const DEFAULT_SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;
const MAX_N = 1 << 20;

export interface Envelope {
  v: 1;
  kdf: 'scrypt';
  kdfparams: ScryptParams;
  cipher: 'aes-256-gcm';
  /** base64 12-byte nonce */
  iv: string;
  /** base64 ciphertext followed by the 16-byte tag */
  ct: string;
}

export function newScryptParams(): ScryptParams {
  return { ...DEFAULT_SCRYPT, salt: randomBytes(16).toString('base64') };
}

function assertParams(k: ScryptParams): void {
  const powerOfTwo = Number.isInteger(k.N) && k.N > 1 && (k.N & (k.N - 1)) === 0;
  if (!powerOfTwo || k.N > MAX_N || !Number.isInteger(k.r) || k.r < 1 || k.r > 32 || !Number.isInteger(k.p) || k.p < 1 || k.p > 16) {
    throw ErrInvalidRequest.wrap(`unsupported scrypt parameters N=${k.N} r=${k.r} p=${k.p}`);
  }
}

export function deriveKey(passphrase: string, k: ScryptParams): Promise<Buffer> {
  assertParams(k);
  // scrypt needs 128·N·r bytes; node's default maxmem (32 MiB) is exactly the N=2^15 figure, so give headroom.
  const maxmem = 128 * k.N * k.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFKC'), Buffer.from(k.salt, 'base64'), 32, { N: k.N, r: k.r, p: k.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export function seal(key: Buffer, kdfparams: ScryptParams, plaintext: Uint8Array): Envelope {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
  return { v: 1, kdf: 'scrypt', kdfparams, cipher: 'aes-256-gcm', iv: iv.toString('base64'), ct: ct.toString('base64') };
}

/** Decrypt; a failed authentication means the passphrase was wrong (or the file was altered). */
export function open(key: Buffer, env: Envelope, what: string): Buffer {
  const iv = Buffer.from(env.iv, 'base64');
  const all = Buffer.from(env.ct, 'base64');
  if (iv.length !== 12 || all.length < 16) throw ErrInvalidRequest.wrap(`${what} is not a valid encrypted envelope`);
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAuthTag(all.subarray(all.length - 16));
  try {
    return Buffer.concat([d.update(all.subarray(0, all.length - 16)), d.final()]);
  } catch {
    throw ErrWrongPassword.wrap(`cannot decrypt ${what}: wrong passphrase`);
  }
}

export function isEnvelope(x: unknown): x is Envelope {
  const e = x as Envelope;
  return (
    typeof e === 'object' && e !== null && e.v === 1 && e.kdf === 'scrypt' && e.cipher === 'aes-256-gcm' &&
    typeof e.iv === 'string' && typeof e.ct === 'string' && typeof e.kdfparams === 'object' && e.kdfparams !== null &&
    typeof e.kdfparams.salt === 'string'
  );
}

/**
 * ASCII armor for exported private keys, in the layout of cosmos-sdk `crypto/armor.go`
 * (OpenPGP armor, RFC 4880 §6.2, with a CRC-24 checksum line). The payload is the
 * amino-encoded `PrivKeySecp256k1` that `simd keys export` encrypts, but encrypted with
 * scrypt + AES-256-GCM (`kdf: scrypt`) instead of bcrypt + xsalsa20-poly1305.
 */
import { ErrInvalidRequest, ErrNotSupported } from '../errors.js';
import { deriveKey, newScryptParams, open, seal, type Envelope, type ScryptParams } from './envelope.js';

export const PRIVKEY_BLOCK = 'TENDERMINT PRIVATE KEY';

/** amino prefix of `tendermint/PrivKeySecp256k1` followed by the 32-byte length (0x20). */
const AMINO_PRIVKEY_PREFIX = Uint8Array.from([0xe1, 0xb0, 0xf7, 0x9b, 0x20]);

export interface Armor {
  blockType: string;
  headers: Record<string, string>;
  data: Uint8Array;
}

/** CRC-24 of RFC 4880 §6.1. */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

function crcLine(data: Uint8Array): string {
  const c = crc24(data);
  return '=' + Buffer.from([c >> 16, (c >> 8) & 0xff, c & 0xff]).toString('base64');
}

export function encodeArmor(a: Armor): string {
  const lines = [`-----BEGIN ${a.blockType}-----`];
  for (const k of Object.keys(a.headers).sort()) lines.push(`${k}: ${a.headers[k]}`);
  lines.push('');
  const b64 = Buffer.from(a.data).toString('base64');
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(crcLine(a.data), `-----END ${a.blockType}-----`, '');
  return lines.join('\n');
}

export function decodeArmor(text: string): Armor {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.trim());
  const begin = lines.findIndex((l) => /^-----BEGIN (.+)-----$/.test(l));
  if (begin < 0) throw ErrInvalidRequest.wrap('not an ASCII-armored key: no "-----BEGIN ...-----" line');
  const blockType = /^-----BEGIN (.+)-----$/.exec(lines[begin])![1];
  const end = lines.indexOf(`-----END ${blockType}-----`, begin + 1);
  if (end < 0) throw ErrInvalidRequest.wrap(`armor has no "-----END ${blockType}-----" line`);
  const headers: Record<string, string> = {};
  let i = begin + 1;
  for (; i < end && lines[i] !== ''; i++) {
    const m = /^([^:]+):\s*(.*)$/.exec(lines[i]);
    if (!m) break; // no blank line after the headers: the body starts here
    headers[m[1].trim()] = m[2];
  }
  const body: string[] = [];
  let checksum: string | undefined;
  for (; i < end; i++) {
    if (lines[i] === '') continue;
    if (lines[i].startsWith('=')) checksum = lines[i];
    else body.push(lines[i]);
  }
  const data = Uint8Array.from(Buffer.from(body.join(''), 'base64'));
  if (checksum !== undefined && checksum !== crcLine(data)) throw ErrInvalidRequest.wrap('armor checksum mismatch: the key text is damaged or incomplete');
  return { blockType, headers, data };
}

function parseKdfParams(h: Record<string, string>): ScryptParams {
  const m = /^N=(\d+),r=(\d+),p=(\d+)$/.exec(h.kdfparams ?? '');
  if (!m || !/^[0-9A-Fa-f]{32,}$/.test(h.salt ?? '')) throw ErrInvalidRequest.wrap('armor is missing valid "kdfparams" and "salt" headers');
  return { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]), salt: Buffer.from(h.salt, 'hex').toString('base64') };
}

export async function encryptPrivKeyArmor(privkey: Uint8Array, passphrase: string): Promise<string> {
  const params = newScryptParams();
  const key = await deriveKey(passphrase, params);
  const env = seal(key, params, Buffer.concat([AMINO_PRIVKEY_PREFIX, privkey]));
  const data = Buffer.concat([Buffer.from(env.iv, 'base64'), Buffer.from(env.ct, 'base64')]);
  return encodeArmor({
    blockType: PRIVKEY_BLOCK,
    headers: {
      kdf: 'scrypt',
      kdfparams: `N=${params.N},r=${params.r},p=${params.p}`,
      salt: Buffer.from(params.salt, 'base64').toString('hex').toUpperCase(),
      cipher: 'aes-256-gcm',
      type: 'secp256k1',
    },
    data,
  });
}

export async function decryptPrivKeyArmor(text: string, passphrase: string): Promise<Uint8Array> {
  const a = decodeArmor(text);
  if (a.blockType !== PRIVKEY_BLOCK) throw ErrInvalidRequest.wrap(`armor holds a "${a.blockType}", expected a "${PRIVKEY_BLOCK}"`);
  if (a.headers.type !== undefined && a.headers.type !== 'secp256k1') throw ErrNotSupported.wrap(`key type "${a.headers.type}": only secp256k1 keys can be imported`);
  if (a.headers.kdf !== 'scrypt') {
    throw ErrNotSupported.wrap(
      `armor kdf "${a.headers.kdf ?? '(none)'}": only keys exported by guts (kdf: scrypt) can be imported; ` +
        'for a key exported by simd, export it with `simd keys export --unarmored-hex --unsafe` and use `guts keys import-hex`',
    );
  }
  if (a.headers.cipher !== undefined && a.headers.cipher !== 'aes-256-gcm') throw ErrNotSupported.wrap(`armor cipher "${a.headers.cipher}"`);
  if (a.data.length < 12 + 16) throw ErrInvalidRequest.wrap('armor body is too short');
  const params = parseKdfParams(a.headers);
  const env: Envelope = {
    v: 1,
    kdf: 'scrypt',
    kdfparams: params,
    cipher: 'aes-256-gcm',
    iv: Buffer.from(a.data.subarray(0, 12)).toString('base64'),
    ct: Buffer.from(a.data.subarray(12)).toString('base64'),
  };
  const plain = open(await deriveKey(passphrase, params), env, 'the exported key');
  if (plain.length === 37 && plain.subarray(0, 5).equals(AMINO_PRIVKEY_PREFIX)) return Uint8Array.from(plain.subarray(5));
  if (plain.length === 32) return Uint8Array.from(plain);
  throw ErrInvalidRequest.wrap('the decrypted key is not a secp256k1 private key');
}

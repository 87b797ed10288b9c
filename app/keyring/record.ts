/** The stored form of one key, and its checks at the storage boundary. */
import { ErrInvalidRequest, ErrJSONUnmarshal } from '../errors.js';
import { addressFromPubkey, keyFromPrivkey } from './derive.js';

export const SECP256K1_PUBKEY_TYPE = '/cosmos.crypto.secp256k1.PubKey';

export interface KeyRecord {
  v: 1;
  name: string;
  type: 'local';
  algo: 'secp256k1';
  address: string;
  /** base64 compressed public key */
  pubkey: string;
  /** hex private key; never printed unless the user asks with `--unsafe` */
  privkey: string;
  /** BIP32 path the key was derived at; absent for imported raw keys */
  hdPath?: string;
}

/**
 * Key names become file names (`<name>.info`), so they are limited to a portable, path-free
 * alphabet. cosmos-sdk allows more, but a name with `/` or `..` there is a path-traversal risk.
 */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

export function assertKeyName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw ErrInvalidRequest.wrap(`invalid key name ${JSON.stringify(name)}: use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'`);
  }
}

export function isKeyName(name: string): boolean {
  return NAME.test(name);
}

export function makeRecord(name: string, privkey: Uint8Array, prefix: string, hdPath?: string): KeyRecord {
  const { pubkey } = keyFromPrivkey(privkey);
  const rec: KeyRecord = {
    v: 1,
    name,
    type: 'local',
    algo: 'secp256k1',
    address: addressFromPubkey(pubkey, prefix),
    pubkey: Buffer.from(pubkey).toString('base64'),
    privkey: Buffer.from(privkey).toString('hex'),
  };
  if (hdPath !== undefined) rec.hdPath = hdPath;
  return rec;
}

/** Parse and check a stored record: the public key and address must follow from the private key. */
export function parseRecord(json: unknown, name: string, where: string, prefix: string): KeyRecord {
  const r = json as KeyRecord;
  const ok =
    typeof r === 'object' && r !== null && r.v === 1 && r.type === 'local' && r.algo === 'secp256k1' &&
    r.name === name && typeof r.privkey === 'string' && /^[0-9a-f]{64}$/.test(r.privkey) &&
    (r.hdPath === undefined || typeof r.hdPath === 'string');
  if (!ok) throw ErrJSONUnmarshal.wrap(`${where} is not a guts key record`);
  const expected = makeRecord(r.name, Buffer.from(r.privkey, 'hex'), prefix, r.hdPath);
  if (expected.pubkey !== r.pubkey || expected.address !== r.address) {
    throw ErrJSONUnmarshal.wrap(`${where}: public key or address does not match the private key`);
  }
  return expected;
}

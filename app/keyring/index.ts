/**
 * Local key management for the `guts` CLI, modelled on cosmos-sdk's `crypto/keyring`:
 * BIP39 mnemonics, secp256k1 keys at m/44'/118'/account'/0/index, bech32 `guts1…` addresses
 * (the same ones cosmjs' `DirectSecp256k1HdWallet` derives), stored by a `test` (plain JSON) or
 * `file` (passphrase-encrypted) backend under `<home>/keyring-<backend>/`.
 *
 * Like cosmos-sdk, the mnemonic is shown once by `add` and never stored: only the private key is.
 */
import { fromBech32 } from '@cosmjs/encoding';
import { DirectSecp256k1Wallet, type OfflineDirectSigner } from '@cosmjs/proto-signing';
import { join } from 'node:path';
import { ErrConflict, ErrInvalidRequest, ErrKeyNotFound } from '../errors.js';
import { decryptPrivKeyArmor, encryptPrivKeyArmor } from './armor.js';
import {
  ADDRESS_PREFIX,
  assertMnemonic,
  deriveFromMnemonic,
  generateMnemonic,
  hdPath,
  normalizeMnemonic,
  type MnemonicWords,
} from './derive.js';
import { createFileStore, type PassphraseSource } from './file-store.js';
import { assertKeyName, makeRecord, SECP256K1_PUBKEY_TYPE, type KeyRecord } from './record.js';
import type { KeyStore } from './store.js';
import { createTestStore } from './test-store.js';

export { ADDRESS_PREFIX, addressFromPubkey, generateMnemonic, hdPath, type MnemonicWords } from './derive.js';
export { MIN_PASSPHRASE_LENGTH, type PassphraseRequest, type PassphraseSource } from './file-store.js';
export { decodeArmor, encodeArmor } from './armor.js';

export const KEYRING_BACKENDS = ['test', 'file'] as const;
export type KeyringBackend = (typeof KEYRING_BACKENDS)[number];

export interface OpenKeyringOptions {
  /** node home; keys live in `<home>/keyring-<backend>/` */
  home: string;
  backend: KeyringBackend;
  /** `file` backend only: the passphrase, or a function asked for it when first needed */
  passphrase?: PassphraseSource;
  /** bech32 prefix, default `guts` */
  prefix?: string;
}

export interface PubKeyJson {
  '@type': typeof SECP256K1_PUBKEY_TYPE;
  /** base64 of the 33-byte compressed key */
  key: string;
}

export interface KeyInfo {
  name: string;
  type: 'local';
  address: string;
  pubkey: PubKeyJson;
  /** BIP32 path, absent for keys imported from a raw private key */
  hdPath?: string;
}

export interface AddedKey extends KeyInfo {
  /** the mnemonic given or generated; it is not stored, so this is the only time it is returned */
  mnemonic: string;
}

export interface AddKeyOptions {
  /** recover from this mnemonic; a new one is generated when absent */
  mnemonic?: string;
  /** BIP39 passphrase ("25th word"), default empty */
  bip39Passphrase?: string;
  /** HD account, default 0 */
  account?: number;
  /** HD address index, default 0 */
  index?: number;
  /** words in a generated mnemonic, default 24 */
  words?: MnemonicWords;
  /** derive and return the key without storing it */
  dryRun?: boolean;
}

export interface Keyring {
  readonly backend: KeyringBackend;
  /** directory holding the key files */
  readonly dir: string;
  add(name: string, opts?: AddKeyOptions): Promise<AddedKey>;
  /** all keys, sorted by name */
  list(): Promise<KeyInfo[]>;
  /** a key by name, or by its `guts1…` address */
  show(nameOrAddress: string): Promise<KeyInfo>;
  has(name: string): Promise<boolean>;
  delete(nameOrAddress: string): Promise<void>;
  /** the private key encrypted under `passphrase`, as ASCII armor (`-----BEGIN TENDERMINT PRIVATE KEY-----`) */
  exportArmor(nameOrAddress: string, passphrase: string): Promise<string>;
  importArmor(name: string, armor: string, passphrase: string): Promise<KeyInfo>;
  /** the raw private key in hex: for `keys export --unarmored-hex --unsafe` only */
  exportPrivKeyHex(nameOrAddress: string): Promise<string>;
  importPrivKeyHex(name: string, hex: string): Promise<KeyInfo>;
  /** a cosmjs SIGN_MODE_DIRECT signer for the key */
  signer(nameOrAddress: string): Promise<OfflineDirectSigner>;
}

function toInfo(r: KeyRecord): KeyInfo {
  const info: KeyInfo = { name: r.name, type: r.type, address: r.address, pubkey: { '@type': SECP256K1_PUBKEY_TYPE, key: r.pubkey } };
  if (r.hdPath !== undefined) info.hdPath = r.hdPath;
  return info;
}

/**
 * cosmjs' `fromBech32` defaults its length limit to Infinity, which @scure/base 2 rejects
 * ("limit: expected safe integer"), so always pass one; 1023 is the longest string the bech32 checksum is defined for.
 */
export const BECH32_LIMIT = 1023;

function looksLikeAddress(s: string, prefix: string): boolean {
  try {
    return fromBech32(s, BECH32_LIMIT).prefix === prefix;
  } catch {
    return false;
  }
}

export function openKeyring(opts: OpenKeyringOptions): Keyring {
  const { home, backend } = opts;
  const prefix = opts.prefix ?? ADDRESS_PREFIX;
  if (typeof home !== 'string' || home === '') throw ErrInvalidRequest.wrap('keyring home directory is empty');
  if (!(KEYRING_BACKENDS as readonly string[]).includes(backend)) {
    throw ErrInvalidRequest.wrap(`unknown keyring backend ${JSON.stringify(backend)}: expected one of ${KEYRING_BACKENDS.join(', ')}`);
  }
  const dir = join(home, `keyring-${backend}`);
  const store: KeyStore = backend === 'test' ? createTestStore(dir, prefix) : createFileStore(dir, prefix, opts.passphrase);

  async function all(): Promise<KeyRecord[]> {
    const out: KeyRecord[] = [];
    for (const name of await store.names()) {
      const r = await store.read(name);
      if (r) out.push(r);
    }
    return out;
  }

  async function find(nameOrAddress: string): Promise<KeyRecord> {
    if (typeof nameOrAddress !== 'string' || nameOrAddress === '') throw ErrInvalidRequest.wrap('key name or address is empty');
    if ((await store.names()).includes(nameOrAddress)) {
      const r = await store.read(nameOrAddress);
      if (r) return r;
    }
    if (looksLikeAddress(nameOrAddress, prefix)) {
      const r = (await all()).find((k) => k.address === nameOrAddress);
      if (r) return r;
      throw ErrKeyNotFound.wrap(`no key with address ${nameOrAddress} in the ${backend} keyring at ${dir}`);
    }
    throw ErrKeyNotFound.wrap(`no key named "${nameOrAddress}" in the ${backend} keyring at ${dir}`);
  }

  async function store1(record: KeyRecord, dryRun = false): Promise<void> {
    if ((await store.names()).includes(record.name)) throw ErrConflict.wrap(`a key named "${record.name}" already exists`);
    const same = (await all()).find((k) => k.address === record.address);
    if (same) throw ErrConflict.wrap(`the key for ${record.address} already exists as "${same.name}"`);
    if (!dryRun) await store.write(record);
  }

  return {
    backend,
    dir,

    async add(name, o = {}) {
      assertKeyName(name);
      const mnemonic = o.mnemonic === undefined ? generateMnemonic(o.words ?? 24) : normalizeMnemonic(o.mnemonic);
      assertMnemonic(mnemonic);
      const path = hdPath(o.account ?? 0, o.index ?? 0);
      const { privkey } = deriveFromMnemonic(mnemonic, path, o.bip39Passphrase ?? '');
      const record = makeRecord(name, privkey, prefix, path);
      await store1(record, o.dryRun);
      return { ...toInfo(record), mnemonic };
    },

    list: async () => (await all()).map(toInfo),
    show: async (nameOrAddress) => toInfo(await find(nameOrAddress)),
    has: async (name) => (await store.names()).includes(name),

    async delete(nameOrAddress) {
      const r = await find(nameOrAddress);
      await store.remove(r.name);
    },

    async exportArmor(nameOrAddress, passphrase) {
      if (typeof passphrase !== 'string' || passphrase === '') throw ErrInvalidRequest.wrap('export passphrase is empty');
      const r = await find(nameOrAddress);
      return encryptPrivKeyArmor(Buffer.from(r.privkey, 'hex'), passphrase);
    },

    async importArmor(name, armor, passphrase) {
      assertKeyName(name);
      const privkey = await decryptPrivKeyArmor(armor, passphrase);
      const record = makeRecord(name, privkey, prefix);
      await store1(record);
      return toInfo(record);
    },

    exportPrivKeyHex: async (nameOrAddress) => (await find(nameOrAddress)).privkey,

    async importPrivKeyHex(name, hex) {
      assertKeyName(name);
      const clean = hex.trim().replace(/^0x/i, '');
      if (!/^[0-9a-fA-F]{64}$/.test(clean)) throw ErrInvalidRequest.wrap('private key must be 64 hex characters (32 bytes)');
      const record = makeRecord(name, Buffer.from(clean, 'hex'), prefix);
      await store1(record);
      return toInfo(record);
    },

    async signer(nameOrAddress) {
      const r = await find(nameOrAddress);
      return DirectSecp256k1Wallet.fromKey(Buffer.from(r.privkey, 'hex'), prefix);
    },
  };
}

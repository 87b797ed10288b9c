/**
 * Key derivation the way cosmos-sdk's `keys add` and cosmjs' `DirectSecp256k1HdWallet` do it:
 * BIP39 mnemonic (english) → seed → BIP32 m/44'/118'/account'/0/index → secp256k1,
 * address = bech32(prefix, ripemd160(sha256(compressed pubkey))) (ADR-028 for secp256k1).
 */
import { toBech32 } from '@cosmjs/encoding';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { HDKey } from '@scure/bip32';
import { generateMnemonic as bip39Generate, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { ErrInvalidRequest } from '../errors.js';

export const ADDRESS_PREFIX = 'guts';
/** SLIP-44 coin type of the Cosmos Hub, which Guts keeps so wallets derive the same accounts. */
export const COIN_TYPE = 118;

export type MnemonicWords = 12 | 15 | 18 | 21 | 24;

/** Entropy bits per mnemonic length (BIP39: words = (ENT + ENT/32) / 11). */
const STRENGTH: Record<MnemonicWords, number> = { 12: 128, 15: 160, 18: 192, 21: 224, 24: 256 };

export function generateMnemonic(words: MnemonicWords = 24): string {
  const strength = STRENGTH[words];
  if (strength === undefined) throw ErrInvalidRequest.wrap(`mnemonic length ${words} is not one of 12, 15, 18, 21, 24 words`);
  return bip39Generate(wordlist, strength);
}

/** Collapse whitespace so a mnemonic pasted across lines or with double spaces still validates. */
export function normalizeMnemonic(mnemonic: string): string {
  return mnemonic.trim().toLowerCase().split(/\s+/).join(' ');
}

export function assertMnemonic(mnemonic: string): void {
  if (!validateMnemonic(mnemonic, wordlist)) {
    const n = mnemonic.split(' ').filter(Boolean).length;
    throw ErrInvalidRequest.wrap(`invalid mnemonic (${n} words): expected 12-24 BIP39 english words with a valid checksum`);
  }
}

const MAX_INDEX = 0x7fffffff;

function assertIndex(what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > MAX_INDEX) throw ErrInvalidRequest.wrap(`${what} ${v} must be an integer between 0 and ${MAX_INDEX}`);
}

/** `m/44'/118'/<account>'/0/<index>`, the path `simd keys add --account --index` uses. */
export function hdPath(account = 0, index = 0): string {
  assertIndex('account', account);
  assertIndex('index', index);
  return `m/44'/${COIN_TYPE}'/${account}'/0/${index}`;
}

export interface DerivedKey {
  privkey: Uint8Array;
  /** 33-byte compressed secp256k1 public key. */
  pubkey: Uint8Array;
}

export function deriveFromMnemonic(mnemonic: string, path: string, bip39Passphrase = ''): DerivedKey {
  const seed = mnemonicToSeedSync(mnemonic, bip39Passphrase);
  const node = HDKey.fromMasterSeed(seed).derive(path);
  if (!node.privateKey || !node.publicKey) throw ErrInvalidRequest.wrap(`cannot derive a private key at ${path}`);
  return { privkey: Uint8Array.from(node.privateKey), pubkey: Uint8Array.from(node.publicKey) };
}

export function keyFromPrivkey(privkey: Uint8Array): DerivedKey {
  if (!(privkey instanceof Uint8Array) || privkey.length !== 32 || !secp256k1.utils.isValidSecretKey(privkey)) {
    throw ErrInvalidRequest.wrap('private key must be 32 bytes and a valid secp256k1 scalar');
  }
  return { privkey: Uint8Array.from(privkey), pubkey: secp256k1.getPublicKey(privkey, true) };
}

export function addressFromPubkey(pubkey: Uint8Array, prefix = ADDRESS_PREFIX): string {
  return toBech32(prefix, ripemd160(sha256(pubkey)));
}

/** Checks on user-typed addresses, coins and numbers, reported with registered codes. */
import { fromBech32 } from '@cosmjs/encoding';
import { parseCoins, type Coin } from '@cosmjs/proto-signing';
import { ErrInvalidAddress, ErrInvalidCoins, ErrInvalidHeight, ErrInvalidRequest } from '../app/errors.js';
import { ADDRESS_PREFIX } from '../app/keyring/index.js';

/** cosmjs' default bech32 length limit is Infinity, which @scure/base 2 rejects; 1023 is bech32's maximum. */
const BECH32_LIMIT = 1023;

export function parseAddress(s: string, what = 'address'): string {
  let prefix: string;
  try {
    prefix = fromBech32(s, BECH32_LIMIT).prefix;
  } catch (err) {
    throw ErrInvalidAddress.wrap(`${what} ${JSON.stringify(s)} is not a bech32 address (${(err as Error).message})`);
  }
  if (prefix !== ADDRESS_PREFIX) throw ErrInvalidAddress.wrap(`${what} ${s} has prefix "${prefix}", expected "${ADDRESS_PREFIX}"`);
  if (s !== s.toLowerCase()) throw ErrInvalidAddress.wrap(`${what} ${s} must be lower case`);
  return s;
}

export function isAddress(s: string): boolean {
  try {
    return fromBech32(s, BECH32_LIMIT).prefix === ADDRESS_PREFIX;
  } catch {
    return false;
  }
}

/** `1000ugut` or `1000ugut,5uatom`: positive integer amounts, each denom once. */
export function parseCoinsArg(s: string, what = 'amount'): Coin[] {
  let coins: Coin[];
  try {
    coins = parseCoins(s);
  } catch {
    throw ErrInvalidCoins.wrap(`${what} ${JSON.stringify(s)}: expected <integer><denom>[,<integer><denom>…], e.g. 1000ugut`);
  }
  if (coins.length === 0) throw ErrInvalidCoins.wrap(`${what} is empty`);
  const seen = new Set<string>();
  for (const c of coins) {
    if (c.amount === '0') throw ErrInvalidCoins.wrap(`${what} ${s}: ${c.denom} amount must be positive`);
    if (seen.has(c.denom)) throw ErrInvalidCoins.wrap(`${what} ${s}: duplicate denom ${c.denom}`);
    seen.add(c.denom);
  }
  return coins;
}

export function parseHeight(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw ErrInvalidHeight.wrap(`--height ${JSON.stringify(s)} must be a non-negative integer`);
  const h = Number(s);
  return h === 0 ? undefined : h; // 0 means latest, as in simd
}

/** `1s`, `500ms`, `2m`, or a bare number of milliseconds. */
export function parseDurationMs(s: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw ErrInvalidRequest.wrap(`${what} ${JSON.stringify(s)}: expected a duration such as 1s or 500ms`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  const ms = Math.round(Number(m[1]) * unit);
  if (ms <= 0) throw ErrInvalidRequest.wrap(`${what} must be positive`);
  return ms;
}

/**
 * Coin amounts are bigint, never floats; on the wire they are decimal strings
 * (cosmos.base.v1beta1.Coin). Validation follows cosmos-sdk `Coins.Validate`: valid
 * denoms, positive amounts, sorted by denom, no duplicates, at most 256 bits.
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { ErrInvalidCoins } from '../errors.js';

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT = /^(0|[1-9][0-9]{0,77})$/;
export const MAX_AMOUNT = (1n << 256n) - 1n;

export function validateDenom(denom: string): void {
  if (typeof denom !== 'string' || !DENOM.test(denom)) {
    throw ErrInvalidCoins.wrap(`invalid denom ${JSON.stringify(denom)}: expected 3-128 characters [a-zA-Z][a-zA-Z0-9/:._-]`);
  }
}

/** Parse a decimal amount; throws ErrInvalidCoins for negative, fractional, non-canonical or > 2^256-1. */
export function parseAmount(amount: string, what = 'amount'): bigint {
  if (typeof amount !== 'string' || !AMOUNT.test(amount)) {
    throw ErrInvalidCoins.wrap(`${what} ${JSON.stringify(amount)} is not a non-negative integer`);
  }
  const n = BigInt(amount);
  if (n > MAX_AMOUNT) throw ErrInvalidCoins.wrap(`${what} ${amount} overflows 256 bits`);
  return n;
}

/** Validate a coin list for a transfer: non-empty, positive, sorted, unique. */
export function validateCoins(coins: Coin[], what = 'amount'): Map<string, bigint> {
  if (!Array.isArray(coins) || coins.length === 0) throw ErrInvalidCoins.wrap(`${what} is empty`);
  const out = new Map<string, bigint>();
  let prev = '';
  for (const c of coins) {
    validateDenom(c.denom);
    const n = parseAmount(c.amount, `${what} of ${c.denom}`);
    if (n === 0n) throw ErrInvalidCoins.wrap(`${what} of ${c.denom} must be positive`);
    if (c.denom <= prev) throw ErrInvalidCoins.wrap(`${what}: denoms must be sorted and unique (${prev} before ${c.denom})`);
    prev = c.denom;
    out.set(c.denom, n);
  }
  return out;
}

export function coin(denom: string, amount: bigint): Coin {
  return { denom, amount: amount.toString() };
}

export function formatCoins(coins: Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(',');
}

/** Parse "100ugut,5uatom" (CLI and config syntax). */
export function parseCoinsString(s: string): Coin[] {
  if (s.trim() === '') return [];
  const coins = s.split(',').map((part) => {
    const m = /^\s*([0-9]+)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})\s*$/.exec(part);
    if (!m) throw ErrInvalidCoins.wrap(`cannot parse coin ${JSON.stringify(part)}: expected <amount><denom>, e.g. 1000ugut`);
    return { denom: m[2]!, amount: BigInt(m[1]!).toString() };
  });
  return coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

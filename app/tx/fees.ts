/**
 * Fee arithmetic in integers only: coin amounts are bigint, gas prices are decimals
 * scaled by 10^18 (cosmos-sdk `LegacyDec` precision), so "0.025ugut" is 25·10^15.
 */
import { ErrInvalidCoins } from '../errors.js';

export interface FeeCoin {
  denom: string;
  amount: bigint;
}

/** A decimal coin (gas price): `amount` is the decimal × 10^18. */
export interface DecCoin {
  denom: string;
  amount: bigint;
}

export const DEC_PRECISION = 18;
export const DEC_ONE = 10n ** 18n;
/** cosmos-sdk `math.Int` is bounded to 256 bits. */
export const MAX_COIN_AMOUNT = (1n << 256n) - 1n;

/** cosmos-sdk types/coin.go `reDnmString`. */
const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const DIGITS = /^[0-9]{1,78}$/;
const DEC_COIN = /^([0-9]+)(?:\.([0-9]*))?\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/;

export function isValidDenom(denom: string): boolean {
  return DENOM.test(denom);
}

/**
 * Parse a fee's coins: valid denoms, non-negative integer amounts below 2^256, no denom
 * twice. Zero amounts are dropped (cosmjs sends "0" for zero gas prices). ErrInvalidCoins.
 */
export function parseFeeCoins(coins: { denom: string; amount: string }[]): FeeCoin[] {
  const out: FeeCoin[] = [];
  const seen = new Set<string>();
  for (const c of coins) {
    if (!isValidDenom(c.denom)) throw ErrInvalidCoins.wrap(`invalid fee denom ${JSON.stringify(c.denom)}`);
    if (seen.has(c.denom)) throw ErrInvalidCoins.wrap(`duplicate fee denom ${c.denom}`);
    seen.add(c.denom);
    if (!DIGITS.test(c.amount)) throw ErrInvalidCoins.wrap(`invalid fee amount ${JSON.stringify(c.amount)} for ${c.denom}: expected a non-negative integer`);
    const amount = BigInt(c.amount);
    if (amount > MAX_COIN_AMOUNT) throw ErrInvalidCoins.wrap(`fee amount for ${c.denom} exceeds 2^256-1`);
    if (amount > 0n) out.push({ denom: c.denom, amount });
  }
  return out;
}

/** Parse "0.025ugut,1stake" (node min gas prices) into 10^18-scaled decimals. ErrInvalidCoins. */
export function parseDecCoins(s: string): DecCoin[] {
  const out: DecCoin[] = [];
  for (const part of s.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = DEC_COIN.exec(part);
    if (!m) throw ErrInvalidCoins.wrap(`invalid decimal coin ${JSON.stringify(part)}; expected e.g. 0.025ugut`);
    const [, whole, frac = '', denom] = m;
    if (frac.length > DEC_PRECISION) throw ErrInvalidCoins.wrap(`${part} has more than ${DEC_PRECISION} decimal places`);
    out.push({ denom, amount: BigInt(whole) * DEC_ONE + BigInt(frac.padEnd(DEC_PRECISION, '0') || '0') });
  }
  return out;
}

export function formatCoins(coins: readonly FeeCoin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(',');
}

/** Fee needed per min-gas-price denom: ceil(price × gas) (cosmos-sdk x/auth/ante/validator_tx_fee.go). */
export function requiredFees(minGasPrices: readonly DecCoin[], gas: bigint): FeeCoin[] {
  return minGasPrices.map((p) => ({ denom: p.denom, amount: (p.amount * gas + DEC_ONE - 1n) / DEC_ONE }));
}

/** cosmos-sdk `Coins.IsAnyGTE`: the fee covers at least one of the required coins. */
export function coversAny(fee: readonly FeeCoin[], required: readonly FeeCoin[]): boolean {
  return required.some((r) => (fee.find((f) => f.denom === r.denom)?.amount ?? 0n) >= r.amount);
}

/** Mempool priority: the smallest per-denom gas price paid (cosmos-sdk `getTxPriority`), capped at int64. */
export function txPriority(fee: readonly FeeCoin[], gas: bigint): bigint {
  if (gas <= 0n) return 0n;
  const maxInt64 = (1n << 63n) - 1n;
  let priority = 0n;
  for (const c of fee) {
    const p = c.amount / gas > maxInt64 ? maxInt64 : c.amount / gas;
    if (priority === 0n || p < priority) priority = p;
  }
  return priority;
}

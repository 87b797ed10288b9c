/**
 * Share arithmetic, integers only (DESIGN §3). A validator's delegators own
 * `delegator_shares` between them; a share is worth tokens / delegator_shares, so a slash
 * (fewer tokens, same shares) hits every delegator pro rata. Rounding always favours the
 * validator's remaining delegators: shares issued round down, shares burnt round up.
 */
import type { Validator } from '../../proto/gen/guts/staking/v1/staking.js';

export const big = (s: string): bigint => (s === '' ? 0n : BigInt(s));

/** Shares issued for `amount` new tokens (1:1 for the first stake). */
export function sharesForTokens(v: Validator, amount: bigint): bigint {
  const tokens = big(v.tokens);
  const shares = big(v.delegatorShares);
  if (shares === 0n) return amount;
  return (amount * shares) / tokens;
}

/** Token value of `shares` now (rounded down). */
export function tokensForShares(v: Validator, shares: bigint): bigint {
  const total = big(v.delegatorShares);
  if (total === 0n) return 0n;
  return (shares * big(v.tokens)) / total;
}

/** Shares that must be burnt to take `amount` tokens out (rounded up). */
export function sharesToBurn(v: Validator, amount: bigint): bigint {
  const tokens = big(v.tokens);
  const shares = big(v.delegatorShares);
  if (tokens === 0n) return shares;
  return (amount * shares + tokens - 1n) / tokens;
}

/** Consensus power of a token amount. */
export function powerOf(tokens: bigint, powerReduction: bigint): bigint {
  return tokens / powerReduction;
}

export function bp(amount: bigint, basisPoints: number | bigint): bigint {
  return (amount * BigInt(basisPoints)) / 10_000n;
}

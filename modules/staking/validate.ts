/** Stateless checks of message fields (validateBasic), each failure a registered error. */
import type { Coin } from '../../proto/gen/cosmos/base/v1beta1/coin.js';
import { parseAmount, validateDenom } from '../../app/chain/coins.js';
import { isEd25519Point } from './consensus.js';
import { ErrInvalidAmount, ErrInvalidCommission, ErrInvalidDescription, ErrInvalidPubKey } from './errors.js';

export const MAX_MONIKER = 70;
export const MAX_WEBSITE = 140;
export const MAX_DETAILS = 280;

export function checkPubKey(pubkey: Uint8Array): void {
  if (!(pubkey instanceof Uint8Array) || pubkey.length !== 32) {
    throw ErrInvalidPubKey.wrap(`expected a 32-byte ed25519 public key, got ${pubkey?.length ?? 0} bytes`);
  }
  if (!isEd25519Point(pubkey)) throw ErrInvalidPubKey.wrap('the 32 bytes are not a point on the ed25519 curve');
}

export function checkText(field: string, value: string | undefined, max: number, required = false): void {
  if (value === undefined) return;
  if (required && value.trim() === '') throw ErrInvalidDescription.wrap(`${field} is empty`);
  if (value.length > max) throw ErrInvalidDescription.wrap(`${field} has ${value.length} characters, at most ${max} allowed`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw ErrInvalidDescription.wrap(`${field} contains control characters`);
}

export function checkRate(field: string, rate: number): void {
  if (!Number.isInteger(rate) || rate < 0 || rate > 10_000) throw ErrInvalidCommission.wrap(`${field} ${rate} must be 0..10000 basis points`);
}

export function checkCommission(c: { rateBp: number; maxRateBp: number; maxChangeRateBp: number } | undefined): void {
  if (!c) throw ErrInvalidCommission.wrap('commission is missing');
  checkRate('rate_bp', c.rateBp);
  checkRate('max_rate_bp', c.maxRateBp);
  checkRate('max_change_rate_bp', c.maxChangeRateBp);
  if (c.rateBp > c.maxRateBp) throw ErrInvalidCommission.wrap(`rate_bp ${c.rateBp} exceeds max_rate_bp ${c.maxRateBp}`);
  if (c.maxChangeRateBp > c.maxRateBp) throw ErrInvalidCommission.wrap(`max_change_rate_bp ${c.maxChangeRateBp} exceeds max_rate_bp ${c.maxRateBp}`);
}

/** A positive single coin; returns its amount. */
export function checkCoin(field: string, c: Coin | undefined): bigint {
  if (!c) throw ErrInvalidAmount.wrap(`${field} is missing`);
  validateDenom(c.denom);
  const n = parseAmount(c.amount, field);
  if (n === 0n) throw ErrInvalidAmount.wrap(`${field} must be positive`);
  return n;
}

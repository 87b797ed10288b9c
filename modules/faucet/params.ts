/**
 * Faucet parameters: in state, in genesis, validated, governable through the `params`
 * ParamSpace (values as strings there: "true", "100000000ugut", "1000000000", "3600").
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { MAX_AMOUNT, parseAmount, validateDenom } from '../../app/chain/coins.js';
import { Params } from '../../proto/gen/guts/faucet/v1/faucet.js';
import { ErrInvalidParam, ErrUnknownParam } from './errors.js';

export interface FaucetParams {
  enabled: boolean;
  amountPerRequest: { denom: string; amount: bigint };
  /** Lifetime total per recipient, in amountPerRequest's denom. */
  lifetimeLimit: bigint;
  cooldownSeconds: bigint;
}

/** 100 GUT a request, 1,000 GUT per identity, one request an hour of block time. */
export function defaultFaucetParams(): FaucetParams {
  return { enabled: true, amountPerRequest: { denom: 'ugut', amount: 100_000_000n }, lifetimeLimit: 1_000_000_000n, cooldownSeconds: 3600n };
}

export const FAUCET_PARAM_NAMES = ['enabled', 'amount_per_request', 'lifetime_limit', 'cooldown_seconds'] as const;
/** A year; longer cooldowns are a disabled faucet in disguise. */
const MAX_COOLDOWN = 366n * 24n * 3600n;

function invalid(name: string, value: string, expected: string) {
  return ErrInvalidParam.wrap(`${name} ${JSON.stringify(value)}: expected ${expected}`);
}

function parseUint(name: string, value: string, max: bigint): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(value) || BigInt(value) > max) throw invalid(name, value, `an integer from 0 to ${max}`);
  return BigInt(value);
}

/** "100000000ugut" → denom and amount. */
export function parseCoinParam(value: string): { denom: string; amount: bigint } {
  const m = typeof value === 'string' ? /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(value) : null;
  try {
    if (!m) throw new Error('no match');
    validateDenom(m[2]!);
    return { denom: m[2]!, amount: parseAmount(m[1]!) };
  } catch {
    throw invalid('amount_per_request', value, 'a coin such as 100000000ugut');
  }
}

export const MAX_COOLDOWN_SECONDS = MAX_COOLDOWN;

export function validateFaucetParams(p: FaucetParams): void {
  if (p.amountPerRequest.amount === 0n) throw ErrInvalidParam.wrap('amount_per_request must be positive');
  if (p.lifetimeLimit < p.amountPerRequest.amount) throw ErrInvalidParam.wrap(`lifetime_limit ${p.lifetimeLimit} is below amount_per_request ${p.amountPerRequest.amount}`);
}

export function getFaucetParam(p: FaucetParams, name: string): string {
  switch (name) {
    case 'enabled':
      return String(p.enabled);
    case 'amount_per_request':
      return `${p.amountPerRequest.amount}${p.amountPerRequest.denom}`;
    case 'lifetime_limit':
      return p.lifetimeLimit.toString();
    case 'cooldown_seconds':
      return p.cooldownSeconds.toString();
    default:
      throw ErrUnknownParam.wrap(`faucet has no parameter ${JSON.stringify(name)} (known: ${FAUCET_PARAM_NAMES.join(', ')})`);
  }
}

/** A copy of `p` with one parameter changed; the result is validated as a whole. */
export function withFaucetParam(p: FaucetParams, name: string, value: string): FaucetParams {
  const next: FaucetParams = { ...p, amountPerRequest: { ...p.amountPerRequest } };
  switch (name) {
    case 'enabled':
      if (value !== 'true' && value !== 'false') throw invalid(name, value, 'true or false');
      next.enabled = value === 'true';
      break;
    case 'amount_per_request':
      next.amountPerRequest = parseCoinParam(value);
      break;
    case 'lifetime_limit':
      next.lifetimeLimit = parseUint(name, value, MAX_AMOUNT);
      break;
    case 'cooldown_seconds':
      next.cooldownSeconds = parseUint(name, value, MAX_COOLDOWN);
      break;
    default:
      throw ErrUnknownParam.wrap(`faucet has no parameter ${JSON.stringify(name)} (known: ${FAUCET_PARAM_NAMES.join(', ')})`);
  }
  validateFaucetParams(next);
  return next;
}

export function amountCoin(p: FaucetParams, amount = p.amountPerRequest.amount): Coin {
  return { denom: p.amountPerRequest.denom, amount: amount.toString() };
}

export function faucetParamsProto(p: FaucetParams): Params {
  return { enabled: p.enabled, amountPerRequest: amountCoin(p), lifetimeLimit: p.lifetimeLimit.toString(), cooldownSeconds: p.cooldownSeconds };
}

export function encodeFaucetParams(p: FaucetParams): Uint8Array {
  return Params.encode(faucetParamsProto(p)).finish();
}

export function decodeFaucetParams(raw: Uint8Array): FaucetParams {
  const m = Params.decode(raw);
  return {
    enabled: m.enabled,
    amountPerRequest: { denom: m.amountPerRequest?.denom ?? '', amount: BigInt(m.amountPerRequest?.amount ?? '0') },
    lifetimeLimit: BigInt(m.lifetimeLimit),
    cooldownSeconds: m.cooldownSeconds,
  };
}

/**
 * Validation of path and query parameters: every outside input is checked here, before
 * any query runs, and refused with a coded error naming the parameter.
 */
import { addressBytes } from '../chain/address.js';
import { validateDenom } from '../chain/coins.js';
import { ErrParam } from './errors.js';

const MAX_UINT64 = (1n << 64n) - 1n;

export function address(value: string, name: string): string {
  addressBytes(value, name); // ErrInvalidAddress (sdk/7) with the reason
  return value;
}

export function denom(value: string | null, name = 'denom'): string {
  if (value === null || value === '') throw ErrParam.wrap(`query parameter ${name} is required, e.g. ?${name}=ugut`);
  validateDenom(value); // ErrInvalidCoins (sdk/10)
  return value;
}

export function uint64(value: string, name: string, opts: { min?: bigint } = {}): bigint {
  if (!/^[0-9]{1,20}$/.test(value)) throw ErrParam.wrap(`${name} ${JSON.stringify(value)} is not an unsigned decimal integer`);
  const n = BigInt(value);
  if (n > MAX_UINT64) throw ErrParam.wrap(`${name} ${value} exceeds 2^64-1`);
  if (opts.min !== undefined && n < opts.min) throw ErrParam.wrap(`${name} must be at least ${opts.min}, got ${value}`);
  return n;
}

export function optionalUint(value: string | null, name: string, max: number): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^[0-9]{1,10}$/.test(value) || Number(value) > max) throw ErrParam.wrap(`${name} ${JSON.stringify(value)} must be an integer from 0 to ${max}`);
  return Number(value);
}

/** `?height=N` or the gateway header `x-cosmos-block-height`; 0 (or none) = latest. */
export function height(query: string | null, header: string | string[] | undefined): number {
  const raw = query ?? (Array.isArray(header) ? header[0] : header) ?? '';
  if (raw === '' || raw === '0') return 0;
  if (!/^[0-9]{1,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw ErrParam.wrap(`height ${JSON.stringify(raw)} is not a block height (a non-negative integer)`);
  return Number(raw);
}

/** Transaction hash: 64 hex characters (either case). */
export function txHash(value: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw ErrParam.wrap(`tx hash ${JSON.stringify(value)} must be 64 hex characters`);
  return Uint8Array.from(Buffer.from(value, 'hex'));
}

/**
 * An enum given by its proto name (`BOND_STATUS_BONDED`), its short name (`bonded`,
 * any case) or its number; `names` lists the proto names by number.
 */
export function enumValue(value: string, name: string, prefix: string, names: readonly string[], opts: { required?: boolean } = {}): number {
  const upper = value.toUpperCase();
  let i = names.indexOf(upper);
  if (i < 0) i = names.indexOf(prefix + upper);
  if (i < 0 && /^[0-9]{1,3}$/.test(value) && Number(value) < names.length) i = Number(value);
  if (i < 0 || (i === 0 && opts.required)) {
    const short = names.filter((n) => !n.endsWith('_UNSPECIFIED')).map((n) => n.slice(prefix.length).toLowerCase());
    throw ErrParam.wrap(`${name} ${JSON.stringify(value)} is not one of ${short.join(', ')}`);
  }
  return i;
}

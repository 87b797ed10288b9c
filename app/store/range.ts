/** Resolve `iterate(prefix, opts)` into one half-open byte range, shared by every KV implementation. */
import type { IterateOptions } from './types.js';
import { compareBytes, prefixEnd } from './bytes.js';
import { ErrInvalidRequest } from '../errors.js';

export interface KeyRange {
  /** Inclusive lower bound. */
  lo: Uint8Array;
  /** Exclusive upper bound; undefined = unbounded. */
  hi: Uint8Array | undefined;
  reverse: boolean;
  limit: number;
}

/** The range `prefix` ∩ [start, end), or undefined when it is empty or limit is 0. */
export function keyRange(prefix: Uint8Array, opts: IterateOptions = {}): KeyRange | undefined {
  const limit = opts.limit ?? Infinity;
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) throw ErrInvalidRequest.wrap(`iterate limit must be a non-negative integer, got ${limit}`);
  let lo = prefix;
  if (opts.start && compareBytes(opts.start, lo) > 0) lo = opts.start;
  let hi = prefixEnd(prefix);
  if (opts.end && (hi === undefined || compareBytes(opts.end, hi) < 0)) hi = opts.end;
  if (limit === 0 || (hi !== undefined && compareBytes(lo, hi) >= 0)) return undefined;
  return { lo, hi, reverse: opts.reverse === true, limit };
}

export function inRange(key: Uint8Array, r: Pick<KeyRange, 'lo' | 'hi'>): boolean {
  return compareBytes(key, r.lo) >= 0 && (r.hi === undefined || compareBytes(key, r.hi) < 0);
}

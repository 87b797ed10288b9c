/**
 * RFC 3339 timestamps ↔ protobuf Timestamp with nanosecond precision, integers only
 * (Date keeps milliseconds, and genesis/header times carry nanoseconds).
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export function parseRfc3339(s: string): Timestamp | undefined {
  const m = typeof s === 'string' ? RFC3339.exec(s) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  let seconds = BigInt(ms / 1000);
  if (tz !== 'Z') {
    const sign = tz![0] === '-' ? -1n : 1n;
    seconds -= sign * (BigInt(tz!.slice(1, 3)) * 3600n + BigInt(tz!.slice(4, 6)) * 60n);
  }
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

/** CometBFT's form: UTC, `Z`, fractional seconds with trailing zeros trimmed (Go RFC3339Nano). */
export function formatRfc3339(t: Timestamp): string {
  const base = new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19);
  if (t.nanos === 0) return `${base}Z`;
  return `${base}.${String(t.nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos - b.nanos;
}

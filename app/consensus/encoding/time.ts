/**
 * google.protobuf.Timestamp helpers. CometBFT encodes `time.Time` with gogoproto's
 * stdtime, so Go's zero time (0001-01-01T00:00:00Z, used by absent commit signatures
 * and zero votes) is seconds = -62135596800, not an omitted field.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

export const GO_ZERO_TIME: Timestamp = Object.freeze({ seconds: -62135596800n, nanos: 0 }) as Timestamp;

export function timestampFromMs(ms: number): Timestamp {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`timestamp milliseconds must be a safe integer, got ${ms}`);
  const seconds = Math.floor(ms / 1000);
  return { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Milliseconds since the epoch, truncating sub-millisecond nanos. */
export function timestampToMs(ts: Timestamp): number {
  return Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000);
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds ? -1 : 1;
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}

export function addMs(ts: Timestamp, ms: number): Timestamp {
  const totalNanos = BigInt(ts.nanos) + BigInt(ms) * 1_000_000n;
  const carry = totalNanos >= 0n ? totalNanos / 1_000_000_000n : -((-totalNanos + 999_999_999n) / 1_000_000_000n);
  return { seconds: ts.seconds + carry, nanos: Number(totalNanos - carry * 1_000_000_000n) };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parse an RFC 3339 time with up to nanosecond precision (CometBFT JSON times). */
export function parseRfc3339(s: string): Timestamp {
  const m = RFC3339.exec(s);
  if (!m) throw new Error(`invalid RFC 3339 time ${JSON.stringify(s)}: expected e.g. 2023-05-17T14:12:53.088875124Z`);
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec);
  if (Number.isNaN(ms)) throw new Error(`invalid RFC 3339 time ${JSON.stringify(s)}`);
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos };
}

/** RFC 3339 in UTC with nanoseconds, the way CometBFT's RPC prints times (trailing zeros trimmed like Go's RFC3339Nano). */
export function formatRfc3339(ts: Timestamp): string {
  const iso = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19);
  if (ts.nanos === 0) return `${iso}Z`;
  return `${iso}.${String(ts.nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
}

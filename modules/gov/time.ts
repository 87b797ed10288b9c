/** Block-time arithmetic in integer nanoseconds (DESIGN §3: time comes from the header). */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

const NS = 1_000_000_000n;

export function toNanos(t: Timestamp): bigint {
  return t.seconds * NS + BigInt(t.nanos);
}

export function fromNanos(n: bigint): Timestamp {
  return { seconds: n / NS, nanos: Number(n % NS) };
}

export function addSeconds(t: Timestamp, seconds: bigint): Timestamp {
  return { seconds: t.seconds + seconds, nanos: t.nanos };
}

/** a ≤ b */
export function notAfter(a: Timestamp, b: Timestamp): boolean {
  return toNanos(a) <= toNanos(b);
}

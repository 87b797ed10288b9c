/**
 * RFC 3339 timestamps exactly as Go's `time.Time.MarshalJSON` (format RFC3339Nano, in
 * UTC) prints them, which is what CometBFT sends: nanoseconds with trailing zeros
 * trimmed, no fraction at all when nanos is 0, and Go's zero time for unset values.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

/** Go's zero `time.Time`, printed for absent commit signatures. */
export const GO_ZERO_TIME_RFC3339 = '0001-01-01T00:00:00Z';

// Years 0001..9999 are all RFC 3339 (and cosmjs's parser) can express.
const MIN_SECONDS = -62_135_596_800n; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253_402_300_799n; // 9999-12-31T23:59:59Z
const SECONDS_PER_DAY = 86_400;

/** Format a protobuf Timestamp; an unset timestamp prints as Go's zero time. */
export function rfc3339(ts: Timestamp | undefined): string {
  if (ts === undefined) return GO_ZERO_TIME_RFC3339;
  const { seconds, nanos } = ts;
  if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) {
    throw new RangeError(`timestamp nanos must be an integer in [0, 999999999], got ${nanos}`);
  }
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new RangeError(`timestamp seconds ${seconds} is outside years 0001..9999`);
  }
  const total = Number(seconds); // exact: |seconds| < 2^53
  const days = Math.floor(total / SECONDS_PER_DAY);
  const secOfDay = total - days * SECONDS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  const time = `${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
  const fraction = nanos === 0 ? '' : '.' + pad(nanos, 9).replace(/0+$/, '');
  return `${date}T${time}${fraction}Z`;
}

function pad(n: number, width: number): string {
  return n.toString(10).padStart(width, '0');
}

/**
 * Proleptic Gregorian date for a count of days since 1970-01-01 (H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", civil_from_days).
 */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097; // [0, 146096]
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // [0, 365]
  const mp = Math.floor((5 * doy + 2) / 153); // [0, 11], March-based
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

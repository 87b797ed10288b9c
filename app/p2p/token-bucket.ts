/**
 * A token bucket for per-peer rate limits (IHAVE ids, GRAFT re-sends, frames). Sans-IO:
 * refills from the `now` it is given, so it costs nothing while idle.
 */
export interface RateLimit {
  /** Sustained rate. */
  readonly perSecond: number;
  /** Bucket size: how much may arrive at once after a quiet period. */
  readonly burst: number;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }

  /** Takes `n` tokens if available; otherwise takes none and returns false. */
  take(n: number, now: number): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Takes as many of `n` as are available (at least 0) and returns how many. */
  takeUpTo(n: number, now: number): number {
    this.refill(now);
    const got = Math.min(n, Math.floor(this.tokens));
    this.tokens -= got;
    return got;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.last) * this.limit.perSecond) / 1000);
      this.last = now;
    }
  }
}

export function validateRateLimit(name: string, r: RateLimit): void {
  if (!(r.perSecond > 0) || !(r.burst >= 1)) throw new RangeError(`${name}: perSecond must be > 0 and burst ≥ 1, got ${r.perSecond}/${r.burst}`);
}

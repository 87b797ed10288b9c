/**
 * A retransmission-timeout estimator in the manner of TCP (RFC 6298 §2): smoothed
 * round-trip time SRTT and variation RTTVAR, updated with gains 1/8 and 1/4, timeout =
 * SRTT + max(G, 4·RTTVAR), clamped to [min, max]. Integer milliseconds scaled by 8 and
 * 4 as in the BSD stack, so the same samples give the same timeouts on every machine.
 * Before the first sample the timeout is the configured initial value.
 */

export interface TimeoutBounds {
  /** Timeout before any sample. */
  readonly initialMs: number;
  /** Never shorter (RFC 6298's 1 s floor is for the Internet; gossip picks its own). */
  readonly minMs: number;
  /** Never longer. */
  readonly maxMs: number;
}

/** RFC 6298's clock granularity G: the variation term is at least this. */
const GRANULARITY_MS = 10;

export class RttEstimator {
  /** SRTT × 8, or -1 before the first sample. */
  private srtt8 = -1;
  /** RTTVAR × 4. */
  private rttvar4 = 0;
  private samplesSeen = 0;

  constructor(private readonly bounds: TimeoutBounds) {}

  /** Feeds one measured round trip (ms ≥ 0). */
  sample(ms: number): void {
    const r = Math.max(0, Math.round(ms));
    this.samplesSeen++;
    if (this.srtt8 < 0) {
      this.srtt8 = r * 8;
      this.rttvar4 = r * 2; // RTTVAR = R/2
      return;
    }
    const err = r - (this.srtt8 >> 3);
    this.srtt8 += err; // SRTT += (R − SRTT)/8
    this.rttvar4 += Math.abs(err) - (this.rttvar4 >> 2); // RTTVAR += (|R − SRTT| − RTTVAR)/4
  }

  get samples(): number {
    return this.samplesSeen;
  }

  /** Smoothed round trip (ms), undefined before a sample. */
  get srttMs(): number | undefined {
    return this.srtt8 < 0 ? undefined : this.srtt8 >> 3;
  }

  /** The timeout to use now. */
  timeoutMs(): number {
    const { initialMs, minMs, maxMs } = this.bounds;
    const raw = this.srtt8 < 0 ? initialMs : (this.srtt8 >> 3) + Math.max(GRANULARITY_MS, this.rttvar4);
    return Math.min(maxMs, Math.max(minMs, raw));
  }
}

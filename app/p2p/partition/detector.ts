/**
 * Partition detection by stake (DESIGN §7, issue 6): the share of total voting power
 * whose validators this node has heard from (a verified vote or heartbeat) within the
 * last `windowMs`. Below `thresholdBps` the node is cut off from a quorum: it emits
 * `partitioned` with the figures; back at or above, `healed`. Integers only: power is
 * bigint, the threshold basis points, the comparison exact (heard·10⁴ < total·bps).
 * The seed counted connected peers instead; peers are free to create, stake is not.
 * Sans-IO: the driver calls `heard` and `check(now)`; events are return values.
 */

export interface PartitionDetectorConfig {
  /** A validator counts as heard for this long after its last vote or heartbeat. */
  readonly windowMs: number;
  /**
   * Partitioned below this share of stake, in basis points. Default 6667: the least
   * basis-point value ≥ 2/3, so exactly 2/3 of the stake (which cannot commit under
   * BFT, which needs more than 2/3) counts as partitioned.
   */
  readonly thresholdBps: number;
}

export const PARTITION_DEFAULTS: PartitionDetectorConfig = { windowMs: 30_000, thresholdBps: 6_667 };

export interface ValidatorPower {
  /** Consensus address (hex) or any stable validator key. */
  readonly address: string;
  readonly power: bigint;
}

export interface PartitionFigures {
  readonly heardPower: bigint;
  readonly totalPower: bigint;
  /** floor(heardPower · 10⁴ / totalPower). */
  readonly shareBps: number;
  readonly thresholdBps: number;
  readonly heardValidators: number;
  readonly totalValidators: number;
  readonly at: number;
}

export type PartitionEvent = { readonly type: 'partitioned'; readonly figures: PartitionFigures } | { readonly type: 'healed'; readonly figures: PartitionFigures };

export class PartitionDetectorError extends Error {
  override readonly name = 'PartitionDetectorError';
}

export class PartitionDetector {
  readonly config: PartitionDetectorConfig;
  private power = new Map<string, bigint>();
  private total = 0n;
  private readonly lastHeard = new Map<string, number>();
  private partitioned = false;

  constructor(
    config: Partial<PartitionDetectorConfig> = {},
    /** This node's own validator address, if it is one: always heard. */
    private readonly self?: string,
  ) {
    this.config = { ...PARTITION_DEFAULTS, ...config };
    const { windowMs, thresholdBps } = this.config;
    if (!(windowMs > 0)) throw new PartitionDetectorError(`windowMs must be > 0, got ${windowMs}`);
    if (!Number.isInteger(thresholdBps) || thresholdBps < 1 || thresholdBps > 10_000) {
      throw new PartitionDetectorError(`thresholdBps must be an integer in 1..10000, got ${thresholdBps}`);
    }
  }

  /**
   * Sets the validator set (power 0 = not a validator). Validators new to the set count
   * as heard now, so a set change alone never looks like a partition; the window then
   * decides.
   */
  setValidators(validators: Iterable<ValidatorPower>, now: number): void {
    const next = new Map<string, bigint>();
    let total = 0n;
    for (const v of validators) {
      if (typeof v.power !== 'bigint' || v.power < 0n) throw new PartitionDetectorError(`validator ${v.address}: power must be a non-negative bigint`);
      if (v.power === 0n) continue;
      if (next.has(v.address)) throw new PartitionDetectorError(`validator ${v.address} listed twice`);
      next.set(v.address, v.power);
      total += v.power;
      if (!this.power.has(v.address)) this.lastHeard.set(v.address, now);
    }
    for (const a of this.lastHeard.keys()) if (!next.has(a)) this.lastHeard.delete(a);
    this.power = next;
    this.total = total;
  }

  /** A verified vote or heartbeat from `address`. Unknown addresses are ignored. */
  heard(address: string, now: number): void {
    if (!this.power.has(address)) return;
    const prev = this.lastHeard.get(address);
    if (prev === undefined || now > prev) this.lastHeard.set(address, now);
  }

  figures(now: number): PartitionFigures {
    let heardPower = 0n;
    let heardValidators = 0;
    for (const [address, power] of this.power) {
      const t = this.lastHeard.get(address);
      if (address === this.self || (t !== undefined && now - t <= this.config.windowMs)) {
        heardPower += power;
        heardValidators++;
      }
    }
    const shareBps = this.total === 0n ? 10_000 : Number((heardPower * 10_000n) / this.total);
    return { heardPower, totalPower: this.total, shareBps, thresholdBps: this.config.thresholdBps, heardValidators, totalValidators: this.power.size, at: now };
  }

  isPartitioned(): boolean {
    return this.partitioned;
  }

  /** Re-evaluates; returns an event when the state changes. No validators: never partitioned. */
  check(now: number): PartitionEvent | undefined {
    const figures = this.figures(now);
    const below = this.total > 0n && figures.heardPower * 10_000n < this.total * BigInt(this.config.thresholdBps);
    if (below === this.partitioned) return undefined;
    this.partitioned = below;
    return { type: below ? 'partitioned' : 'healed', figures };
  }
}

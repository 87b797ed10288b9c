/**
 * HyParView parameters. Defaults follow the paper's evaluation (Leitão, Pereira,
 * Rodrigues, "HyParView: a membership protocol for reliable gossip-based broadcast",
 * DSN 2007, §5.1): active view fanout+1 = 5 at 10,000 nodes, passive view 30,
 * ARWL 6, PRWL 3, shuffles of ka = 3 active and kp = 4 passive entries.
 */

export interface ReconnectConfig {
  /** First retry of a neighbour lost to a failure (not in the paper; heals partitions, README). */
  readonly initialMs: number;
  readonly maxMs: number;
  /** Give up on a lost neighbour after this long. */
  readonly retentionMs: number;
  /** Most lost neighbours remembered at once. */
  readonly maxPeers: number;
}

export interface HyParViewConfig {
  /** log(n) + c (§4.1); see `recommendedActiveViewSize`. */
  readonly activeViewSize: number;
  readonly passiveViewSize: number;
  /** Active Random Walk Length: hops a FORWARD_JOIN and a SHUFFLE travel (§4.2, §4.4). */
  readonly activeRandomWalkLength: number;
  /** Passive Random Walk Length: the hop at which a FORWARD_JOIN also lands in a passive view. */
  readonly passiveRandomWalkLength: number;
  readonly shuffleIntervalMs: number;
  /** ka: active entries in a SHUFFLE. */
  readonly shuffleActive: number;
  /** kp: passive entries in a SHUFFLE. */
  readonly shufflePassive: number;
  /** A JOIN or NEIGHBOR with no reply by then counts as a failed peer. */
  readonly neighborTimeoutMs: number;
  /**
   * Active slots held by peers this node chose (outbound) that requests from others
   * can never evict: an attacker who floods JOIN/NEIGHBOR only churns the rest.
   */
  readonly reservedOutbound: number;
  /** A passive peer that refused a NEIGHBOR is not asked again for this long. */
  readonly rejectionBackoffMs: number;
  readonly reconnect: ReconnectConfig;
}

export const HYPARVIEW_DEFAULTS: HyParViewConfig = {
  activeViewSize: 5,
  passiveViewSize: 30,
  activeRandomWalkLength: 6,
  passiveRandomWalkLength: 3,
  shuffleIntervalMs: 10_000,
  shuffleActive: 3,
  shufflePassive: 4,
  neighborTimeoutMs: 3_000,
  reservedOutbound: 2,
  rejectionBackoffMs: 10_000,
  reconnect: { initialMs: 5_000, maxMs: 30_000, retentionMs: 10 * 60_000, maxPeers: 8 },
};

/** The paper's sizing: fanout = log10(n), active view = fanout + c (c = 1 in §5). */
export function recommendedActiveViewSize(expectedNodes: number, c = 1): number {
  return Math.max(2, Math.ceil(Math.log10(Math.max(10, expectedNodes))) + c);
}

export function resolveHyParViewConfig(partial: Partial<HyParViewConfig> = {}): HyParViewConfig {
  const size = partial.activeViewSize ?? HYPARVIEW_DEFAULTS.activeViewSize;
  const c: HyParViewConfig = {
    ...HYPARVIEW_DEFAULTS,
    // a small active view keeps at least one slot that requests from others may use
    reservedOutbound: Math.min(HYPARVIEW_DEFAULTS.reservedOutbound, Math.max(0, size - 1)),
    ...partial,
    reconnect: { ...HYPARVIEW_DEFAULTS.reconnect, ...partial.reconnect },
  };
  const ints: (keyof HyParViewConfig)[] = ['activeViewSize', 'passiveViewSize', 'activeRandomWalkLength', 'passiveRandomWalkLength', 'shuffleActive', 'shufflePassive', 'reservedOutbound'];
  for (const k of ints) {
    const v = c[k] as number;
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`hyparview.${k} must be a non-negative integer, got ${v}`);
  }
  if (c.activeViewSize < 1) throw new RangeError('hyparview.activeViewSize must be ≥ 1');
  if (c.reservedOutbound >= c.activeViewSize) throw new RangeError(`hyparview.reservedOutbound (${c.reservedOutbound}) must be < activeViewSize (${c.activeViewSize})`);
  if (c.passiveRandomWalkLength > c.activeRandomWalkLength) throw new RangeError('hyparview.passiveRandomWalkLength must be ≤ activeRandomWalkLength');
  for (const k of ['shuffleIntervalMs', 'neighborTimeoutMs', 'rejectionBackoffMs'] as const) {
    if (!(c[k] > 0)) throw new RangeError(`hyparview.${k} must be > 0, got ${c[k]}`);
  }
  const r = c.reconnect;
  if (!(r.initialMs > 0) || r.maxMs < r.initialMs || !(r.retentionMs >= 0) || !Number.isInteger(r.maxPeers) || r.maxPeers < 0) {
    throw new RangeError('hyparview.reconnect: need 0 < initialMs ≤ maxMs, retentionMs ≥ 0, integer maxPeers ≥ 0');
  }
  return c;
}

/**
 * Plumtree parameters (Leitão, Pereira, Rodrigues, "Epidemic Broadcast Trees", SRDS
 * 2007). The paper's timeout1/timeout2 are `ihaveTimeoutMs`/`graftRetryMs`; IHAVE
 * batching, the caches' bounds and the per-peer rate limits are what a deployment on
 * an open network needs on top (issue 6, "Bad input").
 */
import { validateRateLimit, type RateLimit } from '../token-bucket.js';

export interface MessageCacheConfig {
  /** Most message ids remembered for de-duplication. */
  readonly maxMessages: number;
  /** Most payload bytes kept for answering GRAFTs. */
  readonly maxBytes: number;
  /** An id unseen for this long is forgotten (LRU by age). */
  readonly maxAgeMs: number;
  /** A payload is kept this long after it arrived, to answer GRAFTs. */
  readonly payloadAgeMs: number;
}

export interface MissingConfig {
  /** Most announced-but-missing ids tracked at once (IHAVE flood bound). */
  readonly maxIds: number;
  /** Most announcers remembered per missing id. */
  readonly maxAnnouncersPerId: number;
  /** Most missing ids one peer may have announced at once. */
  readonly maxPerPeer: number;
}

export interface PlumtreeConfig {
  /**
   * timeout1 (§3.5): wait this long after the first IHAVE before GRAFTing, until
   * measurements say otherwise; also the floor of the measured timeout. The wait then
   * follows how late the tree's copies have been after their first IHAVE (SRTT +
   * 4·RTTVAR, `rtt.ts`), up to `ihaveTimeoutMaxMs`.
   */
  readonly ihaveTimeoutMs: number;
  /**
   * Ceiling of the measured timeout1. Each broken tree level after a crash costs up to
   * this much: at 2,000 ms the 1,000-node four-region sim with 30% crashed took 2.3 s
   * p99 to reach all; at 600 ms 1.3 s, with steady RMR still 0.01 (`bench/gossip.ts`).
   */
  readonly ihaveTimeoutMaxMs: number;
  /**
   * timeout2: then GRAFT the next announcer after this long; also its floor. It then
   * follows the round trips measured from each peer's GRAFT answers, up to `graftRetryMaxMs`.
   */
  readonly graftRetryMs: number;
  /** Ceiling of the measured timeout2. */
  readonly graftRetryMaxMs: number;
  /**
   * GRAFTs sent for one missing message at most. When every announcer has been asked,
   * those still neighbours are asked again in turn (a GRAFT or its answer lost on a real
   * link); the paper stops after one round.
   */
  readonly maxGraftAttempts: number;
  /** IHAVEs to a lazy peer are batched for this long (the paper's lazy queue, §3.6 "policy"). */
  readonly lazyFlushMs: number;
  /** Most ids in one IHAVE (and one GRAFT). */
  readonly maxIHaveEntries: number;
  /** Most ids queued for one lazy peer; beyond it the oldest are dropped. */
  readonly lazyQueueLimit: number;
  /** PRUNE an eager link after this many duplicates in a row over it (the paper: 1; see plumtree.ts). */
  readonly pruneAfterDuplicates: number;
  /** §3.8: GRAFT a lazy path that is this many hops shorter than the eager one. */
  readonly optimizationThreshold: number;
  /** ... on this many messages in a row. */
  readonly optimizationStreak: number;
  /** At most one tree optimisation per this interval, so the tree does not flap. */
  readonly optimizationIntervalMs: number;
  readonly cache: MessageCacheConfig;
  readonly missing: MissingConfig;
  /** IHAVE ids accepted per peer. */
  readonly ihaveRate: RateLimit;
  /** Messages re-sent per peer in answer to GRAFTs. */
  readonly graftRate: RateLimit;
  /**
   * Ids of recent messages announced to a new neighbour, so a node that was cut off
   * while its links were repaired still gets what it missed (not in the paper).
   */
  readonly catchUp: { readonly maxIds: number; readonly windowMs: number };
  /** Most messages waiting for an asynchronous validation. */
  readonly maxPendingValidations: number;
}

export const PLUMTREE_DEFAULTS: PlumtreeConfig = {
  ihaveTimeoutMs: 300,
  ihaveTimeoutMaxMs: 600,
  graftRetryMs: 200,
  graftRetryMaxMs: 2_000,
  maxGraftAttempts: 8,
  lazyFlushMs: 20,
  maxIHaveEntries: 512,
  lazyQueueLimit: 4_096,
  pruneAfterDuplicates: 5,
  optimizationThreshold: 3,
  optimizationStreak: 3,
  optimizationIntervalMs: 1_000,
  cache: { maxMessages: 50_000, maxBytes: 64 * 1024 * 1024, maxAgeMs: 120_000, payloadAgeMs: 30_000 },
  missing: { maxIds: 10_000, maxAnnouncersPerId: 8, maxPerPeer: 2_048 },
  ihaveRate: { perSecond: 5_000, burst: 10_000 },
  graftRate: { perSecond: 500, burst: 1_000 },
  catchUp: { maxIds: 256, windowMs: 30_000 },
  maxPendingValidations: 10_000,
};

export function resolvePlumtreeConfig(partial: Partial<PlumtreeConfig> = {}): PlumtreeConfig {
  const d = PLUMTREE_DEFAULTS;
  const c: PlumtreeConfig = {
    ...d,
    ...partial,
    cache: { ...d.cache, ...partial.cache },
    missing: { ...d.missing, ...partial.missing },
    catchUp: { ...d.catchUp, ...partial.catchUp },
  };
  for (const k of ['ihaveTimeoutMs', 'graftRetryMs', 'optimizationIntervalMs'] as const) {
    if (!(c[k] > 0)) throw new RangeError(`plumtree.${k} must be > 0, got ${c[k]}`);
  }
  if (!(c.ihaveTimeoutMaxMs >= c.ihaveTimeoutMs) || !(c.graftRetryMaxMs >= c.graftRetryMs)) {
    throw new RangeError(`plumtree: need ihaveTimeoutMaxMs ≥ ihaveTimeoutMs and graftRetryMaxMs ≥ graftRetryMs, got ${c.ihaveTimeoutMaxMs} < ${c.ihaveTimeoutMs} or ${c.graftRetryMaxMs} < ${c.graftRetryMs}`);
  }
  if (!(c.lazyFlushMs >= 0)) throw new RangeError('plumtree.lazyFlushMs must be ≥ 0');
  const positiveInts: [string, number][] = [
    ['maxIHaveEntries', c.maxIHaveEntries],
    ['lazyQueueLimit', c.lazyQueueLimit],
    ['pruneAfterDuplicates', c.pruneAfterDuplicates],
    ['maxGraftAttempts', c.maxGraftAttempts],
    ['optimizationThreshold', c.optimizationThreshold],
    ['optimizationStreak', c.optimizationStreak],
    ['cache.maxMessages', c.cache.maxMessages],
    ['missing.maxIds', c.missing.maxIds],
    ['missing.maxAnnouncersPerId', c.missing.maxAnnouncersPerId],
    ['missing.maxPerPeer', c.missing.maxPerPeer],
    ['maxPendingValidations', c.maxPendingValidations],
  ];
  for (const [k, v] of positiveInts) if (!Number.isInteger(v) || v < 1) throw new RangeError(`plumtree.${k} must be an integer ≥ 1, got ${v}`);
  if (!(c.cache.maxBytes >= 0) || !(c.cache.maxAgeMs > 0) || !(c.cache.payloadAgeMs >= 0) || c.cache.payloadAgeMs > c.cache.maxAgeMs) {
    throw new RangeError('plumtree.cache: need maxBytes ≥ 0 and 0 ≤ payloadAgeMs ≤ maxAgeMs with maxAgeMs > 0');
  }
  if (!Number.isInteger(c.catchUp.maxIds) || c.catchUp.maxIds < 0 || !(c.catchUp.windowMs >= 0)) throw new RangeError('plumtree.catchUp: need integer maxIds ≥ 0 and windowMs ≥ 0');
  validateRateLimit('plumtree.ihaveRate', c.ihaveRate);
  validateRateLimit('plumtree.graftRate', c.graftRate);
  return c;
}

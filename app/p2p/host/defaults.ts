/** Host defaults; the reasons are in app/p2p/README.md ("The libp2p host"). */
import type { DhtOptions, HostTimings } from './types.js';

export const HOST_DEFAULTS: HostTimings = {
  announceIntervalMs: 30 * 60_000,
  randomWalkIntervalMs: 60_000,
  heartbeatIntervalMs: 10_000,
  partitionCheckMs: 1_000,
  discoveryCooldownMs: 5_000,
  dhtQueryTimeoutMs: 30_000,
  dialTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  maxQueuedBytesPerPeer: 32 * 1024 * 1024,
  maxInboundPer24: 4,
};

/** The seed's `DhtConfig`: k = 20 (fixed), alpha 3, provider records 24 h, re-publish checked hourly. */
export const DHT_DEFAULTS: DhtOptions = {
  alpha: 3,
  providerTtlMs: 24 * 3_600_000,
  reprovideIntervalMs: 3_600_000,
};

/**
 * The four-region latency matrix of issue 6 (one-way milliseconds) and address
 * allocation for simulated nodes.
 */
import type { Rng } from '../rng.js';
import { formatIpv4 } from '../eclipse/ip.js';

export const REGIONS = ['us-east', 'eu-west', 'ap-southeast', 'sa-east'] as const;
export type Region = (typeof REGIONS)[number];

/** One-way delay in ms between regions (issue 6). */
export type LatencyMatrix = Readonly<Record<Region, Readonly<Record<Region, number>>>>;

export const DEFAULT_LATENCY: LatencyMatrix = {
  'us-east': { 'us-east': 5, 'eu-west': 40, 'ap-southeast': 110, 'sa-east': 60 },
  'eu-west': { 'us-east': 40, 'eu-west': 5, 'ap-southeast': 80, 'sa-east': 95 },
  'ap-southeast': { 'us-east': 110, 'eu-west': 80, 'ap-southeast': 5, 'sa-east': 160 },
  'sa-east': { 'us-east': 60, 'eu-west': 95, 'ap-southeast': 160, 'sa-east': 5 },
};

/** Region of node `i` when nodes are spread evenly (round robin). */
export function regionOf(i: number): Region {
  return REGIONS[i % REGIONS.length];
}

/** The /16 the eclipse scenario's attacker holds; honest addresses never fall in it. */
export const ATTACKER_SLASH16 = (45 << 8) | 67;

/** A random public-looking IPv4 (first octet 11–210), never in the attacker's /16. */
export function honestIp(rng: Rng): string {
  for (;;) {
    const v = ((11 + rng.int(200)) * 2 ** 24 + rng.int(256) * 2 ** 16 + rng.int(256) * 2 ** 8 + 1 + rng.int(254)) >>> 0;
    if (v >>> 16 !== ATTACKER_SLASH16) return formatIpv4(v);
  }
}

/** The k-th attacker address: one per /24 inside the attacker's /16, so only the /16 limit can stop them. */
export function attackerIp(k: number): string {
  return formatIpv4(((ATTACKER_SLASH16 << 16) >>> 0) + ((k % 256) << 8) + 1 + (Math.floor(k / 256) % 254));
}

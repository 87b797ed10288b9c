/**
 * Diversity filter for a Kademlia routing table (the adapter's DHT, k = 20): limits per
 * IP group in each bucket and in the whole table, as go-libp2p-kbucket's
 * `peerdiversity.Filter` does (per common-prefix-length bucket and per table). Without
 * it an attacker with one /16 fills the buckets near a target key and answers every
 * lookup for it. Sans-IO: the adapter asks `tryAdd` before inserting and calls
 * `remove` when the table drops a peer.
 */
import type { PeerId } from '../types.js';
import { addressGroups, parseCidr } from './ip.js';
import type { DiversityLimits } from './diversity.js';

export interface RoutingFilterConfig {
  readonly perBucket: DiversityLimits;
  readonly perTable: DiversityLimits;
  readonly exempt: readonly string[];
}

/** go-libp2p-kbucket defaults: 2 per group per bucket, 3 per group in the table (/16); /24 tighter. */
export const ROUTING_FILTER_DEFAULTS: RoutingFilterConfig = {
  perBucket: { per24: 1, per16: 2 },
  perTable: { per24: 2, per16: 3 },
  exempt: ['127.0.0.0/8', '::1/128'],
};

interface Member {
  readonly narrow: string;
  readonly wide: string;
  readonly cpl: number;
}

export class RoutingTableFilter {
  private readonly members = new Map<PeerId, Member>();
  private readonly counts = new Map<string, number>();
  private readonly isExempt: (addr: string) => boolean;

  constructor(private readonly config: RoutingFilterConfig = ROUTING_FILTER_DEFAULTS) {
    const ex = config.exempt.map(parseCidr);
    this.isExempt = (a) => ex.some((f) => f(a));
  }

  get size(): number {
    return this.members.size;
  }

  has(peer: PeerId): boolean {
    return this.members.has(peer);
  }

  /**
   * Admits `peer` (dialable at `addr`, in the bucket of common prefix length `cpl`)
   * if its groups are under the limits, and counts it. Already-admitted peers: true.
   */
  tryAdd(peer: PeerId, addr: string, cpl: number): boolean {
    if (this.members.has(peer)) return true;
    if (this.isExempt(addr)) {
      this.members.set(peer, { narrow: '', wide: '', cpl });
      return true;
    }
    const g = addressGroups(addr);
    const c = this.config;
    const n = (k: string): number => this.counts.get(k) ?? 0;
    if (n(`t${g.narrow}`) >= c.perTable.per24 || n(`t${g.wide}`) >= c.perTable.per16) return false;
    if (n(`${cpl}${g.narrow}`) >= c.perBucket.per24 || n(`${cpl}${g.wide}`) >= c.perBucket.per16) return false;
    for (const k of [`t${g.narrow}`, `t${g.wide}`, `${cpl}${g.narrow}`, `${cpl}${g.wide}`]) this.counts.set(k, n(k) + 1);
    this.members.set(peer, { narrow: g.narrow, wide: g.wide, cpl });
    return true;
  }

  remove(peer: PeerId): void {
    const m = this.members.get(peer);
    if (!m) return;
    this.members.delete(peer);
    if (m.narrow === '') return;
    for (const k of [`t${m.narrow}`, `t${m.wide}`, `${m.cpl}${m.narrow}`, `${m.cpl}${m.wide}`]) {
      const v = (this.counts.get(k) ?? 1) - 1;
      if (v === 0) this.counts.delete(k);
      else this.counts.set(k, v);
    }
  }
}

/** Kademlia bucket index: the number of leading bits two keys share. */
export function commonPrefixLength(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ^ b[i];
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return n * 8;
}

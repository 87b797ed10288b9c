/**
 * The simulated network: one-way delays from the region matrix plus jitter, per-link
 * FIFO order (a TCP stream), loss, connection set-up cost, and partitions. It decides
 * when a message arrives; the simulator decides what happens then.
 */
import type { Rng } from '../rng.js';
import type { LatencyMatrix, Region } from './regions.js';
import { DEFAULT_LATENCY } from './regions.js';

export interface NetworkConfig {
  readonly latency: LatencyMatrix;
  /** Uniform extra delay in [0, jitterMs) per message (FIFO per link is kept). */
  readonly jitterMs: number;
  /** Probability that a message is lost once. */
  readonly loss: number;
  /**
   * 'retransmit' (TCP, what libp2p gives): a lost message arrives one retransmission
   * timeout later, and may be lost again. 'drop': it never arrives (stresses repair).
   */
  readonly lossMode: 'retransmit' | 'drop';
  /** TCP's minimum retransmission timeout (RFC 6298 recommends 1 s; Linux uses 200 ms). */
  readonly retransmitMs: number;
  /** Round trips before the first message on a new connection (TCP + Noise XX + yamux ≈ 2). */
  readonly dialRoundTrips: number;
  /** A dial to an address nobody answers fails after this long. */
  readonly dialTimeoutMs: number;
}

export const NETWORK_DEFAULTS: NetworkConfig = {
  latency: DEFAULT_LATENCY,
  jitterMs: 2,
  loss: 0,
  lossMode: 'retransmit',
  retransmitMs: 200,
  dialRoundTrips: 2,
  dialTimeoutMs: 5_000,
};

export class SimNetwork {
  /** Directed link → arrival time of the last message (keeps FIFO under jitter). */
  private readonly lastArrival = new Map<number, number>();
  /** Undirected link → time the connection is usable. */
  private readonly openAt = new Map<number, number>();
  private readonly linkPeers: Set<number>[];
  private group: Int32Array;

  constructor(
    readonly config: NetworkConfig,
    private readonly n: number,
    private readonly regionOf: (i: number) => Region,
    private readonly rng: Rng,
  ) {
    this.linkPeers = Array.from({ length: n }, () => new Set<number>());
    this.group = new Int32Array(n);
  }

  oneWay(a: number, b: number): number {
    return this.config.latency[this.regionOf(a)][this.regionOf(b)];
  }

  reachable(a: number, b: number): boolean {
    return this.group[a] === this.group[b];
  }

  isOpen(a: number, b: number): boolean {
    return this.openAt.has(this.key(a, b));
  }

  /** Open peers of `a` (a copy). */
  linksOf(a: number): number[] {
    return [...this.linkPeers[a]];
  }

  close(a: number, b: number): void {
    this.openAt.delete(this.key(a, b));
    this.lastArrival.delete(a * this.n + b);
    this.lastArrival.delete(b * this.n + a);
    this.linkPeers[a].delete(b);
    this.linkPeers[b].delete(a);
  }

  /** Closes every link of `a` (a restarted node starts with none). */
  closeAll(a: number): void {
    for (const b of this.linkPeers[a]) this.close(a, b);
  }

  /** `group[i]` = partition of node i; nodes in different groups cannot talk. */
  setPartition(group: Int32Array): void {
    this.group = group;
  }

  heal(): void {
    this.group = new Int32Array(this.n);
  }

  /**
   * When a message sent now from a to b arrives (opening the link first if needed), or
   * undefined if it is lost for good ('drop' mode).
   */
  arrival(a: number, b: number, now: number): number | undefined {
    const d = this.oneWay(a, b);
    const k = this.key(a, b);
    let ready = this.openAt.get(k);
    if (ready === undefined) {
      ready = now + 2 * d * this.config.dialRoundTrips;
      this.openAt.set(k, ready);
      this.linkPeers[a].add(b);
      this.linkPeers[b].add(a);
    }
    let t = Math.max(now, ready) + d + (this.config.jitterMs > 0 ? this.rng.next() * this.config.jitterMs : 0);
    if (this.config.loss > 0) {
      for (let tries = 0; tries < 8 && this.rng.next() < this.config.loss; tries++) {
        if (this.config.lossMode === 'drop') return undefined;
        t += Math.max(this.config.retransmitMs, 2 * d) * 2 ** tries;
      }
    }
    const dk = a * this.n + b;
    const last = this.lastArrival.get(dk);
    if (last !== undefined && t < last) t = last;
    this.lastArrival.set(dk, t);
    return t;
  }

  private key(a: number, b: number): number {
    return a < b ? a * this.n + b : b * this.n + a;
  }
}

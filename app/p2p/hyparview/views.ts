/**
 * The two HyParView views (paper §4.1): a small active view of open, symmetric
 * neighbour links and a larger passive view of known peers kept as backups. Bounded by
 * construction: `add` refuses (active) or evicts (passive) at capacity.
 */
import { pickOne, type Rng } from '../rng.js';
import type { PeerId, PeerInfo } from '../types.js';

export interface ActiveEntry {
  readonly info: PeerInfo;
  /** Address the diversity limits see: observed for inbound links, dialed for outbound. */
  readonly addr: string | undefined;
  /** This node asked for the link (JOIN contact, passive promotion, forward-join end). */
  readonly outbound: boolean;
  readonly since: number;
}

export class ActiveView {
  private readonly map = new Map<PeerId, ActiveEntry>();

  constructor(
    readonly capacity: number,
    private readonly reservedOutbound: number,
  ) {}

  get size(): number {
    return this.map.size;
  }
  get full(): boolean {
    return this.map.size >= this.capacity;
  }
  has(id: PeerId): boolean {
    return this.map.has(id);
  }
  get(id: PeerId): ActiveEntry | undefined {
    return this.map.get(id);
  }
  ids(): PeerId[] {
    return [...this.map.keys()];
  }
  entries(): ActiveEntry[] {
    return [...this.map.values()];
  }
  addrs(): IterableIterator<string | undefined> {
    return Array.from(this.map.values(), (e) => e.addr).values();
  }

  /** Caller has made room (`full` is false). */
  add(entry: ActiveEntry): void {
    this.map.set(entry.info.id, entry);
  }

  remove(id: PeerId): ActiveEntry | undefined {
    const e = this.map.get(id);
    this.map.delete(id);
    return e;
  }

  /** Members an incoming request may displace: all but the `reservedOutbound` oldest outbound links. */
  evictable(): ActiveEntry[] {
    let kept = 0;
    const out: ActiveEntry[] = [];
    for (const e of this.map.values()) {
      if (e.outbound && kept < this.reservedOutbound) kept++;
      else out.push(e);
    }
    return out;
  }

  random(rng: Rng, exclude: (id: PeerId) => boolean = () => false): ActiveEntry | undefined {
    return pickOne(rng, this.entries().filter((e) => !exclude(e.info.id)));
  }
}

export interface PassiveEntry {
  readonly info: PeerInfo;
  readonly addr: string | undefined;
  /** When this peer last refused to become a neighbour. */
  rejectedAt?: number;
}

export class PassiveView {
  private readonly map = new Map<PeerId, PassiveEntry>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }
  has(id: PeerId): boolean {
    return this.map.has(id);
  }
  get(id: PeerId): PassiveEntry | undefined {
    return this.map.get(id);
  }
  delete(id: PeerId): void {
    this.map.delete(id);
  }
  entries(): PassiveEntry[] {
    return [...this.map.values()];
  }
  addrs(): IterableIterator<string | undefined> {
    return Array.from(this.map.values(), (e) => e.addr).values();
  }

  /**
   * Adds `entry`; at capacity first evicts one of `preferEvict` (the entries this node
   * just sent away in a shuffle, §4.4) or else a random entry.
   */
  add(entry: PassiveEntry, rng: Rng, preferEvict: readonly PeerId[] = []): void {
    if (this.capacity === 0) return;
    if (this.map.size >= this.capacity) {
      const victim = preferEvict.find((id) => this.map.has(id)) ?? pickOne(rng, [...this.map.keys()]);
      if (victim !== undefined) this.map.delete(victim);
    }
    this.map.set(entry.info.id, entry);
  }
}

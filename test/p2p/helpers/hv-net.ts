/**
 * A minimal driver for HyParView cores in tests: per-link FIFO queues, delivered in an
 * order chosen by a seeded RNG (so interleavings vary but runs repeat), dead nodes
 * reported as unreachable, connections of a crashed node reported down.
 */
import { HyParView, type HyParViewInit } from '../../../app/p2p/hyparview/hyparview.js';
import type { HyParViewEffect, HyParViewMessage } from '../../../app/p2p/hyparview/messages.js';
import { seededRng, type Rng } from '../../../app/p2p/rng.js';
import type { PeerInfo } from '../../../app/p2p/types.js';

export const info = (i: number): PeerInfo => ({ id: `p${i}`, addrs: [`/ip4/10.${i >> 8}.${i & 255}.1/tcp/1`] });

export class HvNet {
  readonly cores = new Map<string, HyParView>();
  readonly dead = new Set<string>();
  private readonly links = new Map<string, { from: string; to: string; msg: HyParViewMessage }[]>();
  private readonly rng: Rng;
  now = 0;
  delivered = 0;

  constructor(
    seed: number | string,
    private readonly init: Partial<Omit<HyParViewInit, 'self' | 'rng'>> = {},
  ) {
    this.rng = seededRng(`hvnet/${seed}`);
  }

  add(i: number): HyParView {
    const core = new HyParView({ ...this.init, self: info(i), rng: seededRng(`hv/${i}`) });
    this.cores.set(core.self.id, core);
    core.start(this.now);
    this.flush(core);
    return core;
  }

  join(i: number, contact: number): void {
    const core = this.cores.get(`p${i}`)!;
    core.join(info(contact), this.now);
    this.flush(core);
  }

  addCandidates(i: number, peers: number[]): void {
    const core = this.cores.get(`p${i}`)!;
    core.addCandidates(peers.map(info), this.now);
    this.flush(core);
  }

  crash(i: number): void {
    const id = `p${i}`;
    this.dead.add(id);
    for (const [, core] of this.cores) {
      if (this.dead.has(core.self.id) || !core.isActive(id)) continue;
      core.connectionDown(id, this.now);
      this.flush(core);
    }
  }

  /** Delivers queued messages in a random link order (FIFO per link) until none are left. */
  settle(maxSteps = 1_000_000): number {
    let steps = 0;
    for (; steps < maxSteps; steps++) {
      const keys = [...this.links.keys()];
      if (keys.length === 0) break;
      const key = keys[this.rng.int(keys.length)];
      const q = this.links.get(key)!;
      const m = q.shift()!;
      if (q.length === 0) this.links.delete(key);
      const to = this.cores.get(m.to);
      if (!to || this.dead.has(m.to)) continue;
      this.delivered++;
      to.receive(m.from, m.msg, this.now, this.cores.get(m.from)?.self.addrs[0]);
      this.flush(to);
    }
    return steps;
  }

  /** Advances time to `t`, ticking every live core, and settles. */
  advance(t: number): void {
    this.now = t;
    for (const core of this.cores.values()) {
      if (this.dead.has(core.self.id)) continue;
      core.tick(t);
      this.flush(core);
    }
    this.settle();
  }

  live(): HyParView[] {
    return [...this.cores.values()].filter((c) => !this.dead.has(c.self.id));
  }

  private flush(core: HyParView): void {
    for (const e of core.takeEffects()) this.apply(core, e);
  }

  private apply(core: HyParView, e: HyParViewEffect): void {
    if (e.type !== 'send') return;
    const from = core.self.id;
    if (this.dead.has(e.to.id) || !this.cores.has(e.to.id)) {
      core.unreachable(e.to.id, this.now);
      this.flush(core);
      return;
    }
    const key = `${from}>${e.to.id}`;
    let q = this.links.get(key);
    if (!q) this.links.set(key, (q = []));
    q.push({ from, to: e.to.id, msg: e.message });
  }
}

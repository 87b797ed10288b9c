/**
 * Eclipse scenario (issue 6: "an attacker holding many addresses in one /16 cannot fill
 * a victim's views"): sybils from one /16 attack one victim for a while; we sample the
 * victim's views and then check it still receives every broadcast. Run once with the
 * defences and once without (no diversity limits, no reserved outbound slots) to show
 * what they stop.
 */
import { seededRng } from '../rng.js';
import { Sybil } from './attacker.js';
import { broadcastPhase, growOverlay } from './phases.js';
import { ATTACKER_SLASH16 } from './regions.js';
import { Simulator, type SimConfig } from './simulator.js';
import { parseIpv4 } from '../eclipse/ip.js';

export interface EclipseOptions {
  readonly nodes: number;
  readonly sybils: number;
  readonly seed?: number | string;
  /** false: run without diversity limits or reserved outbound slots (the control). */
  readonly defended?: boolean;
  readonly attackMs?: number;
  readonly roundMs?: number;
  readonly sim?: Omit<SimConfig, 'nodes' | 'seed' | 'sybils'>;
}

export interface EclipseReport {
  defended: boolean;
  sybils: number;
  active_view_size: number;
  /** Most sybils in the victim's active view at any sample. */
  max_sybils_in_active: number;
  final_sybils_in_active: number;
  max_sybils_in_passive: number;
  passive_view_size: number;
  /** Share of broadcasts from honest nodes the victim got during the attack. */
  victim_delivery_ratio: number;
  /** Sybils the victim banned (they only misbehave silently here, so 0 is expected). */
  banned: number;
}

export function runEclipse(opts: EclipseOptions): EclipseReport {
  const seed = opts.seed ?? 1;
  const defended = opts.defended !== false;
  const rng = seededRng(`${seed}/eclipse`);
  const base = opts.sim?.gossip ?? {};
  const gossip = defended ? base : { ...base, diversity: false as const, hyparview: { ...base.hyparview, reservedOutbound: 0 } };
  const sim = new Simulator({ ...opts.sim, gossip, flood: false, nodes: opts.nodes, sybils: opts.sybils, seed });
  growOverlay(sim, opts.nodes, 5, rng);
  sim.run(sim.now + 20_000);
  const victim = 0;
  const sybilIdx = Array.from({ length: opts.sybils }, (_, k) => opts.nodes + k);
  const crew = () => sybilIdx.map((i) => sim.nodes[i].info);
  const sybils = sybilIdx.map((i) => {
    const s = new Sybil(victim, crew);
    sim.startBehaviour(i, s);
    return s;
  });
  const roundMs = opts.roundMs ?? 500;
  const attackMs = opts.attackMs ?? 60_000;
  const t0 = sim.now;
  const isSybil = (addr: string | undefined): boolean => addr !== undefined && (parseIpv4(addr) ?? 0) >>> 16 === ATTACKER_SLASH16;
  let maxActive = 0;
  let maxPassive = 0;
  for (let r = 0; r * roundMs < attackMs; r++) {
    sim.at(t0 + r * roundMs, () => {
      sybils.forEach((s, k) => s.act(sim, sybilIdx[k], r));
      const m = sim.nodes[victim].gossip!.membership;
      maxActive = Math.max(maxActive, m.active().filter((p) => isSybil(p.addrs[0])).length);
      maxPassive = Math.max(maxPassive, m.passive().filter((p) => isSybil(p.addrs[0])).length);
    });
  }
  sim.run(t0 + attackMs / 2);
  // Second half of the attack: honest broadcasts; does the victim still get them?
  const honest = () => sim.live().filter((i) => i !== victim);
  const before = sim.broadcasts.length;
  broadcastPhase(sim, { messages: 20, intervalMs: 500, drainMs: attackMs / 2 - 20 * 500, origins: honest }, rng);
  const records = sim.broadcasts.slice(before);
  const got = records.filter((b) => !Number.isNaN(b.deliveredAt[victim])).length;
  const g = sim.nodes[victim].gossip!;
  return {
    defended,
    sybils: opts.sybils,
    active_view_size: g.membership.config.activeViewSize,
    max_sybils_in_active: maxActive,
    final_sybils_in_active: g.membership.active().filter((p) => isSybil(p.addrs[0])).length,
    max_sybils_in_passive: maxPassive,
    passive_view_size: g.membership.config.passiveViewSize,
    victim_delivery_ratio: records.length === 0 ? 1 : Math.round((got / records.length) * 1000) / 1000,
    banned: g.bans.size,
  };
}

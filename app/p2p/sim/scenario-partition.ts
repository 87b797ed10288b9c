/**
 * Partition and churn scenarios. Partition: the Americas (us-east, sa-east) are cut off
 * from eu-west and ap-southeast; broadcasts during the cut must reach their own side;
 * after the heal the overlay must become one again and broadcasts reach everyone.
 * Churn: nodes keep crashing and restarting (from their persisted peers) while
 * broadcasts go on.
 */
import { pickOne, seededRng } from '../rng.js';
import { broadcastPhase, growOverlay, type PhaseReport } from './phases.js';
import { regionOf } from './regions.js';
import { Simulator, type SimConfig } from './simulator.js';

export interface PartitionOptions {
  readonly nodes: number;
  readonly seed?: number | string;
  /** How long the cut lasts. */
  readonly partitionMs?: number;
  readonly sim?: Omit<SimConfig, 'nodes' | 'seed'>;
}

export interface PartitionReport {
  /** Broadcasts during the cut, counted only on the origin's side. */
  during: PhaseReport;
  /** Overlay components while cut (2 expected) and how long after the heal it was one again. */
  components_during: number;
  remerged_after_ms: number | null;
  /** Broadcasts after the heal, counted everywhere. */
  after_heal: PhaseReport;
}

const americas = (i: number): number => (regionOf(i) === 'us-east' || regionOf(i) === 'sa-east' ? 0 : 1);

export function runPartition(opts: PartitionOptions): PartitionReport {
  const seed = opts.seed ?? 1;
  const rng = seededRng(`${seed}/partition`);
  const sim = new Simulator({ ...opts.sim, nodes: opts.nodes, seed });
  const phase = { messages: 20, intervalMs: 100, drainMs: 3_000 };
  growOverlay(sim, opts.nodes, 5, rng);
  sim.run(sim.now + 20_000);
  for (let i = 0; i < 3; i++) broadcastPhase(sim, phase, rng);
  sim.partition(americas);
  const partitionMs = opts.partitionMs ?? 60_000;
  const healAt = sim.now + partitionMs;
  sim.run(sim.now + 15_000); // keepalives notice the cut, views repair on each side
  const during = broadcastPhase(sim, { ...phase, eligible: (o, i) => americas(o) === americas(i) }, rng);
  const componentsDuring = sim.components();
  sim.run(healAt);
  sim.heal();
  let remerged: number | null = null;
  for (let t = 0; t <= 120_000 && remerged === null; t += 1_000) {
    sim.run(healAt + t);
    if (sim.components() === 1) remerged = t;
  }
  broadcastPhase(sim, phase, rng);
  const afterHeal = broadcastPhase(sim, phase, rng);
  return { during, components_during: componentsDuring, remerged_after_ms: remerged, after_heal: afterHeal };
}

export interface ChurnOptions {
  readonly nodes: number;
  readonly seed?: number | string;
  /** One node crashes and one dead node restarts every this many ms. */
  readonly churnIntervalMs?: number;
  readonly sim?: Omit<SimConfig, 'nodes' | 'seed'>;
}

export interface ChurnReport {
  /** Node crashes (and as many restarts) during the measured batches. */
  events: number;
  during: PhaseReport;
}

export function runChurn(opts: ChurnOptions): ChurnReport {
  const seed = opts.seed ?? 1;
  const rng = seededRng(`${seed}/churn`);
  const sim = new Simulator({ ...opts.sim, nodes: opts.nodes, seed });
  growOverlay(sim, opts.nodes, 5, rng);
  sim.run(sim.now + 20_000);
  const phase = { messages: 40, intervalMs: 250, drainMs: 3_000 };
  for (let i = 0; i < 2; i++) broadcastPhase(sim, { ...phase, messages: 20, intervalMs: 100 }, rng);
  const every = opts.churnIntervalMs ?? 200;
  const span = (phase.messages - 1) * phase.intervalMs + phase.drainMs;
  let events = 0;
  for (let t = every; t < span; t += every) {
    sim.at(sim.now + t, () => {
      const live = sim.live();
      const victim = pickOne(rng, live);
      if (victim !== undefined && live.length > opts.nodes / 2) sim.crash(victim);
      const dead = sim.nodes.filter((n) => !n.alive && n.index < opts.nodes && n.index !== victim).map((n) => n.index);
      const back = pickOne(rng, dead);
      if (back !== undefined) sim.restart(back);
      events++;
    });
  }
  const during = broadcastPhase(sim, phase, rng);
  return { events, during };
}

/**
 * The scenarios the tests and `npm run bench:gossip` run. Each builds a fresh seeded
 * simulation, so a scenario with the same options always reports the same figures.
 */
import { seededRng } from '../rng.js';
import { broadcastPhase, crashFraction, growOverlay, type PhaseReport } from './phases.js';
import { Simulator, type SimConfig } from './simulator.js';

export interface StandardOptions {
  readonly nodes: number;
  readonly seed?: number | string;
  /** Share of nodes crashed at once before the crash phase (0–0.9). */
  readonly crash?: number;
  /** Broadcasts per phase. */
  readonly messages?: number;
  /** Gap between broadcasts (default 100 ms: 10 msg/s from random origins). */
  readonly intervalMs?: number;
  /** Gap between node starts while the overlay grows. */
  readonly joinSpacingMs?: number;
  /** Quiet time after the last join before the first broadcast. */
  readonly settleMs?: number;
  /** Warm-up batches before "steady": the tree forms under this traffic. */
  readonly warmupPhases?: number;
  /** Time allowed after the crash batch's last broadcast (default 5 s; silent host crashes need the keepalive). */
  readonly crashDrainMs?: number;
  readonly sim?: Omit<SimConfig, 'nodes' | 'seed'>;
}

export interface StandardReport {
  nodes: number;
  seed: number | string;
  crashed: number;
  overlay: ReturnType<Simulator['viewStats']>;
  /** First batch: the tree forms from an all-eager overlay. */
  warmup: PhaseReport;
  /** After warm-up: the figure RMR ≤ 0.1 is about. */
  steady: PhaseReport;
  /** Broadcasts start the moment the nodes crash; failures are found while they spread. */
  crash: PhaseReport | undefined;
  /** After the crash batch: the repaired tree. */
  after_crash: PhaseReport | undefined;
  sim_time_ms: number;
  events: number;
}

/** Grow → settle → warm up → steady batch → crash a share at once → batch → batch. */
export function runStandard(opts: StandardOptions): StandardReport {
  const seed = opts.seed ?? 1;
  const rng = seededRng(`${seed}/scenario`);
  const sim = new Simulator({ ...opts.sim, nodes: opts.nodes, seed });
  const phase = { messages: opts.messages ?? 20, intervalMs: opts.intervalMs ?? 100, drainMs: 3_000 };
  growOverlay(sim, opts.nodes, opts.joinSpacingMs ?? 5, rng);
  sim.run(sim.now + (opts.settleMs ?? 20_000));
  const overlay = sim.viewStats();
  const warmup = broadcastPhase(sim, phase, rng);
  for (let i = 1; i < (opts.warmupPhases ?? 3); i++) broadcastPhase(sim, phase, rng);
  const steady = broadcastPhase(sim, phase, rng);
  let crash: PhaseReport | undefined;
  let afterCrash: PhaseReport | undefined;
  let crashed = 0;
  if (opts.crash && opts.crash > 0) {
    crashed = crashFraction(sim, opts.crash, `${seed}/crash`).length;
    crash = broadcastPhase(sim, { ...phase, drainMs: opts.crashDrainMs ?? 5_000 }, rng);
    broadcastPhase(sim, phase, rng);
    afterCrash = broadcastPhase(sim, phase, rng);
  }
  return { nodes: opts.nodes, seed, crashed, overlay, warmup, steady, crash, after_crash: afterCrash, sim_time_ms: Math.round(sim.now), events: sim.events };
}

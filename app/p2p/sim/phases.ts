/**
 * Building blocks of the scenarios: grow an overlay, broadcast a batch and measure it
 * (Plumtree and flooding side by side), crash a share of the nodes.
 */
import { pickOne, sample, seededRng, type Rng } from '../rng.js';
import { summarize, type SpreadSummary } from './metrics.js';
import type { Simulator } from './simulator.js';

/** Starts nodes 0..n−1, one every `spacingMs`, each joining through a random earlier node. */
export function growOverlay(sim: Simulator, n: number, spacingMs: number, rng: Rng): void {
  const t0 = sim.now;
  sim.at(t0, () => sim.start(0));
  for (let i = 1; i < n; i++) {
    sim.at(t0 + i * spacingMs, () => {
      const live = sim.live();
      sim.start(i, live.length > 0 ? pickOne(rng, live) : undefined);
    });
  }
  sim.run(t0 + n * spacingMs);
}

export interface PhaseReport {
  plumtree: SpreadSummary;
  flood: SpreadSummary | undefined;
  /** Frames sent per live node per broadcast, membership upkeep included. */
  frames_per_node_per_broadcast: { plumtree: number; flood: number | undefined };
  /** Encoded bytes sent per live node per broadcast (payloads, IHAVEs, GRAFTs, membership). */
  bytes_per_node_per_broadcast: { plumtree: number; flood: number | undefined };
}

export interface PhaseOptions {
  messages: number;
  intervalMs: number;
  /** Time allowed after the last broadcast for stragglers and repairs. */
  drainMs: number;
  /** Send the broadcasts with the priority-peer direct push. */
  direct?: boolean;
  /** Origins are drawn from these nodes (default: any live node). */
  origins?: () => number[];
  /** Which nodes should get a broadcast from `origin` (default: every live node). */
  eligible?: (origin: number, node: number) => boolean;
}

/** Broadcasts `messages` payloads from random live nodes, `intervalMs` apart, and measures them. */
export function broadcastPhase(sim: Simulator, opts: PhaseOptions, rng: Rng): PhaseReport {
  const before = { ...sim.sent };
  const beforeBytes = { ...sim.sentBytes };
  const first = sim.broadcasts.length;
  const t0 = sim.now;
  for (let k = 0; k < opts.messages; k++) {
    sim.at(t0 + k * opts.intervalMs, () => {
      const origin = pickOne(rng, opts.origins ? opts.origins() : sim.live());
      if (origin !== undefined && sim.nodes[origin].gossip) sim.broadcast(origin, { direct: opts.direct });
    });
  }
  sim.run(t0 + (opts.messages - 1) * opts.intervalMs + opts.drainMs);
  const records = sim.broadcasts.slice(first);
  const live = sim.live().length;
  const floodOn = records.length > 0 && records[0].flood !== undefined;
  const floodFrames = (sim.sent.flood ?? 0) - (before.flood ?? 0);
  const allFrames = sim.framesSince(before);
  const floodBytes = (sim.sentBytes.flood ?? 0) - (beforeBytes.flood ?? 0);
  const allBytes = sim.framesSince(beforeBytes, true);
  const per = (frames: number): number => Math.round((frames / Math.max(1, live) / Math.max(1, records.length)) * 1000) / 1000;
  const eligible = opts.eligible;
  const filter = (b: { origin: number }) => (eligible ? (i: number) => eligible(b.origin, i) : undefined);
  return {
    plumtree: summarize(records.map((b) => sim.outcome(b, 'plumtree', filter(b))), live),
    flood: floodOn ? summarize(records.map((b) => sim.outcome(b, 'flood', filter(b))), live) : undefined,
    frames_per_node_per_broadcast: { plumtree: per(allFrames - floodFrames), flood: floodOn ? per(floodFrames) : undefined },
    bytes_per_node_per_broadcast: { plumtree: Math.round(per(allBytes - floodBytes)), flood: floodOn ? Math.round(per(floodBytes)) : undefined },
  };
}

/** Crashes `fraction` of the live nodes at once (never those in `keep`); returns them. */
export function crashFraction(sim: Simulator, fraction: number, seed: string, keep: ReadonlySet<number> = new Set()): number[] {
  const live = sim.live().filter((i) => !keep.has(i));
  const victims = sample(seededRng(seed), live, Math.round(fraction * sim.live().length));
  for (const i of victims) sim.crash(i);
  return victims;
}

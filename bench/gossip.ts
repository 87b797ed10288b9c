/**
 * Gossip at scale (issue 6, DESIGN §10): the production HyParView + Plumtree code on
 * the seeded four-region simulator, against plain flooding over the same overlay in
 * the same run (the baseline: every node forwards to all active neighbours but the
 * sender, i.e. fanout = active view − 1). Traffic: 10 broadcasts/s of 256-byte payloads
 * from random live nodes. Prints JSON.
 *
 *   npm run build && npm run bench:gossip                  # 1,000 (with extras) and 5,000 nodes
 *   node dist/bench/gossip.js --sizes 1000 --no-extras     # just one size
 *
 * Targets at 1,000 nodes (issue 6): 100% delivery with 30% crashed, p99 time to all
 * ≤ 2 s (aim ≤ 1 s), RMR ≤ 0.1 in steady state; flooding ≈ fanout − 1.
 */
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { HYPARVIEW_DEFAULTS } from '../app/p2p/hyparview/config.js';
import { PLUMTREE_DEFAULTS } from '../app/p2p/plumtree/config.js';
import { runEclipse, type EclipseReport } from '../app/p2p/sim/scenario-eclipse.js';
import { runChurn, runPartition } from '../app/p2p/sim/scenario-partition.js';
import { runStandard, type StandardReport } from '../app/p2p/sim/scenarios.js';
import type { PhaseReport } from '../app/p2p/sim/phases.js';
import { DEFAULT_LATENCY } from '../app/p2p/sim/regions.js';

export interface GossipBenchOptions {
  sizes?: number[];
  seed?: number | string;
  /** Crash sweep, silent host crashes, partition, churn and eclipse at the first size (default true). */
  extras?: boolean;
  /** Progress lines on stderr. */
  log?: (line: string) => void;
}

type Brief = {
  delivery_ratio: number;
  reached_all: string;
  time_to_all_ms: PhaseReport['plumtree']['time_to_all_ms'];
  latency_ms: PhaseReport['plumtree']['latency_ms'];
  rmr: number;
  frames_per_node_per_broadcast: number;
  bytes_per_node_per_broadcast: number;
};

const brief = (p: PhaseReport, which: 'plumtree' | 'flood' = 'plumtree'): Brief => {
  const s = which === 'plumtree' ? p.plumtree : p.flood!;
  return {
    delivery_ratio: s.delivery_ratio,
    reached_all: `${s.reached_all}/${s.broadcasts}`,
    time_to_all_ms: s.time_to_all_ms,
    latency_ms: s.latency_ms,
    rmr: s.rmr,
    frames_per_node_per_broadcast: p.frames_per_node_per_broadcast[which]!,
    bytes_per_node_per_broadcast: p.bytes_per_node_per_broadcast[which]!,
  };
};

const phases = (r: StandardReport) => ({
  steady: { plumtree: brief(r.steady), flood: r.steady.flood && brief(r.steady, 'flood') },
  crash: r.crash && { plumtree: brief(r.crash), flood: r.crash.flood && brief(r.crash, 'flood') },
  after_crash: r.after_crash && { plumtree: brief(r.after_crash), flood: r.after_crash.flood && brief(r.after_crash, 'flood') },
  warmup: { plumtree: brief(r.warmup), flood: r.warmup.flood && brief(r.warmup, 'flood') },
});

function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const out = fn();
  return [out, Math.round(performance.now() - t)];
}

export function runGossipBench(opts: GossipBenchOptions = {}) {
  const sizes = opts.sizes ?? [1_000, 5_000];
  const seed = opts.seed ?? 1;
  const log = opts.log ?? (() => {});
  const load = loadavg()[0];
  const runs: Record<string, unknown> = {};
  let targets: Record<string, unknown> | undefined;
  for (const [k, n] of sizes.entries()) {
    log(`standard ${n} nodes…`);
    const [std, wall] = timed(() => runStandard({ nodes: n, crash: 0.3, seed }));
    const run: Record<string, unknown> = { overlay: std.overlay, crashed: std.crashed, ...phases(std), events: std.events, sim_time_ms: std.sim_time_ms, wall_ms: wall };
    if (k === 0) {
      const tta = std.crash!.plumtree.time_to_all_ms.p99;
      targets = {
        nodes: n,
        delivery_with_30pct_crashed: std.crash!.plumtree.delivery_ratio,
        p99_time_to_all_ms_with_30pct_crashed: tta,
        p99_time_to_all_ms_steady: std.steady.plumtree.time_to_all_ms.p99,
        steady_rmr: std.steady.plumtree.rmr,
        flood_rmr: std.steady.flood?.rmr,
        met: std.crash!.plumtree.delivery_ratio === 1 && tta !== null && tta <= 2_000 && std.steady.plumtree.rmr <= 0.1,
      };
    }
    if (k === 0 && opts.extras !== false) {
      log(`silent host crashes ${n}…`);
      const [host, hostWall] = timed(() => runStandard({ nodes: n, crash: 0.3, seed, messages: 20, warmupPhases: 2, crashDrainMs: 15_000, sim: { crashMode: 'host', flood: false } }));
      run.host_crash = { keepalive_timeout_ms: 10_000, drain_ms: 15_000, crash: brief(host.crash!), after_crash: brief(host.after_crash!), wall_ms: hostWall };
      const sweep: Record<string, unknown> = {};
      for (const f of [0.1, 0.5, 0.7, 0.9]) {
        log(`crash ${f * 100}% of ${n}…`);
        const [r, w] = timed(() => runStandard({ nodes: n, crash: f, seed, messages: 10, warmupPhases: 2, sim: { flood: false } }));
        sweep[`${Math.round(f * 100)}%`] = { crashed: r.crashed, crash: brief(r.crash!), after_crash: brief(r.after_crash!), wall_ms: w };
      }
      run.crash_sweep = sweep;
      log(`partition ${n}…`);
      const [p, pw] = timed(() => runPartition({ nodes: n, seed }));
      run.partition = {
        cut: 'us-east + sa-east | eu-west + ap-southeast, 60 s',
        components_during: p.components_during,
        during_same_side: brief(p.during),
        remerged_after_ms: p.remerged_after_ms,
        after_heal: brief(p.after_heal),
        wall_ms: pw,
      };
      log(`churn ${n}…`);
      const [c, cw] = timed(() => runChurn({ nodes: n, seed, churnIntervalMs: 200 }));
      run.churn = { crash_and_restart_every_ms: 200, events: c.events, during: brief(c.during), wall_ms: cw };
      log(`eclipse ${n}…`);
      const eclipse = (defended: boolean): EclipseReport => runEclipse({ nodes: n, sybils: 200, seed, defended });
      run.eclipse = { attacker: '200 addresses in 45.67.0.0/16, 60 s of JOIN/NEIGHBOR(high)/SHUFFLE', defended: eclipse(true), undefended: eclipse(false) };
    }
    runs[String(n)] = run;
  }
  return {
    bench: 'gossip',
    seed,
    config: {
      regions: DEFAULT_LATENCY,
      jitter_ms: 2,
      traffic: '20 broadcasts per batch, 10/s, 256-byte payloads, random live origins',
      hyparview: { active: HYPARVIEW_DEFAULTS.activeViewSize, passive: HYPARVIEW_DEFAULTS.passiveViewSize, arwl: HYPARVIEW_DEFAULTS.activeRandomWalkLength, prwl: HYPARVIEW_DEFAULTS.passiveRandomWalkLength },
      plumtree: {
        // initial values and floors; then measured (SRTT + 4·RTTVAR) up to the max
        ihave_timeout_ms: PLUMTREE_DEFAULTS.ihaveTimeoutMs,
        ihave_timeout_max_ms: PLUMTREE_DEFAULTS.ihaveTimeoutMaxMs,
        graft_retry_ms: PLUMTREE_DEFAULTS.graftRetryMs,
        graft_retry_max_ms: PLUMTREE_DEFAULTS.graftRetryMaxMs,
        max_graft_attempts: PLUMTREE_DEFAULTS.maxGraftAttempts,
        lazy_flush_ms: PLUMTREE_DEFAULTS.lazyFlushMs,
        prune_after_duplicates: PLUMTREE_DEFAULTS.pruneAfterDuplicates,
        optimization: { threshold: PLUMTREE_DEFAULTS.optimizationThreshold, streak: PLUMTREE_DEFAULTS.optimizationStreak },
      },
      flood_fanout: HYPARVIEW_DEFAULTS.activeViewSize - 1,
    },
    targets,
    runs,
    cores: availableParallelism(),
    load_avg: Math.round(load * 100) / 100,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--sizes');
  const sizes = at >= 0 ? args[at + 1].split(',').map(Number) : undefined;
  const result = runGossipBench({ sizes, extras: !args.includes('--no-extras'), log: (l) => process.stderr.write(`${l}\n`) });
  console.log(JSON.stringify(result, null, 2));
}

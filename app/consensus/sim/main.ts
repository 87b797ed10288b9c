/**
 * `npm run sim:consensus`: runs many seeded scenarios and prints a JSON summary; exits 1
 * if any run broke an invariant, printing each failing seed so it can be replayed:
 *
 *   npm run build && npm run sim:consensus                  # SEEDS=2000 PROFILE=mixed by default
 *   SEED=1234 npm run sim:consensus                         # replay one seed, with its violations
 *   SEEDS=500 FIRST=10000 PROFILE=short npm run sim:consensus
 *
 * Bounded: SEEDS (default 2000) runs of simulated minutes each; every run is independent.
 */
import { pathToFileURL } from 'node:url';
import { runScenario, type SimResult } from './run.js';
import { randomScenario, type Profile } from './scenario.js';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface SimSummary {
  profile: Profile;
  seeds: number;
  first: number;
  failed: number;
  failing: Array<{ seed: number; replay: string; violations: string[] }>;
  validators: { min: number; max: number; mean: number };
  runsWithByzantine: number;
  heights: number;
  simulatedHours: number;
  messages: number;
  evidence: number;
  misbehaviourReports: Record<string, number>;
  decisionRound: { p50: number; p99: number; max: number };
  wallSeconds: number;
}

export function runMany(first: number, seeds: number, profile: Profile, onResult?: (r: SimResult) => void): SimSummary {
  const t0 = Date.now();
  const failing: SimSummary['failing'] = [];
  const misbehaviour: Record<string, number> = {};
  const rounds: number[] = [];
  let heights = 0;
  let messages = 0;
  let evidence = 0;
  let simulatedMs = 0;
  let byz = 0;
  const sizes: number[] = [];
  for (let seed = first; seed < first + seeds; seed++) {
    const r = runScenario(randomScenario(seed, profile));
    onResult?.(r);
    if (!r.ok) failing.push({ seed, replay: `SEED=${seed} PROFILE=${profile} npm run sim:consensus`, violations: r.violations });
    sizes.push(r.validators);
    if (r.byzantine > 0) byz++;
    heights += r.height;
    messages += r.stats.messages;
    evidence += r.stats.evidence;
    simulatedMs += r.simulatedMs;
    rounds.push(...r.stats.decisionRounds);
    for (const [k, v] of Object.entries(r.stats.misbehaviour)) misbehaviour[k] = (misbehaviour[k] ?? 0) + v;
  }
  rounds.sort((a, b) => a - b);
  return {
    profile,
    seeds,
    first,
    failed: failing.length,
    failing,
    validators: { min: Math.min(...sizes), max: Math.max(...sizes), mean: Math.round((sizes.reduce((a, b) => a + b, 0) / sizes.length) * 10) / 10 },
    runsWithByzantine: byz,
    heights,
    simulatedHours: Math.round((simulatedMs / 3_600_000) * 10) / 10,
    messages,
    evidence,
    misbehaviourReports: misbehaviour,
    decisionRound: { p50: percentile(rounds, 50), p99: percentile(rounds, 99), max: rounds[rounds.length - 1] ?? 0 },
    wallSeconds: Math.round((Date.now() - t0) / 100) / 10,
  };
}

function main(): void {
  const profile = (process.env.PROFILE ?? 'mixed') as Profile;
  if (!['quick', 'short', 'long', 'mixed'].includes(profile)) throw new Error(`PROFILE must be quick, short, long or mixed, got ${profile}`);
  if (process.env.SEED !== undefined) {
    const seed = Number(process.env.SEED);
    const sc = randomScenario(seed, profile);
    const r = runScenario(sc);
    const out = { seed, profile, ok: r.ok, violations: r.violations, validators: r.validators, byzantine: sc.behaviours.map((b, i) => (b === 'honest' ? undefined : `${i}:${b}`)).filter(Boolean), crashes: sc.crashes, partitions: sc.partitions, lossPermille: sc.lossPermille, height: r.height, messages: r.stats.messages };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    process.exitCode = r.ok ? 0 : 1;
    return;
  }
  const seeds = Number(process.env.SEEDS ?? 2000);
  const first = Number(process.env.FIRST ?? 1);
  const summary = runMany(first, seeds, profile, (r) => {
    if (!r.ok) process.stderr.write(`FAILED seed ${r.seed}: replay with SEED=${r.seed} PROFILE=${profile} npm run sim:consensus\n  ${r.violations.join('\n  ')}\n`);
  });
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.exitCode = summary.failed === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();

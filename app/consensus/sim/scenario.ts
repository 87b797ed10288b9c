/**
 * A run's script, drawn from its seed: validators (count, unequal stake, regions),
 * Byzantine ones (less than 1/3 of the stake), network faults, crashes, partitions,
 * and a quiet tail in which everything honest is up and connected (the liveness check).
 */
import type { EngineConfig } from '../engine/types.js';
import type { SimCrypto } from './keys.js';
import { REGIONS, type Region } from './regions.js';
import { Rng } from './rng.js';
import type { Behaviour } from './types.js';

export interface Scenario {
  seed: number;
  crypto: SimCrypto;
  powers: bigint[];
  regions: Region[];
  behaviours: Behaviour[];
  jitterMs: number;
  lossPermille: number;
  dupPermille: number;
  crashes: Array<{ node: number; at: number; downMs: number }>;
  partitions: Array<{ at: number; until: number; groups: number[] }>;
  /** No crash or partition after this (ms); every honest node is up and connected from here on. */
  quietFrom: number;
  durationMs: number;
  txPerSec: number;
  /** Change the validator set every this many heights (0: fixed set). */
  valsetEvery: number;
  engine: Partial<EngineConfig>;
}

/**
 * `quick`: 4-6 validators, a few seconds of faults then 25 s of quiet (what `npm test`
 * runs, hundreds of seeds); `short`: 4-7 validators, 8-20 s of faults; `long`: 4-100
 * validators (mostly small), 20-60 s of faults; `mixed`: every tenth seed long, the
 * rest short (the default of `npm run sim:consensus`).
 */
export type Profile = 'quick' | 'short' | 'long' | 'mixed';

const BYZANTINE: Behaviour[] = ['silent', 'equivocate', 'invalid-proposals', 'unknown-blocks', 'future-flood'];

function validatorCount(rng: Rng, profile: Profile): number {
  if (profile === 'quick') return rng.range(4, 6);
  if (profile === 'short') return rng.range(4, 7);
  const r = rng.int(100);
  return r < 70 ? rng.range(4, 10) : r < 92 ? rng.range(11, 30) : rng.range(31, 100);
}

/** Byzantine validators: random ones, kept while their stake stays below 1/3. */
function pickByzantine(rng: Rng, powers: bigint[]): Behaviour[] {
  const behaviours: Behaviour[] = powers.map(() => 'honest');
  const total = powers.reduce((a, b) => a + b, 0n);
  const wanted = rng.int(Math.floor((powers.length - 1) / 3) + 1);
  let power = 0n;
  for (const i of rng.shuffle(powers.map((_, i) => i))) {
    if (behaviours.filter((b) => b !== 'honest').length >= wanted) break;
    if ((power + powers[i]) * 3n >= total) continue;
    power += powers[i];
    behaviours[i] = rng.pick(BYZANTINE);
  }
  return behaviours;
}

export function randomScenario(seed: number, profile: Profile = 'short'): Scenario {
  if (profile === 'mixed') return randomScenario(seed, seed % 10 === 0 ? 'long' : 'short');
  const rng = new Rng(seed);
  const n = validatorCount(rng, profile);
  const powers = Array.from({ length: n }, () => BigInt(rng.range(1, 100)));
  const regions = Array.from({ length: n }, () => rng.pick(REGIONS));
  const behaviours = pickByzantine(rng, powers);
  const disruptMs = profile === 'quick' ? rng.range(2_000, 8_000) : profile === 'short' ? rng.range(8_000, 20_000) : rng.range(20_000, 60_000);
  const quietWindow = profile === 'quick' ? 25_000 : 45_000;
  const honest = behaviours.map((b, i) => (b === 'honest' ? i : -1)).filter((i) => i >= 0);

  const crashes: Scenario['crashes'] = [];
  for (let k = rng.int(3); k > 0; k--) {
    const downMs = rng.range(50, Math.min(15_000, disruptMs - 1));
    crashes.push({ node: rng.pick(honest), at: rng.int(disruptMs - downMs), downMs });
  }
  const partitions: Scenario['partitions'] = [];
  if (rng.chance(400)) {
    const at = rng.int(disruptMs - 1000);
    const until = rng.range(at + 500, disruptMs);
    const groups = powers.map(() => rng.int(2));
    partitions.push({ at, until, groups });
  }
  return {
    seed,
    crypto: 'fast',
    powers,
    regions,
    behaviours,
    jitterMs: rng.range(0, 30),
    lossPermille: rng.chance(500) ? rng.range(1, 50) : 0,
    dupPermille: rng.chance(500) ? rng.range(1, 30) : 0,
    crashes,
    partitions,
    quietFrom: disruptMs,
    durationMs: disruptMs + quietWindow,
    txPerSec: 2,
    valsetEvery: rng.chance(500) ? rng.range(2, 6) : 0,
    engine: {},
  };
}

/** A fault-free run for measurements: `n` validators with stake 1..100, spread over `regions`. */
export function benchScenario(seed: number, n: number, regions: readonly Region[], durationMs: number): Scenario {
  const rng = new Rng(seed);
  return {
    seed,
    crypto: 'fast',
    powers: Array.from({ length: n }, () => BigInt(rng.range(1, 100))),
    regions: Array.from({ length: n }, (_, i) => regions[i % regions.length]),
    behaviours: Array.from({ length: n }, () => 'honest' as const),
    jitterMs: 10,
    lossPermille: 0,
    dupPermille: 0,
    crashes: [],
    partitions: [],
    quietFrom: 0,
    durationMs,
    txPerSec: 20,
    valsetEvery: 0,
    engine: {},
  };
}

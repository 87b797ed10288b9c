/**
 * The simulator's invariants over many seeds, and targeted scenarios. A failing seed is
 * printed so it can be replayed: SEED=<seed> PROFILE=quick npm run sim:consensus.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, type SimResult } from '../../../app/consensus/sim/run.js';
import { randomScenario, type Scenario } from '../../../app/consensus/sim/scenario.js';
import type { Behaviour } from '../../../app/consensus/sim/types.js';

const failures = (results: SimResult[], profile: string) =>
  results.filter((r) => !r.ok).map((r) => `seed ${r.seed} (replay: SEED=${r.seed} PROFILE=${profile} npm run sim:consensus): ${r.violations.join('; ')}`);

describe('hundreds of seeded runs keep every invariant', () => {
  // 250 quick runs (4-6 validators, faults then 25 s of quiet) and 30 short ones, in chunks.
  for (let chunk = 0; chunk < 5; chunk++) {
    it(`quick seeds ${chunk * 50 + 1}-${chunk * 50 + 50}`, () => {
      const results = Array.from({ length: 50 }, (_, i) => runScenario(randomScenario(chunk * 50 + i + 1, 'quick')));
      expect(failures(results, 'quick')).toEqual([]);
      expect(results.every((r) => r.height >= 2)).toBe(true);
    });
  }
  it('short seeds 100000-100029', () => {
    const results = Array.from({ length: 30 }, (_, i) => runScenario(randomScenario(100_000 + i, 'short')));
    expect(failures(results, 'short')).toEqual([]);
  });
});

function scenario(over: Partial<Scenario>): Scenario {
  const n = over.powers?.length ?? 4;
  return {
    seed: 42,
    crypto: 'fast',
    powers: Array.from({ length: n }, () => 10n),
    regions: Array.from({ length: n }, (_, i) => (['us-east', 'eu-west', 'ap-southeast', 'sa-east'] as const)[i % 4]),
    behaviours: Array.from({ length: n }, () => 'honest' as Behaviour),
    jitterMs: 10,
    lossPermille: 0,
    dupPermille: 0,
    crashes: [],
    partitions: [],
    quietFrom: 0,
    durationMs: 20_000,
    txPerSec: 2,
    valsetEvery: 0,
    engine: {},
    ...over,
  };
}

describe('targeted scenarios', () => {
  it('is deterministic: the same seed gives the same run', () => {
    const a = runScenario(randomScenario(77, 'short'));
    const b = runScenario(randomScenario(77, 'short'));
    expect(JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  });

  it('runs with real ed25519 signatures (node:crypto) end to end', () => {
    for (const seed of [3, 8]) {
      const r = runScenario({ ...randomScenario(seed, 'quick'), crypto: 'ed25519', durationMs: 15_000, quietFrom: 0, crashes: [], partitions: [] });
      expect(r.violations).toEqual([]);
      expect(r.height).toBeGreaterThanOrEqual(5);
    }
  });

  it('a validator cut off with a quarter of the stake never commits, the other three quarters do, and it catches up after the heal', () => {
    const r = runScenario(scenario({ partitions: [{ at: 3_000, until: 15_000, groups: [0, 1, 1, 1] }], quietFrom: 15_000, durationMs: 40_000 }));
    expect(r.violations).toEqual([]);
    expect(r.height).toBeGreaterThan(20);
  });

  it('a 2-2 split halts the chain without forking, and it resumes after the heal', () => {
    const r = runScenario(scenario({ partitions: [{ at: 2_000, until: 20_000, groups: [0, 0, 1, 1] }], quietFrom: 20_000, durationMs: 60_000, txPerSec: 0 }));
    expect(r.violations).toEqual([]);
    expect(r.height).toBeGreaterThan(10);
  });

  it('validators crashing and restarting from their WAL never double-sign and catch up', () => {
    const crashes = Array.from({ length: 12 }, (_, i) => ({ node: i % 4, at: 500 + i * 1_700, downMs: 200 + ((i * 397) % 2_500) }));
    const r = runScenario(scenario({ crashes, quietFrom: 25_000, durationMs: 50_000, lossPermille: 20 }));
    expect(r.violations).toEqual([]);
    expect(r.stats.refusedSigns).toBe(0);
  });

  it('an equivocating validator is caught: evidence is made, verified and committed', () => {
    const r = runScenario(scenario({ powers: [10n, 10n, 10n, 10n, 10n], behaviours: ['equivocate', 'honest', 'honest', 'honest', 'honest'], durationMs: 30_000 }));
    expect(r.violations).toEqual([]);
    expect(r.stats.evidence).toBeGreaterThan(0);
    expect(r.evidenceCommitted).toBeGreaterThan(0);
  });

  for (const b of ['silent', 'invalid-proposals', 'unknown-blocks'] as Behaviour[]) {
    it(`the chain stays safe and live with a ${b} validator`, () => {
      // The Byzantine validator holds 10 of 50: less than 1/3.
      const r = runScenario(scenario({ powers: [20n, 10n, 10n, 10n], behaviours: ['honest', 'honest', 'honest', b], durationMs: 30_000 }));
      expect(r.violations).toEqual([]);
      expect(r.height).toBeGreaterThan(10);
    });
  }

  it('a far-future flood is reported and dropped; honest nodes carry on', () => {
    const r = runScenario(scenario({ behaviours: ['future-flood', 'honest', 'honest', 'honest'], durationMs: 20_000, engine: { futureMessagesPerPeer: 20 } }));
    expect(r.violations).toEqual([]);
    expect(Object.keys(r.stats.misbehaviour).sort()).toEqual(['future-flood', 'invalid-signature', 'malformed', 'oversized', 'unknown-validator']);
    expect(r.height).toBeGreaterThan(10);
  });

  it('a validator set that changes every height (powers, removals, rejoins; applied at H+2) stays safe and live', () => {
    const r = runScenario(scenario({ powers: [30n, 20n, 20n, 10n, 10n, 5n], behaviours: ['honest', 'honest', 'honest', 'honest', 'honest', 'equivocate'], valsetEvery: 1, durationMs: 40_000, lossPermille: 10 }));
    expect(r.violations).toEqual([]);
    expect(r.height).toBeGreaterThan(25);
  });

  it('100 validators on the four-region matrix finalize', () => {
    const r = runScenario(scenario({ powers: Array.from({ length: 100 }, (_, i) => BigInt(1 + (i % 50))), durationMs: 4_000, txPerSec: 0 }));
    expect(r.violations).toEqual([]);
    expect(r.height).toBeGreaterThanOrEqual(3);
  });
});

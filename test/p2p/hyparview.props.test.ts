import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HyParView } from '../../app/p2p/hyparview/hyparview.js';
import { HvNet } from './helpers/hv-net.js';

type Op = { k: 'join'; node: number; contact: number } | { k: 'crash'; node: number } | { k: 'tick' } | { k: 'candidates'; node: number; peers: number[] };

const N = 16;
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('join' as const), node: fc.integer({ min: 1, max: N - 1 }), contact: fc.integer({ min: 0, max: N - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('crash' as const), node: fc.integer({ min: 1, max: N - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('tick' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('candidates' as const), node: fc.integer({ min: 0, max: N - 1 }), peers: fc.array(fc.integer({ min: 0, max: N - 1 }), { maxLength: 6 }) }) },
);

function checkViews(c: HyParView): void {
  const active = c.activeIds();
  const passive = c.passive().map((p) => p.id);
  expect(active).not.toContain(c.self.id);
  expect(passive).not.toContain(c.self.id);
  expect(new Set(active).size).toBe(active.length);
  expect(new Set(passive).size).toBe(passive.length);
  expect(active.length).toBeLessThanOrEqual(c.config.activeViewSize);
  expect(passive.length).toBeLessThanOrEqual(c.config.passiveViewSize);
  for (const id of active) expect(passive).not.toContain(id);
}

describe('HyParView view invariants (property)', () => {
  it('no self, no duplicates, bounded sizes, disjoint views after any sequence; symmetric active views once quiet', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 40 }), fc.integer({ min: 0, max: 1_000 }), (ops, seed) => {
        const net = new HvNet(seed, { config: { activeViewSize: 4, passiveViewSize: 8, shuffleIntervalMs: 1_000 } });
        net.add(0);
        const started = new Set([0]);
        let t = 0;
        for (const o of ops) {
          if (o.k === 'join' && !started.has(o.node) && started.has(o.contact) && !net.dead.has(`p${o.contact}`)) {
            net.add(o.node);
            started.add(o.node);
            net.join(o.node, o.contact);
          } else if (o.k === 'crash' && started.has(o.node) && !net.dead.has(`p${o.node}`)) {
            net.crash(o.node);
          } else if (o.k === 'tick') {
            t += 1_000;
            net.advance(t);
          } else if (o.k === 'candidates' && started.has(o.node) && !net.dead.has(`p${o.node}`)) {
            net.addCandidates(o.node, o.peers.filter((p) => started.has(p)));
          }
          net.settle();
          for (const c of net.live()) checkViews(c);
        }
        // Quiescence: let every timeout fire and every message land, twice over.
        net.advance(t + 10_000);
        net.advance(t + 20_000);
        for (const c of net.live()) {
          checkViews(c);
          for (const id of c.activeIds()) {
            expect(net.dead.has(id)).toBe(false);
            expect(net.cores.get(id)!.isActive(c.self.id)).toBe(true);
          }
        }
      }),
      { numRuns: 60, seed: 6 },
    );
  });
});

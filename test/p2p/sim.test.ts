/**
 * The production HyParView + Plumtree code on the simulated four-region network at
 * ≤ 200 nodes. Every assertion is on simulated outcomes (delivery, simulated
 * milliseconds, copies), never on wall-clock time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runEclipse } from '../../app/p2p/sim/scenario-eclipse.js';
import { runChurn, runPartition } from '../../app/p2p/sim/scenario-partition.js';
import { runStandard, type StandardReport } from '../../app/p2p/sim/scenarios.js';

describe('simulated gossip, 200 nodes, four regions, 10 msg/s from random origins', () => {
  let r: StandardReport;
  beforeAll(() => {
    r = runStandard({ nodes: 200, crash: 0.3, seed: 7 });
  });

  it('delivers every message to every node once the tree has formed', () => {
    expect(r.steady.plumtree.delivery_ratio).toBe(1);
    expect(r.steady.plumtree.reached_all).toBe(r.steady.plumtree.broadcasts);
    expect(r.steady.plumtree.time_to_all_ms.p99).toBeLessThan(2_000);
  });

  it('with 30% of the nodes crashed at once, every live node still receives every message', () => {
    expect(r.crashed).toBe(60);
    expect(r.crash!.plumtree.delivery_ratio).toBe(1);
    expect(r.crash!.plumtree.reached_all).toBe(r.crash!.plumtree.broadcasts);
    expect(r.after_crash!.plumtree.reached_all).toBe(r.after_crash!.plumtree.broadcasts);
  });

  it('sends far fewer redundant copies than flooding the same overlay in the same run', () => {
    const flood = r.steady.flood!;
    expect(flood.delivery_ratio).toBe(1);
    expect(flood.rmr).toBeGreaterThan(2); // fanout − 1 with fanout = active view − 1 = 4
    expect(r.steady.plumtree.rmr).toBeLessThan(0.1);
    expect(r.steady.plumtree.rmr).toBeLessThan(flood.rmr / 20);
    expect(r.steady.plumtree.payloads_per_node).toBeLessThan(flood.payloads_per_node / 3);
  });

  it('replays exactly from the same seed', () => {
    const a = runStandard({ nodes: 60, seed: 'same', messages: 5, warmupPhases: 1 });
    const b = runStandard({ nodes: 60, seed: 'same', messages: 5, warmupPhases: 1 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = runStandard({ nodes: 60, seed: 'other', messages: 5, warmupPhases: 1 });
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('behaves the same with every frame going through the protobuf codec', () => {
    const w = runStandard({ nodes: 60, seed: 3, messages: 10, warmupPhases: 1, crash: 0.3, sim: { encode: true, flood: false } });
    expect(w.steady.plumtree.delivery_ratio).toBe(1);
    expect(w.crash!.plumtree.delivery_ratio).toBe(1);
  });
});

describe('simulated attacks and faults', () => {
  it('an attacker with 80 addresses in one /16 cannot fill a victim’s views; without the limits it eclipses it', () => {
    const defended = runEclipse({ nodes: 100, sybils: 80, attackMs: 30_000, seed: 2 });
    expect(defended.max_sybils_in_active).toBeLessThanOrEqual(2); // per16 = 2 of 5
    expect(defended.max_sybils_in_passive).toBeLessThanOrEqual(4);
    expect(defended.victim_delivery_ratio).toBe(1);
    const open = runEclipse({ nodes: 100, sybils: 80, attackMs: 30_000, seed: 2, defended: false });
    expect(open.max_sybils_in_active).toBe(open.active_view_size);
    expect(open.victim_delivery_ratio).toBeLessThan(0.5);
  });

  it('keeps each side of a partition served, and merges the overlay again after the heal', () => {
    const p = runPartition({ nodes: 120, seed: 4, partitionMs: 40_000 });
    expect(p.components_during).toBe(2);
    expect(p.during.plumtree.delivery_ratio).toBe(1);
    expect(p.remerged_after_ms).not.toBeNull();
    expect(p.after_heal.plumtree.delivery_ratio).toBe(1);
    expect(p.after_heal.plumtree.reached_all).toBe(p.after_heal.plumtree.broadcasts);
  });

  it('delivers to the nodes that stay up while others keep crashing and restarting', () => {
    const c = runChurn({ nodes: 120, seed: 5, churnIntervalMs: 500 });
    expect(c.events).toBeGreaterThan(20);
    expect(c.during.plumtree.delivery_ratio).toBeGreaterThanOrEqual(0.99);
  });
});

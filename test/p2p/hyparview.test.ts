import { describe, expect, it } from 'vitest';
import { diversityRule } from '../../app/p2p/eclipse/diversity.js';
import { HyParView } from '../../app/p2p/hyparview/hyparview.js';
import { recommendedActiveViewSize, resolveHyParViewConfig } from '../../app/p2p/hyparview/config.js';
import type { HyParViewEffect } from '../../app/p2p/hyparview/messages.js';
import { seededRng } from '../../app/p2p/rng.js';
import { HvNet, info } from './helpers/hv-net.js';

const sends = (fx: HyParViewEffect[]) => fx.filter((e): e is Extract<HyParViewEffect, { type: 'send' }> => e.type === 'send');

function symmetric(net: HvNet): boolean {
  for (const c of net.live()) {
    for (const id of c.activeIds()) if (!net.cores.get(id)!.isActive(c.self.id)) return false;
  }
  return true;
}

describe('HyParView', () => {
  it('a JOIN makes contact and joiner neighbours, and forward-join walks give the joiner more', () => {
    const net = new HvNet(1);
    for (let i = 0; i < 30; i++) {
      net.add(i);
      if (i > 0) net.join(i, i - 1 - ((i * 7) % i));
      net.settle();
    }
    const last = net.cores.get('p29')!;
    expect(last.activeIds().length).toBeGreaterThanOrEqual(2);
    expect(symmetric(net)).toBe(true);
    for (const c of net.live()) expect(c.activeIds().length).toBeGreaterThan(0);
  });

  it('replaces a crashed neighbour from the passive view (§4.3)', () => {
    const net = new HvNet(2, { config: { activeViewSize: 2 } });
    for (let i = 1; i <= 4; i++) net.add(i);
    const a = net.cores.get('p1')!;
    net.addCandidates(1, [2]);
    net.settle();
    net.addCandidates(1, [3]);
    net.settle();
    net.addCandidates(1, [4]); // full: waits in the passive view
    net.settle();
    const [lost] = a.activeIds();
    net.crash(Number(lost.slice(1)));
    net.settle();
    expect(a.isActive(lost)).toBe(false);
    expect(a.activeIds().length).toBeGreaterThan(0);
    expect(a.activeIds().every((id) => ['p2', 'p3', 'p4'].includes(id) && id !== lost)).toBe(true);
    expect(symmetric(net)).toBe(true);
  });

  it('moves a peer that disconnects politely to the passive view', () => {
    const a = new HyParView({ self: info(1), rng: seededRng(1) });
    a.receive('p2', { type: 'join', peer: info(2) }, 0);
    expect(a.isActive('p2')).toBe(true);
    a.takeEffects();
    a.receive('p2', { type: 'disconnect', alive: true }, 1);
    expect(a.isActive('p2')).toBe(false);
    expect(a.passive().map((p) => p.id)).toContain('p2');
    expect(a.takeEffects().some((e) => e.type === 'neighborDown' && e.peer === 'p2')).toBe(true);
  });

  it('ignores a SHUFFLE_REPLY it did not ask for and a SHUFFLE from a non-neighbour', () => {
    const a = new HyParView({ self: info(1), rng: seededRng(1) });
    a.receive('p9', { type: 'shuffleReply', peers: [info(3), info(4)], nonce: 42 }, 0);
    a.receive('p9', { type: 'shuffle', origin: info(9), ttl: 1, peers: [info(5)], nonce: 1 }, 0);
    expect(a.passive()).toEqual([]);
  });

  it('asks with high priority only when it has no neighbour (§4.3)', () => {
    const a = new HyParView({ self: info(1), rng: seededRng(3), config: { activeViewSize: 3 } });
    a.addCandidates([info(2), info(3), info(4)], 0);
    const asks = sends(a.takeEffects()).filter((e) => e.message.type === 'neighbor');
    expect(asks).toHaveLength(3);
    expect(asks.map((e) => (e.message.type === 'neighbor' ? e.message.priority : ''))).toEqual(['high', 'high', 'high']);
    a.receive(asks[0].to.id, { type: 'neighborReply', peer: asks[0].to, accepted: true }, 1);
    a.connectionDown(asks[1].to.id, 2); // one request fails; the refill asks with low priority now
    const again = sends(a.takeEffects()).filter((e) => e.message.type === 'neighbor');
    for (const e of again) expect(e.message.type === 'neighbor' && e.message.priority).toBe('low');
  });

  it('refuses a low-priority NEIGHBOR when full and accepts a high one by evicting a non-reserved member', () => {
    const a = new HyParView({ self: info(1), rng: seededRng(4), config: { activeViewSize: 3, reservedOutbound: 1 } });
    a.join(info(2), 0); // outbound (reserved)
    a.receive('p2', { type: 'neighborReply', peer: info(2), accepted: true }, 0);
    a.receive('p3', { type: 'join', peer: info(3) }, 0);
    a.receive('p4', { type: 'join', peer: info(4) }, 0);
    a.takeEffects();
    a.receive('p5', { type: 'neighbor', peer: info(5), priority: 'low' }, 1);
    expect(a.isActive('p5')).toBe(false);
    a.receive('p6', { type: 'neighbor', peer: info(6), priority: 'high' }, 2);
    expect(a.isActive('p6')).toBe(true);
    expect(a.isActive('p2')).toBe(true); // the reserved outbound link survives
    expect(a.activeIds()).toHaveLength(3);
    const fx = a.takeEffects();
    expect(fx.some((e) => e.type === 'send' && e.message.type === 'disconnect')).toBe(true);
  });

  it('keeps at most per16 peers of one /16 in the active view, whatever their priority', () => {
    const active = diversityRule({ per24: 1, per16: 2 }, []);
    const a = new HyParView({ self: info(1), rng: seededRng(5), admit: (view, addr, members) => (view === 'active' ? active(addr, members) : true) });
    for (let k = 0; k < 6; k++) a.receive(`s${k}`, { type: 'neighbor', peer: { id: `s${k}`, addrs: [] }, priority: 'high' }, k, `45.67.${k}.1`);
    expect(a.activeIds()).toEqual(['s0', 's1']);
  });

  it('does not dial an unbounded number of peers when a neighbour floods FORWARD_JOINs', () => {
    const a = new HyParView({ self: info(1), rng: seededRng(7) });
    a.receive('p2', { type: 'join', peer: info(2) }, 0);
    a.takeEffects();
    for (let k = 0; k < 1_000; k++) a.receive('p2', { type: 'forwardJoin', peer: info(100 + k), ttl: 0 }, 1);
    const dials = sends(a.takeEffects()).filter((e) => e.message.type === 'neighbor');
    expect(dials.length).toBeLessThanOrEqual(2 * a.config.activeViewSize);
    expect(a.pendingCount()).toBeLessThanOrEqual(2 * a.config.activeViewSize);
  });

  it('emits isolated when the last neighbour is gone and nobody is left to ask', () => {
    const a = new HyParView({ self: info(1), rng: seededRng(6) });
    a.receive('p2', { type: 'join', peer: info(2) }, 0);
    a.takeEffects();
    a.connectionDown('p2', 1);
    expect(a.takeEffects().some((e) => e.type === 'isolated')).toBe(true);
  });

  it('sizes the active view as log10(n) + c and validates its config', () => {
    expect(recommendedActiveViewSize(10_000)).toBe(5);
    expect(recommendedActiveViewSize(1_000)).toBe(4);
    expect(() => resolveHyParViewConfig({ reservedOutbound: 5, activeViewSize: 5 })).toThrow(RangeError);
    expect(() => resolveHyParViewConfig({ passiveRandomWalkLength: 9 })).toThrow(RangeError);
  });
});

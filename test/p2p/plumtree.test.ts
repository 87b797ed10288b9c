import { describe, expect, it } from 'vitest';
import type { PlumtreeConfig } from '../../app/p2p/plumtree/config.js';
import { messageIdOf } from '../../app/p2p/plumtree/message-id.js';
import type { PlumtreeEffect, PlumtreeMessage, Validator } from '../../app/p2p/plumtree/messages.js';
import { Plumtree } from '../../app/p2p/plumtree/plumtree.js';

const enc = new TextEncoder();
const payload = (s: string) => enc.encode(s);
type Send = Extract<PlumtreeEffect, { type: 'send' }>;
const sends = (fx: PlumtreeEffect[], type?: PlumtreeMessage['type']) => fx.filter((e): e is Send => e.type === 'send' && (!type || e.message.type === type));
const penalties = (fx: PlumtreeEffect[]) => fx.flatMap((e) => (e.type === 'penalize' ? [`${e.peer}:${e.offence}`] : []));
const fakeId = (k: number) => k.toString(16).padStart(64, '0');

function node(neighbours: string[], config: Partial<PlumtreeConfig> = {}, validate?: Validator): Plumtree {
  const pt = new Plumtree({ self: 'me', config: { catchUp: { maxIds: 0, windowMs: 0 }, ...config }, validate });
  for (const n of neighbours) pt.neighborUp(n, 0);
  pt.takeEffects();
  return pt;
}

describe('Plumtree', () => {
  it('pushes a broadcast to eager peers, announces it to lazy ones after the batch window, and does not deliver it to itself', () => {
    const pt = node(['a', 'b', 'c']);
    pt.receive('c', { type: 'prune' }, 0); // c becomes lazy
    pt.broadcast(payload('hello'), 1);
    const fx = pt.takeEffects();
    expect(sends(fx, 'gossip').map((e) => e.to).sort()).toEqual(['a', 'b']);
    expect(fx.some((e) => e.type === 'deliver')).toBe(false);
    expect(sends(fx, 'ihave')).toHaveLength(0);
    pt.tick(1 + pt.config.lazyFlushMs);
    const ihave = sends(pt.takeEffects(), 'ihave');
    expect(ihave.map((e) => e.to)).toEqual(['c']);
    expect(ihave[0].message).toEqual({ type: 'ihave', entries: [{ id: messageIdOf(payload('hello')), round: 0 }] });
  });

  it('delivers a new message once, forwards it eagerly at round + 1 except to its sender', () => {
    const pt = node(['a', 'b', 'c']);
    pt.receive('a', { type: 'gossip', payload: payload('m'), round: 2 }, 5);
    const fx = pt.takeEffects();
    const delivered = fx.filter((e) => e.type === 'deliver');
    expect(delivered).toEqual([{ type: 'deliver', id: messageIdOf(payload('m')), payload: payload('m'), from: 'a', round: 2 }]);
    expect(sends(fx, 'gossip').map((e) => [e.to, e.message.type === 'gossip' && e.message.round])).toEqual([
      ['b', 3],
      ['c', 3],
    ]);
    pt.receive('b', { type: 'gossip', payload: payload('m'), round: 4 }, 6);
    expect(pt.takeEffects().some((e) => e.type === 'deliver')).toBe(false);
  });

  it('prunes an eager link after pruneAfterDuplicates duplicates in a row over it; a first copy resets the count', () => {
    const pt = node(['a', 'b'], { pruneAfterDuplicates: 3 });
    const dup = (k: number) => {
      pt.receive('a', { type: 'gossip', payload: payload(`x${k}`), round: 0 }, k);
      pt.receive('b', { type: 'gossip', payload: payload(`x${k}`), round: 0 }, k);
    };
    dup(1);
    dup(2);
    pt.receive('b', { type: 'gossip', payload: payload('fresh'), round: 0 }, 3); // b delivers a first copy
    dup(4);
    dup(5);
    expect(sends(pt.takeEffects(), 'prune')).toHaveLength(0);
    dup(6);
    expect(sends(pt.takeEffects(), 'prune').map((e) => e.to)).toEqual(['b']);
    expect(pt.lazyPeers()).toEqual(['b']);
    expect(pt.eagerPeers()).toEqual(['a']);
  });

  it('prunes at the first duplicate with pruneAfterDuplicates = 1 (the paper)', () => {
    const pt = node(['a', 'b'], { pruneAfterDuplicates: 1 });
    pt.receive('a', { type: 'gossip', payload: payload('m'), round: 0 }, 1);
    pt.receive('b', { type: 'gossip', payload: payload('m'), round: 0 }, 1);
    expect(sends(pt.takeEffects(), 'prune').map((e) => e.to)).toEqual(['b']);
  });

  it('GRAFTs the first announcer of a missing message after ihaveTimeout, then the next after graftRetry, charging the broken promise', () => {
    const pt = node(['a', 'b'], { ihaveTimeoutMs: 100, graftRetryMs: 50 });
    pt.receive('a', { type: 'prune' }, 0);
    pt.receive('b', { type: 'prune' }, 0);
    const id = messageIdOf(payload('late'));
    pt.receive('a', { type: 'ihave', entries: [{ id, round: 3 }] }, 10);
    pt.receive('b', { type: 'ihave', entries: [{ id, round: 4 }] }, 20);
    pt.tick(109);
    expect(sends(pt.takeEffects(), 'graft')).toHaveLength(0);
    pt.tick(110);
    const g1 = sends(pt.takeEffects(), 'graft');
    expect(g1.map((e) => [e.to, e.message])).toEqual([['a', { type: 'graft', entries: [{ id, round: 3 }] }]]);
    expect(pt.eagerPeers()).toContain('a');
    pt.tick(160);
    const fx = pt.takeEffects();
    expect(sends(fx, 'graft').map((e) => e.to)).toEqual(['b']);
    expect(penalties(fx)).toEqual(['a:broken_promise']);
    pt.receive('b', { type: 'gossip', payload: payload('late'), round: 4 }, 170);
    expect(pt.takeEffects().some((e) => e.type === 'deliver')).toBe(true);
    pt.tick(400);
    expect(pt.stats().missing).toBe(0);
  });

  it('asks the only announcer again when its GRAFT answer never came (lost on the link), charging the broken promise once', () => {
    // issue 6: the paper's protocol forgets a missing message once every announcer was
    // asked; on real sockets a GRAFT or its answer dies with a reset stream, and the
    // message was then never delivered (4–7 of 200 at some node in the 20-process bench)
    const pt = node(['a', 'b']);
    pt.receive('a', { type: 'prune' }, 0);
    const id = messageIdOf(payload('lost-answer'));
    pt.receive('a', { type: 'ihave', entries: [{ id, round: 2 }] }, 0);
    let grafts = 0;
    const fx: PlumtreeEffect[] = [];
    for (let t = 0; t <= 1_000; t += 10) {
      pt.tick(t);
      const out = pt.takeEffects();
      grafts += sends(out, 'graft').length;
      fx.push(...out);
      if (grafts === 2) break;
    }
    expect(sends(fx, 'graft').map((e) => e.to)).toEqual(['a', 'a']);
    expect(penalties(fx)).toEqual(['a:broken_promise']);
    pt.receive('a', { type: 'gossip', payload: payload('lost-answer'), round: 2 }, 600);
    expect(pt.takeEffects().filter((e) => e.type === 'deliver')).toHaveLength(1);
    expect(pt.stats().missing).toBe(0);
  });

  it('gives up on a missing message after maxGraftAttempts GRAFTs, or at once when no announcer is a neighbour any more', () => {
    const pt = node(['a', 'b'], { maxGraftAttempts: 3 });
    pt.receive('a', { type: 'prune' }, 0);
    pt.receive('a', { type: 'ihave', entries: [{ id: fakeId(7), round: 1 }] }, 0);
    const fx: PlumtreeEffect[] = [];
    for (let t = 0; t <= 5_000; t += 50) {
      pt.tick(t);
      fx.push(...pt.takeEffects());
    }
    expect(sends(fx, 'graft')).toHaveLength(3);
    expect(pt.stats().missing).toBe(0);
    expect(pt.drops.repairGivenUp).toBe(1);

    pt.receive('b', { type: 'ihave', entries: [{ id: fakeId(8), round: 1 }] }, 6_000);
    pt.neighborDown('b');
    pt.tick(7_000);
    expect(sends(pt.takeEffects(), 'graft')).toHaveLength(0);
    expect(pt.stats().missing).toBe(0);
  });

  it('timeout1 follows how late the tree copies come after their IHAVE (SRTT + 4·RTTVAR), within [ihaveTimeoutMs, ihaveTimeoutMaxMs]', () => {
    const pt = node(['a', 'b'], { ihaveTimeoutMaxMs: 2_000 }); // a ceiling above the 800 ms lag measured here (the default is 600)
    pt.receive('a', { type: 'prune' }, 0); // a lazy, b eager (the tree)
    expect(pt.ihaveTimeout()).toBe(pt.config.ihaveTimeoutMs);
    let t = 1_000;
    let grafts = 0;
    for (let k = 0; k < 30; k++, t += 1_000) {
      // a's IHAVE comes first; b's eager copy 800 ms later (a loaded event loop on b's path)
      const p = payload(`slow-tree-${k}`);
      pt.receive('a', { type: 'ihave', entries: [{ id: messageIdOf(p), round: 1 }] }, t);
      for (let s = t; s < t + 800; s += 50) pt.tick(s);
      pt.receive('b', { type: 'gossip', payload: p, round: 3 }, t + 800);
      grafts += sends(pt.takeEffects(), 'graft').length;
    }
    // with the fixed 300 ms every message was grafted (a duplicate each); once measured, none are
    expect(pt.ihaveTimeout()).toBeGreaterThan(800);
    expect(pt.ihaveTimeout()).toBeLessThanOrEqual(pt.config.ihaveTimeoutMaxMs);
    expect(grafts).toBeLessThan(5);
    for (let k = 0; k < 30; k++, t += 10_000) {
      const p = payload(`very-slow-${k}`);
      pt.receive('a', { type: 'ihave', entries: [{ id: messageIdOf(p), round: 1 }] }, t);
      pt.receive('b', { type: 'gossip', payload: p, round: 3 }, t + 9_000);
    }
    expect(pt.ihaveTimeout()).toBe(pt.config.ihaveTimeoutMaxMs);
    for (let k = 0; k < 60; k++, t += 1_000) {
      const p = payload(`fast-again-${k}`);
      pt.receive('a', { type: 'ihave', entries: [{ id: messageIdOf(p), round: 1 }] }, t);
      pt.receive('b', { type: 'gossip', payload: p, round: 3 }, t + 5);
    }
    expect(pt.ihaveTimeout()).toBe(pt.config.ihaveTimeoutMs);
  });

  it('timeout1 also learns from tree copies that come after the GRAFT answer (as duplicates)', () => {
    const pt = node(['a', 'b'], { ihaveTimeoutMaxMs: 2_000 });
    pt.receive('a', { type: 'prune' }, 0);
    let t = 1_000;
    let grafts = 0;
    for (let k = 0; k < 40; k++, t += 3_000) {
      const p = payload(`answer-wins-${k}`);
      pt.receive('a', { type: 'ihave', entries: [{ id: messageIdOf(p), round: 1 }] }, t);
      for (let s = t; s < t + 1_200; s += 50) {
        pt.tick(s);
        if (sends(pt.takeEffects(), 'graft').length === 0) continue;
        grafts++;
        pt.receive('a', { type: 'gossip', payload: p, round: 1 }, s + 20); // the answer wins
        break;
      }
      pt.receive('b', { type: 'gossip', payload: p, round: 3 }, t + 1_200); // the tree's copy, 1.2 s behind the IHAVE
      pt.receive('a', { type: 'prune' }, t + 1_300);
      pt.takeEffects();
      if (k === 4) grafts = 0;
    }
    expect(pt.ihaveTimeout()).toBeGreaterThan(1_200);
    expect(grafts).toBeLessThan(5); // of the last 35 messages, almost none needed a GRAFT
  });

  it('timeout2 per peer follows its measured GRAFT round trips', () => {
    const pt = node(['a', 'b']);
    pt.receive('a', { type: 'prune' }, 0);
    pt.receive('b', { type: 'prune' }, 0);
    expect(pt.graftTimeout('a')).toBe(pt.config.graftRetryMs);
    let t = 0;
    for (let k = 0; k < 20; k++, t += 2_000) {
      const p = payload(`graft-rtt-${k}`);
      pt.receive('a', { type: 'ihave', entries: [{ id: messageIdOf(p), round: 1 }] }, t);
      pt.tick(t + pt.ihaveTimeout());
      expect(sends(pt.takeEffects(), 'graft').map((e) => e.to)).toEqual(['a']);
      pt.receive('a', { type: 'gossip', payload: p, round: 1 }, t + pt.ihaveTimeout() + 600);
      pt.takeEffects();
      pt.receive('a', { type: 'prune' }, t + 1_000);
    }
    expect(pt.graftTimeout('a')).toBeGreaterThan(600);
    expect(pt.graftTimeout('a')).toBeLessThanOrEqual(pt.config.graftRetryMaxMs);
    expect(pt.graftTimeout('b')).toBe(pt.config.graftRetryMs);
  });

  it('answers a GRAFT with the cached payload at the requested round and makes the link eager', () => {
    const pt = node(['a']);
    pt.receive('a', { type: 'prune' }, 0);
    pt.broadcast(payload('kept'), 1);
    pt.takeEffects();
    pt.receive('a', { type: 'graft', entries: [{ id: messageIdOf(payload('kept')), round: 7 }, { id: fakeId(1), round: 1 }] }, 2);
    const g = sends(pt.takeEffects(), 'gossip');
    expect(g.map((e) => e.message)).toEqual([{ type: 'gossip', payload: payload('kept'), round: 7 }]);
    expect(pt.eagerPeers()).toEqual(['a']);
  });

  it('bounds a GRAFT storm: re-sends at most the burst, then charges the peer', () => {
    const pt = node(['a'], { graftRate: { perSecond: 10, burst: 20 } });
    const ids: string[] = [];
    for (let k = 0; k < 100; k++) ids.push(pt.broadcast(payload(`p${k}`), 0));
    pt.takeEffects();
    pt.receive('a', { type: 'graft', entries: ids.map((id) => ({ id, round: 1 })) }, 0);
    const fx = pt.takeEffects();
    expect(sends(fx, 'gossip')).toHaveLength(20);
    expect(penalties(fx)).toEqual(['a:rate_limited']);
  });

  it('bounds an IHAVE flood for ids that never arrive: memory capped, rate limited, promises charged, all forgotten', () => {
    const pt = node(['a', 'b'], { ihaveRate: { perSecond: 1_000, burst: 2_000 }, missing: { maxIds: 500, maxAnnouncersPerId: 4, maxPerPeer: 300 } });
    pt.receive('a', { type: 'prune' }, 0);
    let fx: PlumtreeEffect[] = [];
    for (let batch = 0; batch < 20; batch++) {
      pt.receive('a', { type: 'ihave', entries: Array.from({ length: 500 }, (_, k) => ({ id: fakeId(batch * 500 + k + 1), round: 1 })) }, batch);
      fx.push(...pt.takeEffects());
      expect(pt.stats().missing).toBeLessThanOrEqual(300);
    }
    expect(penalties(fx)).toContain('a:rate_limited');
    fx = [];
    for (let t = 0; t <= 2_000; t += 50) {
      pt.tick(t);
      fx.push(...pt.takeEffects());
    }
    expect(pt.stats().missing).toBe(0);
    expect(penalties(fx).filter((p) => p === 'a:broken_promise').length).toBeGreaterThan(0);
  });

  it('does not deliver or forward a message the validator rejects, and charges every peer that sends it', () => {
    const validate: Validator = (p) => (new TextDecoder().decode(p) === 'bad' ? 'reject' : 'accept');
    const pt = node(['a', 'b', 'c'], {}, validate);
    pt.receive('a', { type: 'gossip', payload: payload('bad'), round: 0 }, 1);
    let fx = pt.takeEffects();
    expect(fx.some((e) => e.type === 'deliver')).toBe(false);
    expect(sends(fx, 'gossip')).toHaveLength(0);
    expect(penalties(fx)).toEqual(['a:invalid_message']);
    pt.receive('b', { type: 'gossip', payload: payload('bad'), round: 0 }, 2);
    fx = pt.takeEffects();
    expect(penalties(fx)).toEqual(['b:invalid_message']);
    pt.tick(100);
    expect(sends(pt.takeEffects(), 'ihave')).toHaveLength(0);
  });

  it('survives a validator that throws: the message is dropped, nobody is blamed', () => {
    const pt = node(['a', 'b'], {}, () => {
      throw new Error('bug');
    });
    pt.receive('a', { type: 'gossip', payload: payload('x'), round: 0xffff_ffff }, 1);
    const fx = pt.takeEffects();
    expect(fx.filter((e) => e.type === 'deliver' || e.type === 'penalize' || e.type === 'send')).toEqual([]);
  });

  it('holds a message while an asynchronous validation runs and forwards it once accepted', () => {
    const pt = node(['a', 'b'], {}, () => 'defer');
    pt.receive('a', { type: 'gossip', payload: payload('slow'), round: 0 }, 1);
    expect(pt.takeEffects().filter((e) => e.type !== 'schedule')).toEqual([]);
    expect(pt.stats().pendingValidations).toBe(1);
    pt.validationResult(messageIdOf(payload('slow')), 'accept', 5);
    const fx = pt.takeEffects();
    expect(fx.some((e) => e.type === 'deliver')).toBe(true);
    expect(sends(fx, 'gossip').map((e) => e.to)).toEqual(['b']);
  });

  it('sends consensus messages straight to priority peers, and the tree copy that follows does not prune', () => {
    const origin = node(['a'], { pruneAfterDuplicates: 1 });
    origin.setPriorityPeers(['v1', 'v2', 'a']);
    origin.broadcast(payload('vote'), 0, { direct: true });
    const direct = sends(origin.takeEffects(), 'gossip').filter((e) => e.message.type === 'gossip' && e.message.direct);
    expect(direct.map((e) => e.to).sort()).toEqual(['v1', 'v2']);

    const v = node(['t'], { pruneAfterDuplicates: 1 });
    v.setPriorityPeers(['o']);
    v.receive('o', { type: 'gossip', payload: payload('vote'), round: 0, direct: true }, 1);
    expect(v.takeEffects().some((e) => e.type === 'deliver')).toBe(true);
    v.receive('t', { type: 'gossip', payload: payload('vote'), round: 3 }, 2);
    expect(sends(v.takeEffects(), 'prune')).toHaveLength(0);
  });

  it('announces recent messages to a new neighbour so it can fetch what it missed', () => {
    const pt = new Plumtree({ self: 'me' });
    pt.broadcast(payload('recent'), 1_000);
    pt.takeEffects();
    pt.neighborUp('n', 2_000);
    const ihave = sends(pt.takeEffects(), 'ihave');
    expect(ihave.map((e) => e.to)).toEqual(['n']);
    expect(ihave[0].message).toEqual({ type: 'ihave', entries: [{ id: messageIdOf(payload('recent')), round: 0 }] });
  });

  it('forgets a neighbour and its announcements on NeighborDown', () => {
    const pt = node(['a', 'b']);
    pt.receive('a', { type: 'ihave', entries: [{ id: fakeId(9), round: 1 }] }, 0);
    pt.neighborDown('a');
    expect(pt.eagerPeers()).toEqual(['b']);
    pt.tick(10_000);
    expect(sends(pt.takeEffects(), 'graft')).toHaveLength(0);
    expect(pt.stats().missing).toBe(0);
  });

  it('optimises the tree (§3.8) only when the same lazy peer is shorter by the threshold several messages in a row', () => {
    const pt = node(['p', 'l'], { optimizationThreshold: 3, optimizationStreak: 2, optimizationIntervalMs: 1 });
    pt.receive('l', { type: 'prune' }, 0);
    const round = (k: number) => {
      const p = payload(`o${k}`);
      pt.receive('l', { type: 'ihave', entries: [{ id: messageIdOf(p), round: 1 }] }, k * 10);
      pt.receive('p', { type: 'gossip', payload: p, round: 5 }, k * 10 + 1);
      return pt.takeEffects();
    };
    expect(sends(round(1), 'prune')).toHaveLength(0);
    const fx = round(2);
    expect(sends(fx, 'prune').map((e) => e.to)).toEqual(['p']);
    expect(sends(fx, 'graft').map((e) => [e.to, e.message])).toEqual([['l', { type: 'graft', entries: [] }]]);
    expect(pt.eagerPeers()).toEqual(['l']);
  });
});

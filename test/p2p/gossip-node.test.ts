import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from '../../app/p2p/messages/envelope.js';
import { createEnvelopeValidator } from '../../app/p2p/messages/validate.js';
import { createGossipNode, type GossipEffect } from '../../app/p2p/node/gossip-node.js';
import { seededRng } from '../../app/p2p/rng.js';
import type { PeerInfo } from '../../app/p2p/types.js';

const peer = (i: number): PeerInfo => ({ id: `p${i}`, addrs: [`/ip4/20.${i}.0.1/tcp/1`] });

function withNeighbours(n: number) {
  const node = createGossipNode({ self: peer(0), rng: seededRng(1), validate: createEnvelopeValidator() });
  node.start(0);
  for (let i = 1; i <= n; i++) node.receive(`p${i}`, { type: 'join', peer: peer(i) }, 0, peer(i).addrs[0]);
  node.takeEffects();
  return node;
}

describe('GossipNode', () => {
  it('hands new HyParView neighbours to Plumtree as eager links and delivers what they send', () => {
    const node = withNeighbours(2);
    expect(node.tree.eagerPeers().sort()).toEqual(['p1', 'p2']);
    const payload = encodeEnvelope({ timestampMs: 0n, body: { type: 'tx', tx: new Uint8Array([1, 2, 3]) } });
    node.receive('p1', { type: 'gossip', payload, round: 0 }, 10);
    const fx = node.takeEffects();
    expect(fx.filter((e) => e.type === 'deliver')).toHaveLength(1);
    expect(fx.some((e) => e.type === 'send' && e.to.id === 'p2' && e.message.type === 'gossip')).toBe(true);
  });

  it('bans a peer that keeps sending invalid messages: ban effect, out of every view, its frames ignored', () => {
    const node = withNeighbours(3);
    const fx: GossipEffect[] = [];
    for (let k = 0; k < 4; k++) {
      node.receive('p1', { type: 'gossip', payload: new Uint8Array([0xff, k]), round: 0 }, 100 + k);
      fx.push(...node.takeEffects());
    }
    const ban = fx.find((e) => e.type === 'ban');
    expect(ban).toMatchObject({ type: 'ban', peer: 'p1' });
    expect(fx.some((e) => e.type === 'disconnect' && e.peer === 'p1')).toBe(true);
    expect(node.membership.isActive('p1')).toBe(false);
    expect(node.tree.eagerPeers()).not.toContain('p1');
    node.receive('p1', { type: 'join', peer: peer(1) }, 200, peer(1).addrs[0]);
    expect(node.takeEffects()).toEqual([]);
    expect(node.membership.isActive('p1')).toBe(false);
  });

  it('reportPeer faults: four invalid reports ban the peer, minor ones cost less and fade with the half-life', () => {
    const node = withNeighbours(3);
    const fx: GossipEffect[] = [];
    for (let k = 0; k < 3; k++) node.report('p1', 'invalid', 100);
    fx.push(...node.takeEffects());
    expect(fx.some((e) => e.type === 'ban')).toBe(false);
    node.report('p1', 'invalid', 100);
    fx.push(...node.takeEffects());
    expect(fx.find((e) => e.type === 'ban')).toMatchObject({ type: 'ban', peer: 'p1' });
    expect(node.bans.isBanned('p1', 101)).toBe(true);
    expect(node.membership.isActive('p1')).toBe(false);

    node.report('p2', 'minor', 0);
    const minor = node.scores.score('p2', 0);
    expect(minor).toBeLessThan(0);
    expect(minor).toBeGreaterThan(-30); // less than one invalid message
    expect(node.scores.score('p2', 10 * 60_000)).toBeCloseTo(minor / 2);
    for (let k = 0; k < 10; k++) node.report('p2', 'minor', 1);
    expect(node.takeEffects().some((e) => e.type === 'ban')).toBe(false);
  });

  it('drops frames over the per-peer rate and charges the sender', () => {
    const node = createGossipNode({ self: peer(0), rng: seededRng(2), frameRate: { perSecond: 10, burst: 10 } });
    for (let k = 0; k < 30; k++) node.receive('p9', { type: 'prune' }, 0);
    expect(node.scores.score('p9', 0)).toBe(-20);
  });

  it('charges unsolicited membership messages (a SHUFFLE_REPLY to no shuffle of ours)', () => {
    const node = withNeighbours(1);
    node.receive('p7', { type: 'shuffleReply', peers: [peer(8)], nonce: 1 }, 0);
    expect(node.scores.score('p7', 0)).toBeLessThan(0);
    expect(node.membership.passive().map((p) => p.id)).not.toContain('p8');
  });

  it('asks its driver for a single timer: the earliest deadline of both cores', () => {
    const node = withNeighbours(1);
    node.receive('p1', { type: 'ihave', entries: [{ id: 'ab'.repeat(32), round: 0 }] }, 1_000);
    const schedules = node.takeEffects().filter((e) => e.type === 'schedule');
    expect(schedules).toEqual([{ type: 'schedule', at: 1_000 + node.tree.config.ihaveTimeoutMs }]);
  });
});

/**
 * The partition detector on real hosts (issue 6, "Partition detection"): validators
 * broadcast signed heartbeats; a host that stops hearing from validators holding a
 * third or more of the stake emits `partitioned` with the figures, and `healed` when
 * they are back.
 */
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { PartitionFigures } from '../../app/p2p/partition/detector.js';
import { boot, destroy, gossipNode, freePorts, makeHost, overlayConnected, waitFor, type MakeOptions, type TestHost } from './helpers/host-net.js';

interface Validator {
  readonly seed: Uint8Array;
  readonly pubKey: Uint8Array;
  readonly address: Uint8Array;
}

function validator(): Validator {
  const seed = ed25519.utils.randomSecretKey();
  const pubKey = ed25519.getPublicKey(seed);
  return { seed, pubKey, address: new Uint8Array(createHash('sha256').update(pubKey).digest().subarray(0, 20)) };
}

const OPTS: MakeOptions = { partition: { windowMs: 3_000 } };

describe('libp2p host: partition detection from validator heartbeats', () => {
  const hosts: TestHost[] = [];
  const vals = Array.from({ length: 4 }, validator);
  const set = vals.map((v) => ({ address: v.address, pubKey: v.pubKey, power: 10n }));
  const arm = (t: TestHost, v: Validator): void => {
    t.host.setValidators(set);
    t.host.setHeartbeatSigner({ address: v.address, sign: (b) => ed25519.sign(b, v.seed) }, () => 7n);
  };
  afterAll(() => destroy(hosts));

  it('emits partitioned when validators with half the stake go silent, and healed when they return', { timeout: 90_000 }, async () => {
    const ports = await freePorts(4);
    hosts.push(await makeHost(ports[0], OPTS));
    for (let i = 1; i < 4; i++) hosts.push(await makeHost(ports[i], { ...OPTS, bootstrap: [hosts[0].host.addresses()[0]] }));
    hosts.forEach((t, i) => arm(t, vals[i]));
    await waitFor('one overlay', () => overlayConnected(hosts), 30_000);

    const events: { type: string; figures: PartitionFigures }[] = [];
    hosts[0].host.on('partitioned', (figures) => events.push({ type: 'partitioned', figures }));
    hosts[0].host.on('healed', (figures) => events.push({ type: 'healed', figures }));
    await waitFor('all four validators heard', () => hosts[0].host.partitionState().heardValidators === 4, 20_000);
    expect(hosts[0].host.partitionState().partitioned).toBe(false);

    await Promise.all([hosts[2].host.stop(), hosts[3].host.stop()]);
    await waitFor('partitioned', () => events.some((e) => e.type === 'partitioned'), 30_000);
    const cut = events.find((e) => e.type === 'partitioned')!.figures;
    expect(cut.heardPower).toBe(20n);
    expect(cut.totalPower).toBe(40n);
    expect(cut.shareBps).toBe(5_000);
    expect(hosts[0].host.partitionState().partitioned).toBe(true);

    for (const i of [2, 3]) {
      await boot(hosts[i], OPTS);
      arm(hosts[i], vals[i]);
    }
    await waitFor('healed', () => events.some((e) => e.type === 'healed'), 40_000);
    const healed = events.find((e) => e.type === 'healed')!.figures;
    expect(healed.heardPower * 3n).toBeGreaterThan(healed.totalPower * 2n);
    expect(hosts[0].host.partitionState().partitioned).toBe(false);
  });

  it('a heartbeat signed with the wrong key is not counted: its validator stays silent and the sender is scored down or banned', { timeout: 60_000 }, async () => {
    // powers 1, 2, 4, 8 at host 0: its heard power is a bit set of the validators it counts
    hosts[0].host.setValidators(vals.map((v, i) => ({ address: v.address, pubKey: v.pubKey, power: 1n << BigInt(i) })));
    const impostor = validator();
    // host 3 stops heartbeating for its own validator and claims validator 1's address, signing with another key
    hosts[3].host.setHeartbeatSigner({ address: vals[1].address, sign: (b) => ed25519.sign(b, impostor.seed) }, () => 7n);
    await hosts[1].host.stop();
    const countsValidator1 = (): boolean => (hosts[0].host.partitionState().heardPower & 2n) !== 0n;
    await waitFor('validator 1 drops out of the heard set', () => !countsValidator1(), 30_000);
    for (let k = 0; k < 8; k++) {
      await new Promise((r) => setTimeout(r, 250));
      expect(countsValidator1()).toBe(false);
    }
    // every forged heartbeat costs its sender: a few in a row and its neighbours ban it
    const charged = (i: number): boolean => {
      const n = gossipNode(hosts[i].host);
      return n.bans.isBanned(hosts[3].host.peerId, Date.now()) || n.scores.score(hosts[3].host.peerId, Date.now()) < 0;
    };
    expect([0, 2].some(charged)).toBe(true);
  });
});

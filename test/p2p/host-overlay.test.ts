/**
 * The libp2p host on real sockets (issue 6, "Tests and figures"): 20+ hosts on
 * 127.0.0.1, each given only one or two earlier hosts to bootstrap from, discover each
 * other and form one overlay; after all restart with no bootstrap list they reconnect
 * from their persisted peer stores; with 30% of them stopped the rest still receive
 * every message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { destroy, gossipNode, freePorts, gotTag, makeHost, overlayConnected, boot, txBody, waitFor, type TestHost } from './helpers/host-net.js';

const N = Number(process.env.HOST_TEST_NODES ?? 20);

describe(`libp2p host: ${N} hosts on loopback`, () => {
  const hosts: TestHost[] = [];
  afterAll(() => destroy(hosts));

  it('hosts bootstrapped from one or two earlier hosts discover each other and one broadcast reaches all', { timeout: 180_000 }, async () => {
    const ports = await freePorts(N);
    hosts.push(await makeHost(ports[0]));
    // started five at a time; each knows only one or two hosts started before its batch
    for (let i = 1; i < N; i += 5) {
      const earlier = hosts.slice(-2).map((t) => t.host.addresses()[0]);
      hosts.push(...(await Promise.all(ports.slice(i, i + 5).map((port, j) => makeHost(port, { bootstrap: j % 2 === 0 ? earlier : earlier.slice(-1) })))));
    }
    await waitFor('one connected overlay', () => overlayConnected(hosts), 60_000).catch((e) => {
      // which host is cut off, as active/passive/pending/connections
      throw new Error(`${(e as Error).message}: ${hosts.map((t) => `${gossipNode(t.host).membership.activeIds().length}/${gossipNode(t.host).membership.passive().length}/${gossipNode(t.host).membership.pendingCount()}/${t.host.peers().length}`).join(' ')}`);
    });

    // the DHT: every host provides guts-network/<chain-id>; a lookup finds (nearly) all of them
    // (a lookup on a loaded machine can time out on some contacts: it is repeated, with re-announcing, for up to 60 s)
    await Promise.allSettled(hosts.map((t) => t.host.announce()));
    for (const t of [hosts[0], hosts[N - 1]]) {
      let found: Awaited<ReturnType<typeof t.host.findPeers>> = [];
      await waitFor(
        `a DHT lookup from ${t.host.peerId} finding at least ${N - 3} of the other hosts`,
        async () => {
          found = await t.host.findPeers(100);
          if (found.length >= N - 3) return true;
          await Promise.allSettled(hosts.map((h) => h.host.announce()));
          return false;
        },
        60_000,
        500,
      ).catch((e) => {
        throw new Error(`${(e as Error).message} (last lookup found ${found.length})`);
      });
      expect(found.every((p) => p.id !== t.host.peerId && p.addrs.length > 0)).toBe(true);
    }

    hosts[N - 1].host.broadcast(txBody('first'));
    await waitFor('the first broadcast at every other host', () => hosts.slice(0, N - 1).every((t) => gotTag(t, 'first')), 30_000);
    expect(hosts[N - 1].got).toEqual([]);
  });

  it('all restart without a bootstrap list and reconnect from their persisted peer stores', { timeout: 120_000 }, async () => {
    await Promise.all(hosts.map((t) => t.host.stop()));
    for (const t of hosts) t.got.length = 0;
    for (let i = 0; i < N; i += 5) await Promise.all(hosts.slice(i, i + 5).map((t) => boot(t, { bootstrap: [] })));
    await waitFor('one connected overlay after the restart', () => overlayConnected(hosts), 60_000);
    hosts[0].host.broadcast(txBody('after-restart'));
    await waitFor('the broadcast after the restart at every other host', () => hosts.slice(1).every((t) => gotTag(t, 'after-restart')), 30_000);
  });

  it('with 30% of the hosts stopped, every remaining host receives every later message', { timeout: 90_000 }, async () => {
    const killed = hosts.filter((_, i) => i % 10 === 1 || i % 10 === 4 || i % 10 === 7);
    expect(killed.length).toBeGreaterThanOrEqual(Math.floor(N * 0.3));
    await Promise.all(killed.map((t) => t.host.stop()));
    const alive = hosts.filter((t) => !killed.includes(t));
    const tags: string[] = [];
    for (let m = 0; m < 10; m++) {
      const tag = `survivor-${m}`;
      tags.push(tag);
      alive[(m * 7) % alive.length].host.broadcast(txBody(tag));
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(
      'every later message at every remaining host',
      () => tags.every((tag, m) => alive.every((t, i) => i === (m * 7) % alive.length || gotTag(t, tag))),
      60_000,
    );
  });
});

/**
 * The DHT diversity filter runs before kad-dht inserts a peer (issue 6, "Eclipse"):
 * a peer over a /24 or /16 limit never enters the routing table, a slot comes back
 * when kad-dht did not keep the peer or dropped it later, and the host installs the
 * guard on kad-dht's real routing table.
 */
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { PeerId } from '@libp2p/interface';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterAll, describe, expect, it } from 'vitest';
import { guardTable, type GuardedTable } from '../../app/p2p/host/routing-guard.js';
import { destroy, freePorts, makeHost, type TestHost } from './helpers/host-net.js';

/** kad-dht's table reduced to what the guard sees: insertions that may be refused (a full bucket, a contact that does not answer). */
class Table implements GuardedTable {
  readonly members = new Set<string>();
  readonly inserted: string[] = [];
  refuse = new Set<string>();
  private removeListeners: ((evt: CustomEvent<PeerId>) => void)[] = [];
  async add(peer: PeerId): Promise<void> {
    this.inserted.push(peer.toString());
    if (!this.refuse.has(peer.toString())) this.members.add(peer.toString());
  }
  async find(peer: PeerId): Promise<PeerId | undefined> {
    return this.members.has(peer.toString()) ? peer : undefined;
  }
  addEventListener(_type: 'peer:remove', cb: (evt: CustomEvent<PeerId>) => void): void {
    this.removeListeners.push(cb);
  }
  drop(peer: PeerId): void {
    this.members.delete(peer.toString());
    for (const cb of this.removeListeners) cb(new CustomEvent('peer:remove', { detail: peer }));
  }
}

const newPeer = async (): Promise<PeerId> => peerIdFromPrivateKey(await generateKeyPair('Ed25519'));

describe('DHT routing-table guard', () => {
  const hosts: TestHost[] = [];
  afterAll(() => destroy(hosts));

  it('refuses a peer over the per-table /24 limit before kad-dht inserts it, and gives the slot back when members leave', async () => {
    const table = new Table();
    const ips = new Map<string, string>();
    const filter = guardTable(table, new Uint8Array(32), async (p) => ips.get(p.toString()), []);
    const peers = await Promise.all(Array.from({ length: 4 }, newPeer));
    peers.forEach((p) => ips.set(p.toString(), '45.67.1.10'));
    for (const p of peers) await table.add(p);
    // per table at most 2 of one /24, and per bucket 1: what the filter admits, nothing more reaches kad-dht
    expect(table.inserted.length).toBeLessThanOrEqual(2);
    expect(table.inserted.length).toBeGreaterThanOrEqual(1);
    expect(table.members.size).toBe(table.inserted.length);
    expect(filter.size).toBe(table.members.size);
    const refused = peers.find((p) => !table.members.has(p.toString()))!;
    for (const p of peers) if (table.members.has(p.toString())) table.drop(p);
    expect(filter.size).toBe(0);
    await table.add(refused);
    expect(table.members.has(refused.toString())).toBe(true);
  });

  it('does not count a peer kad-dht did not keep; exempt and address-less peers pass untouched', async () => {
    const table = new Table();
    const ips = new Map<string, string>();
    const filter = guardTable(table, new Uint8Array(32), async (p) => ips.get(p.toString()), ['10.0.0.0/8']);
    const [a, b, c, d] = await Promise.all(Array.from({ length: 4 }, newPeer));
    ips.set(a.toString(), '45.68.1.1');
    ips.set(b.toString(), '45.68.1.2');
    table.refuse.add(a.toString()); // e.g. its bucket was full and the old contacts answered
    await table.add(a);
    expect(filter.has(a.toString())).toBe(false);
    await table.add(b); // the /24 slot a would have taken is free
    expect(table.members.has(b.toString())).toBe(true);
    ips.set(c.toString(), '10.1.2.3');
    await table.add(c);
    await table.add(d); // no known address
    expect(table.members.has(c.toString()) && table.members.has(d.toString())).toBe(true);
  });

  it('a running host has the guard on kad-dht’s own routing table', async () => {
    const [port] = await freePorts(1);
    const h = await makeHost(port);
    hosts.push(h);
    const libp2p = (h.host as unknown as { internals(): { libp2p: { services: { dht: unknown } } } }).internals().libp2p;
    const table = (libp2p.services.dht as { routingTable: object }).routingTable;
    expect(Object.prototype.hasOwnProperty.call(table, 'add')).toBe(true);
    expect(typeof (Object.getPrototypeOf(table) as { add?: unknown }).add).toBe('function'); // kad-dht still inserts through add()
  });
});

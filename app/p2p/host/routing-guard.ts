/**
 * The Kademlia routing table's diversity filter (eclipse defence, DESIGN §7): every
 * peer kad-dht adds is checked against `RoutingTableFilter` (limits per IP /24 and /16
 * per bucket and per table, `allow` CIDRs exempt) and removed again when it is over a
 * limit. kad-dht has no insertion hook, so this listens to its `peer:add` events.
 */
import type { Libp2p, PeerId } from '@libp2p/interface';
import type { KadDHT } from '@libp2p/kad-dht';
import { sha256 } from '@noble/hashes/sha2.js';
import { DIVERSITY_DEFAULTS } from '../eclipse/diversity.js';
import { ROUTING_FILTER_DEFAULTS, RoutingTableFilter, commonPrefixLength } from '../eclipse/routing-filter.js';
import { ipOf } from './addresses.js';

interface RoutingTableLike {
  addEventListener(type: 'peer:add' | 'peer:remove', cb: (evt: CustomEvent<PeerId>) => void): void;
  remove(peer: PeerId): Promise<void>;
}

export function guardRoutingTable(libp2p: Libp2p, dht: KadDHT, allow: readonly string[]): RoutingTableFilter | undefined {
  const table = (dht as unknown as { routingTable?: RoutingTableLike }).routingTable;
  if (!table) return undefined;
  const filter = new RoutingTableFilter({ ...ROUTING_FILTER_DEFAULTS, exempt: [...DIVERSITY_DEFAULTS.exempt, ...allow] });
  const self = sha256(libp2p.peerId.toMultihash().bytes);
  table.addEventListener('peer:add', (evt) => {
    const peer = evt.detail;
    void (async () => {
      const known = await libp2p.peerStore.get(peer).catch(() => undefined);
      const ip = known?.addresses.map((a) => ipOf(a.multiaddr)).find((x) => x !== undefined);
      if (ip === undefined) return; // no address: it cannot be dialled from the table anyway
      const cpl = commonPrefixLength(self, sha256(peer.toMultihash().bytes));
      if (!filter.tryAdd(peer.toString(), ip, cpl)) await table.remove(peer).catch(() => undefined);
    })();
  });
  table.addEventListener('peer:remove', (evt) => filter.remove(evt.detail.toString()));
  return filter;
}

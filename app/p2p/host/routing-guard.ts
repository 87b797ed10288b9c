/**
 * The Kademlia routing table's diversity filter (eclipse defence, DESIGN §7): every
 * peer is checked against `RoutingTableFilter` (limits per IP /24 and /16 per bucket
 * and per table, `allow` CIDRs exempt) before kad-dht inserts it.
 *
 * kad-dht 16 has no insertion option (its `KadDHTInit` offers `peerInfoMapper`, which
 * rewrites addresses but cannot refuse a peer), but every insertion, from a new
 * connection (`queueRoutingTableUpdate`) or from the datastore at start, goes through
 * the routing table's own `add(peerId)`; the guard wraps that method. A slot is taken
 * in the filter before the insertion runs (so two peers of one /24 admitted at the same
 * time cannot both pass) and given back if kad-dht did not keep the peer (bucket full,
 * contact did not answer). `peer:remove` gives slots back too.
 */
import type { AbortOptions, Libp2p, PeerId } from '@libp2p/interface';
import type { KadDHT } from '@libp2p/kad-dht';
import { sha256 } from '@noble/hashes/sha2.js';
import { DIVERSITY_DEFAULTS } from '../eclipse/diversity.js';
import { ROUTING_FILTER_DEFAULTS, RoutingTableFilter, commonPrefixLength } from '../eclipse/routing-filter.js';
import { ipOf } from './addresses.js';

/** The part of kad-dht's `RoutingTable` the guard uses. */
export interface GuardedTable {
  add(peer: PeerId, options?: AbortOptions): Promise<void>;
  find(peer: PeerId, options?: AbortOptions): Promise<PeerId | undefined>;
  addEventListener(type: 'peer:remove', cb: (evt: CustomEvent<PeerId>) => void): void;
}

/** Where a peer can be reached: the first IP of its stored addresses. */
export type AddressOf = (peer: PeerId) => Promise<string | undefined>;

export function guardRoutingTable(libp2p: Libp2p, dht: KadDHT, allow: readonly string[]): RoutingTableFilter | undefined {
  const table = (dht as unknown as { routingTable?: GuardedTable }).routingTable;
  if (!table || typeof table.add !== 'function' || typeof table.find !== 'function') return undefined;
  const addressOf: AddressOf = async (peer) => {
    const known = await libp2p.peerStore.get(peer).catch(() => undefined);
    return known?.addresses.map((a) => ipOf(a.multiaddr)).find((x) => x !== undefined);
  };
  return guardTable(table, sha256(libp2p.peerId.toMultihash().bytes), addressOf, allow);
}

/** Wraps `table.add` so that a peer over a diversity limit is never inserted. */
export function guardTable(table: GuardedTable, selfKey: Uint8Array, addressOf: AddressOf, allow: readonly string[]): RoutingTableFilter {
  const filter = new RoutingTableFilter({ ...ROUTING_FILTER_DEFAULTS, exempt: [...DIVERSITY_DEFAULTS.exempt, ...allow] });
  const add = table.add.bind(table);
  table.add = async (peer, options) => {
    const id = peer.toString();
    const ip = await addressOf(peer);
    // no address: the table cannot dial it either, and kad-dht's verify ping decides
    if (ip === undefined || filter.has(id)) return add(peer, options);
    const cpl = commonPrefixLength(selfKey, sha256(peer.toMultihash().bytes));
    if (!filter.tryAdd(id, ip, cpl)) return; // over a /24 or /16 limit: not inserted
    try {
      await add(peer, options);
    } finally {
      if ((await table.find(peer).catch(() => undefined)) === undefined) filter.remove(id);
    }
  };
  table.addEventListener('peer:remove', (evt) => filter.remove(evt.detail.toString()));
  return filter;
}

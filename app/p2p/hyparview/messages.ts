/**
 * HyParView protocol messages (paper §4, Algorithms 1–2) and the effects the core asks
 * its driver to perform. Wire form: `proto/guts/p2p/v1/gossip.proto`.
 */
import type { Offence } from '../eclipse/scores.js';
import type { PeerId, PeerInfo, ScheduleEffect } from '../types.js';

export type Priority = 'high' | 'low';

export type HyParViewMessage =
  /** A new node asks its contact to take it in (§4.2). */
  | { readonly type: 'join'; readonly peer: PeerInfo }
  /** Random walk that spreads a new node into active views (ttl = ARWL) and passive views (at PRWL). */
  | { readonly type: 'forwardJoin'; readonly peer: PeerInfo; readonly ttl: number }
  /** Asks to become a neighbour: high priority must be accepted (the sender has no neighbours), low only if there is room (§4.3). */
  | { readonly type: 'neighbor'; readonly peer: PeerInfo; readonly priority: Priority }
  /** Answer to JOIN or NEIGHBOR. */
  | { readonly type: 'neighborReply'; readonly peer: PeerInfo; readonly accepted: boolean }
  /** The sender drops the receiver from its active view; `alive` = keep it as a passive peer. */
  | { readonly type: 'disconnect'; readonly alive: boolean }
  /** Periodic passive-view exchange (§4.4): a random walk of `ttl` hops carrying `peers`. */
  | { readonly type: 'shuffle'; readonly origin: PeerInfo; readonly ttl: number; readonly peers: readonly PeerInfo[]; readonly nonce: number }
  /** Sent straight back to the shuffle's origin; only a reply with the nonce it is waiting for is accepted. */
  | { readonly type: 'shuffleReply'; readonly peers: readonly PeerInfo[]; readonly nonce: number };

export type HyParViewEffect =
  /** Send over the connection to `to`, dialing `to.addrs` first if there is none. */
  | { readonly type: 'send'; readonly to: PeerInfo; readonly message: HyParViewMessage }
  /** The connection to `peer` is no longer needed by membership (the adapter may close it). */
  | { readonly type: 'disconnect'; readonly peer: PeerId }
  /** `peer` entered the active view: Plumtree's NeighborUp. */
  | { readonly type: 'neighborUp'; readonly peer: PeerInfo }
  /** `peer` left the active view: Plumtree's NeighborDown. */
  | { readonly type: 'neighborDown'; readonly peer: PeerId }
  /** No neighbours and nobody left to ask: the driver should find peers (DHT, peer store, bootstrap) and call `addCandidates` or `join`. */
  | { readonly type: 'isolated' }
  /** Below the active view size and no passive peer left to try: fresh candidates from discovery would help. */
  | { readonly type: 'needPeers' }
  /** The peer sent something the protocol does not allow it to. */
  | { readonly type: 'penalize'; readonly peer: PeerId; readonly offence: Offence }
  | ScheduleEffect;

/**
 * The peer-to-peer gossip layer (DESIGN §7, issue 6): sans-IO HyParView membership and
 * Plumtree broadcast, composed with the eclipse defences in `GossipNode`; the wire
 * codec; the stake-based partition detector. The simulator lives in `./sim/index.js`
 * and is not re-exported here (nodes do not need it). The libp2p host (`./host/`) is:
 * importing this module loads libp2p.
 */
export * from './types.js';
export { seededRng, cryptoRng, pickOne, sample, type Rng } from './rng.js';
export { TokenBucket, type RateLimit } from './token-bucket.js';
export { isMembershipMessage, type WireMessage } from './wire.js';
export * from './node/index.js';
export * from './hyparview/index.js';
export * from './plumtree/index.js';
export * from './eclipse/index.js';
export * from './partition/index.js';
export * from './messages/index.js';
export * from './host/index.js';

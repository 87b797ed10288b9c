export { createP2PHost } from './host.js';
export { HOST_DEFAULTS, DHT_DEFAULTS } from './defaults.js';
export { GOSSIP_PROTOCOL } from './gossip-driver.js';
export { KAD_PROTOCOL, MDNS_SERVICE_TAG } from './libp2p-node.js';
export { keyCid, networkKeyName, repoKeyName } from './discovery.js';
export { LevelDatastore } from './datastore.js';
export { REQUEST_DEFAULTS } from './reqresp.js';
export * from './errors.js';
export type * from './types.js';

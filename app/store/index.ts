/** The state store: see README.md in this folder. */
export type * from './types.js';
export { openChainDB, type ChainDB, type Sublevel } from './db.js';
export { createStateStore, type StateStoreOptions } from './state.js';
export { createCacheKV, createMemoryKV, prefixStore, type CacheKV } from './cache.js';
export { EMPTY_ROOT } from './trie/hash.js';

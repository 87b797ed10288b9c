/** Store wrappers modules and the app compose: write caches, prefix views, in-memory stores. */
export { createCacheKV, type CacheKV } from './cache-kv.js';
export { prefixStore } from './prefix.js';
export { createMemoryKV } from './memory.js';

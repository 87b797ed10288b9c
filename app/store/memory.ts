/** A sorted in-memory KVStore for module unit tests: a cache over an empty parent. */
import type { KVReader, KVStore } from './types.js';
import { createCacheKV } from './cache-kv.js';

const EMPTY: KVReader = {
  get: async () => undefined,
  // eslint-disable-next-line require-yield
  iterate: async function* () {},
};

export function createMemoryKV(): KVStore {
  return createCacheKV(EMPTY);
}

/**
 * A view of the keys under `prefix`, with the prefix stripped (cosmos-sdk prefix.Store):
 * how a module sees only its own `<module>/` keys.
 */
import type { IterateOptions, KVReader, KVStore } from './types.js';
import { concatBytes } from './bytes.js';
import { ErrLogic } from '../errors.js';

export function prefixStore(kv: KVStore, prefix: Uint8Array): KVStore;
export function prefixStore(kv: KVReader, prefix: Uint8Array): KVReader;
export function prefixStore(kv: KVReader | KVStore, prefix: Uint8Array): KVStore {
  const full = (key: Uint8Array): Uint8Array => concatBytes(prefix, key);
  const store = kv as Partial<KVStore>;
  return {
    get: (key) => kv.get(full(key)),
    set: async (key, value) => {
      if (!store.set) throw ErrLogic.wrap('prefix store over a read-only view cannot set');
      return store.set(full(key), value);
    },
    delete: async (key) => {
      if (!store.delete) throw ErrLogic.wrap('prefix store over a read-only view cannot delete');
      return store.delete(full(key));
    },
    iterate: async function* (inner: Uint8Array, opts: IterateOptions = {}) {
      const mapped: IterateOptions = {
        ...opts,
        start: opts.start && full(opts.start),
        end: opts.end && full(opts.end),
      };
      for await (const [k, v] of kv.iterate(full(inner), mapped)) yield [k.subarray(prefix.length), v];
    },
  };
}

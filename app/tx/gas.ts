/**
 * Gas: a meter per tx and a KVStore wrapper that charges for every state access, with
 * cosmos-sdk's defaults (store/types/gas.go `KVGasConfig`, store/gaskv/store.go), so
 * `--gas auto` estimates from cosmjs behave as on other Cosmos chains.
 */
import type { GasMeter } from '../chain/context.js';
import { ErrOutOfGas } from '../errors.js';
import type { IterateOptions, KVStore } from '../store/types.js';

/** Gas is a uint64 in cosmos-sdk; passing it is an overflow, not just out of gas. */
export const MAX_GAS = (1n << 64n) - 1n;

export interface MeteredGas extends GasMeter {
  /** Gas consumed, capped at the limit (what a failed tx reports as used). */
  consumedToLimit(): bigint;
  remaining(): bigint;
  isOutOfGas(): boolean;
}

function meter(limit: bigint, infinite: boolean): MeteredGas {
  let used = 0n;
  return {
    limit,
    consumed: () => used,
    consumedToLimit: () => (used > limit ? limit : used),
    remaining: () => (used >= limit ? 0n : limit - used),
    isOutOfGas: () => !infinite && used >= limit,
    consume(amount, descriptor) {
      if (amount < 0n) throw new RangeError(`negative gas ${amount} for ${descriptor}`);
      used += amount;
      if (used > MAX_GAS) {
        used = MAX_GAS;
        throw ErrOutOfGas.wrap(`gas overflow in location: ${descriptor}`);
      }
      if (!infinite && used > limit) {
        throw ErrOutOfGas.wrap(`out of gas in location: ${descriptor}; gasWanted: ${limit}, gasUsed: ${used}`);
      }
    },
  };
}

/** A meter that throws ErrOutOfGas (sdk/11) once more than `limit` is consumed. */
export function createGasMeter(limit: bigint): MeteredGas {
  if (limit < 0n || limit > MAX_GAS) throw new RangeError(`gas limit ${limit} is outside 0..2^64-1`);
  return meter(limit, false);
}

/** Counts but never runs out (genesis, BeginBlock/EndBlock, simulation); limit reads as 2^64-1. */
export function createInfiniteGasMeter(): MeteredGas {
  return meter(MAX_GAS, true);
}

/** The meter for one tx (cosmos-sdk SetUpContextDecorator): unlimited when simulating or at genesis. */
export function txGasMeter(gasLimit: bigint, opts: { simulate: boolean; height: number }): MeteredGas {
  return opts.simulate || opts.height === 0 ? createInfiniteGasMeter() : createGasMeter(gasLimit);
}

export interface KVGasConfig {
  hasCost: bigint;
  deleteCost: bigint;
  readCostFlat: bigint;
  readCostPerByte: bigint;
  writeCostFlat: bigint;
  writeCostPerByte: bigint;
  iterNextCostFlat: bigint;
}

/** cosmos-sdk store/types/gas.go `KVGasConfig()`. */
export const DEFAULT_KV_GAS_CONFIG: Readonly<KVGasConfig> = Object.freeze({
  hasCost: 1000n,
  deleteCost: 1000n,
  readCostFlat: 1000n,
  readCostPerByte: 3n,
  writeCostFlat: 2000n,
  writeCostPerByte: 30n,
  iterNextCostFlat: 30n,
});

/** Descriptors as cosmos-sdk store/types/gas.go names them (they show up in out-of-gas logs). */
export const GasDesc = {
  has: 'Has',
  delete: 'Delete',
  readFlat: 'ReadFlat',
  readPerByte: 'ReadPerByte',
  writeFlat: 'WriteFlat',
  writePerByte: 'WritePerByte',
  iterNextFlat: 'IterNextFlat',
  valuePerByte: 'ValuePerByte',
} as const;

/** A KVStore with a `has` probe, charged at HasCost; the plain KVStore seam has no `has`. */
export interface GasKVStore extends KVStore {
  has(key: Uint8Array): Promise<boolean>;
}

/**
 * Wrap `store` so every access charges `meter`. Gas is charged before the access
 * (flat part) and after it (per byte of what was read), as cosmos-sdk gaskv does, so a
 * tx that runs out of gas stops before writing. Iteration charges IterNextFlat when
 * opened and IterNextFlat + ReadCostPerByte × (key + value) for each entry it yields.
 */
export function gasKVStore(store: KVStore, gasMeter: GasMeter, config: KVGasConfig = DEFAULT_KV_GAS_CONFIG): GasKVStore {
  const c = config;
  const len = (b: Uint8Array | undefined): bigint => BigInt(b?.length ?? 0);
  return {
    async get(key) {
      gasMeter.consume(c.readCostFlat, GasDesc.readFlat);
      const value = await store.get(key);
      gasMeter.consume(c.readCostPerByte * len(key), GasDesc.readPerByte);
      gasMeter.consume(c.readCostPerByte * len(value), GasDesc.readPerByte);
      return value;
    },
    async has(key) {
      gasMeter.consume(c.hasCost, GasDesc.has);
      return (await store.get(key)) !== undefined;
    },
    async set(key, value) {
      gasMeter.consume(c.writeCostFlat, GasDesc.writeFlat);
      gasMeter.consume(c.writeCostPerByte * len(key), GasDesc.writePerByte);
      gasMeter.consume(c.writeCostPerByte * len(value), GasDesc.writePerByte);
      await store.set(key, value);
    },
    async delete(key) {
      gasMeter.consume(c.deleteCost, GasDesc.delete);
      await store.delete(key);
    },
    iterate(prefix: Uint8Array, opts?: IterateOptions): AsyncIterable<[Uint8Array, Uint8Array]> {
      return {
        async *[Symbol.asyncIterator]() {
          gasMeter.consume(c.iterNextCostFlat, GasDesc.iterNextFlat);
          for await (const [k, v] of store.iterate(prefix, opts)) {
            gasMeter.consume(c.iterNextCostFlat, GasDesc.iterNextFlat);
            gasMeter.consume(c.readCostPerByte * len(k), GasDesc.valuePerByte);
            gasMeter.consume(c.readCostPerByte * len(v), GasDesc.valuePerByte);
            yield [k, v];
          }
        },
      };
    },
  };
}

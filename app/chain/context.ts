/**
 * What a message handler, ante handler or BeginBlock/EndBlock sees: the block it runs
 * in, a gas-metered store and an event sink. Nothing here reads a clock or randomness
 * (DESIGN §3): time is the block header's.
 */
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { KVStore } from '../store/types.js';

export type ExecMode = 'check' | 'recheck' | 'simulate' | 'deliver';

export interface GasMeter {
  readonly limit: bigint;
  consumed(): bigint;
  /** Throws ErrOutOfGas (sdk/11) when the limit is passed. */
  consume(amount: bigint, descriptor: string): void;
}

export class EventManager {
  readonly events: Event[] = [];

  emit(type: string, attributes: Record<string, string> | [string, string][]): void {
    const pairs = Array.isArray(attributes) ? attributes : Object.entries(attributes);
    this.events.push({ type, attributes: pairs.map(([key, value]) => ({ key, value, index: true })) });
  }

  append(events: Event[]): void {
    this.events.push(...events);
  }
}

export interface Context {
  readonly chainId: string;
  readonly height: number;
  readonly time: Timestamp;
  readonly mode: ExecMode;
  /** The whole state (all module prefixes), gas-metered in tx context. */
  readonly store: KVStore;
  readonly gasMeter: GasMeter;
  readonly events: EventManager;
}

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

/** What BeginBlock/EndBlock and handlers may know about the block being executed. */
export interface BlockInfo {
  /** CometBFT validator address (20 bytes) of the proposer. */
  readonly proposerAddress: Uint8Array;
  /** Block hash (header hash) of this block. */
  readonly hash: Uint8Array;
  /** Who signed the previous block's commit: validator address, power, and whether it signed. */
  readonly lastCommitVotes: readonly { address: Uint8Array; power: bigint; signed: boolean }[];
  /** Evidence of misbehaviour committed in this block (double signs, as CometBFT Misbehavior). */
  readonly misbehavior: readonly import('cosmjs-types/tendermint/abci/types').Misbehavior[];
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
  /** Present during block execution (deliver mode); absent in CheckTx, simulation and queries. */
  readonly block?: BlockInfo;
}

import type { Context } from '../../app/chain/context.js';
import type { KVReader } from '../../app/store/types.js';

export interface ValidatorState {
  operator: string;
  bonded: boolean;
  jailed: boolean;
  /** Unix seconds of block time; MsgUnjail is refused before it. */
  jailedUntil: bigint;
  tombstoned: boolean;
}

/** What slashing needs from staking (staking's StakingApi implements it). */
export interface StakingKeeper {
  validatorState(ctx: { store: KVReader }, operator: string): Promise<ValidatorState | undefined>;
  operatorByConsAddress(ctx: { store: KVReader }, consAddress: Uint8Array): Promise<string | undefined>;
  consensusAddressOf(ctx: { store: KVReader }, operator: string): Promise<Uint8Array | undefined>;
  /** Burn `fractionBp` of the validator's stake and of its unbonding/redelegated stake created at or after `infractionHeight`. */
  slash(ctx: Context, operator: string, infractionHeight: bigint, fractionBp: number, reason: string): Promise<void>;
  jail(ctx: Context, operator: string, until: bigint, reason?: string): Promise<void>;
  unjail(ctx: Context, operator: string): Promise<void>;
  tombstone(ctx: Context, operator: string): Promise<void>;
}

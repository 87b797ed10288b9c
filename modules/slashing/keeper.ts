/**
 * x/slashing keeper: owns the `slashing/` prefix — parameters and one liveness record
 * (`ValidatorSigningInfo`, with the missed-block bitmap of the window) per consensus address.
 */
import { stateKey } from '../../app/chain/keys.js';
import type { KVReader, KVStore } from '../../app/store/types.js';
import { Params, ValidatorSigningInfo } from '../../proto/gen/guts/slashing/v1/slashing.js';
import type { SlashingParams } from './params.js';

export const MODULE = 'slashing';
const PARAMS_KEY = stateKey(MODULE, 'params');
export const SIGNING_INFO_PREFIX = stateKey(MODULE, 'signing_info');
const signingInfoKey = (cons: Uint8Array) => stateKey(MODULE, 'signing_info', cons);

export class SlashingKeeper {
  async getParams(ctx: { store: KVReader }): Promise<SlashingParams> {
    const raw = await ctx.store.get(PARAMS_KEY);
    if (!raw) throw new Error('slashing params missing from state: the chain was not initialised from genesis');
    return Params.decode(raw);
  }

  async setParams(ctx: { store: KVStore }, p: SlashingParams): Promise<void> {
    await ctx.store.set(PARAMS_KEY, Params.encode(p).finish());
  }

  async getSigningInfo(ctx: { store: KVReader }, cons: Uint8Array): Promise<ValidatorSigningInfo | undefined> {
    const raw = await ctx.store.get(signingInfoKey(cons));
    return raw ? ValidatorSigningInfo.decode(raw) : undefined;
  }

  async setSigningInfo(ctx: { store: KVStore }, info: ValidatorSigningInfo): Promise<void> {
    await ctx.store.set(signingInfoKey(info.consensusAddress), ValidatorSigningInfo.encode(info).finish());
  }

  async *signingInfos(ctx: { store: KVReader }): AsyncIterable<ValidatorSigningInfo> {
    for await (const [, v] of ctx.store.iterate(SIGNING_INFO_PREFIX)) yield ValidatorSigningInfo.decode(v);
  }
}

/**
 * x/auth keeper: owns the `auth/` prefix. Accounts are `cosmos.auth.v1beta1.BaseAccount`
 * under `auth/accounts/<address bytes>`; account numbers come from a counter.
 */
import { BaseAccount, Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { Context } from '../../app/chain/context.js';
import { addressBytes, bech32Address } from '../../app/chain/address.js';
import { readUint64BE, stateKey, uint64BE } from '../../app/chain/keys.js';
import type { KVReader } from '../../app/store/types.js';
import type { AuthParams } from './params.js';

export const MODULE = 'auth';
const PARAMS_KEY = stateKey(MODULE, 'params');
const NEXT_NUMBER_KEY = stateKey(MODULE, 'next_account_number');
export const ACCOUNTS_PREFIX = stateKey(MODULE, 'accounts');

export function accountKey(address: string): Uint8Array {
  return stateKey(MODULE, 'accounts', addressBytes(address));
}

/**
 * Params decoded per stored bytes object: every tx's ante handler reads them, and the store
 * hands back the same (never mutated) value bytes until they are written again, so each
 * read still goes through the gas-metered store but decodes once.
 */
const decodedParams = new WeakMap<Uint8Array, AuthParams>();

const decodedAccounts = new WeakMap<Uint8Array, BaseAccount>();

/**
 * `BaseAccount.decode`, once per stored bytes object: the store returns the same (never
 * mutated) bytes for a key until it is written again, and the ante handler reads the signer's
 * account twice per tx, the block preverification once more. Each caller gets its own copy.
 */
export function decodeAccount(raw: Uint8Array): BaseAccount {
  let acc = decodedAccounts.get(raw);
  if (acc === undefined) {
    acc = BaseAccount.decode(raw);
    decodedAccounts.set(raw, acc);
  }
  return { ...acc };
}

export class AuthKeeper {
  async getAccount(ctx: { store: KVReader }, address: string): Promise<BaseAccount | undefined> {
    const raw = await ctx.store.get(accountKey(address));
    return raw ? decodeAccount(raw) : undefined;
  }

  async hasAccount(ctx: Context, address: string): Promise<boolean> {
    return (await ctx.store.get(accountKey(address))) !== undefined;
  }

  async setAccount(ctx: Context, account: BaseAccount): Promise<void> {
    await ctx.store.set(accountKey(account.address), BaseAccount.encode(account).finish());
  }

  /** Create an account with the next account number (cosmos-sdk `NewAccountWithAddress` + `SetAccount`). */
  async newAccount(ctx: Context, address: string): Promise<BaseAccount> {
    const accountNumber = await this.nextAccountNumber(ctx);
    const account = BaseAccount.fromPartial({ address, accountNumber, sequence: 0n });
    await this.setAccount(ctx, account);
    return account;
  }

  async nextAccountNumber(ctx: Context): Promise<bigint> {
    const raw = await ctx.store.get(NEXT_NUMBER_KEY);
    const n = raw ? readUint64BE(raw) : 0n;
    await ctx.store.set(NEXT_NUMBER_KEY, uint64BE(n + 1n));
    return n;
  }

  async peekNextAccountNumber(ctx: { store: KVReader }): Promise<bigint> {
    const raw = await ctx.store.get(NEXT_NUMBER_KEY);
    return raw ? readUint64BE(raw) : 0n;
  }

  async setNextAccountNumber(ctx: Context, n: bigint): Promise<void> {
    await ctx.store.set(NEXT_NUMBER_KEY, uint64BE(n));
  }

  async getParams(ctx: { store: KVReader }): Promise<AuthParams> {
    const raw = await ctx.store.get(PARAMS_KEY);
    if (!raw) throw new Error('auth params missing from state: the chain was not initialised from genesis');
    let params = decodedParams.get(raw);
    if (params === undefined) {
      params = Params.decode(raw);
      decodedParams.set(raw, params);
    }
    return { ...params };
  }

  async setParams(ctx: Context, params: AuthParams): Promise<void> {
    await ctx.store.set(PARAMS_KEY, Params.encode(params).finish());
  }

  /** All accounts in address-byte order. */
  async *accounts(ctx: { store: KVReader }): AsyncIterable<BaseAccount> {
    for await (const [, value] of ctx.store.iterate(ACCOUNTS_PREFIX)) yield BaseAccount.decode(value);
  }
}

export { bech32Address };

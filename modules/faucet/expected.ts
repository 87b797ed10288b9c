import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Context } from '../../app/chain/context.js';
import type { KVReader } from '../../app/store/types.js';

/** What the faucet needs from bank: its balance, and paying out of its module account. */
export interface BankKeeper {
  getBalance(ctx: { store: KVReader }, address: string, denom: string): Promise<bigint>;
  sendCoinsFromModuleToAccount(ctx: Context, module: string, to: string, coins: Coin[]): Promise<void>;
}

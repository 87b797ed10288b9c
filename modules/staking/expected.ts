import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Context } from '../../app/chain/context.js';
import type { KVReader } from '../../app/store/types.js';

/** What staking needs from bank: module-account transfers, block-reward minting and slash burning. */
export interface BankKeeper {
  getBalance(ctx: { store: KVReader }, address: string, denom: string): Promise<bigint>;
  sendCoinsFromAccountToModule(ctx: Context, from: string, module: string, coins: Coin[]): Promise<void>;
  sendCoinsFromModuleToAccount(ctx: Context, module: string, to: string, coins: Coin[]): Promise<void>;
  sendCoinsFromModuleToModule(ctx: Context, from: string, to: string, coins: Coin[]): Promise<void>;
  mintCoins(ctx: Context, module: string, coins: Coin[]): Promise<void>;
  burnCoins(ctx: Context, module: string, coins: Coin[]): Promise<void>;
}

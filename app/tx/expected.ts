/**
 * What the ante handler needs from auth and bank (cosmos-sdk x/auth/ante expected keepers).
 * Addresses are bech32 strings with prefix `guts`; amounts are decimal strings in Coin.
 */
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Context } from '../chain/context.js';

export interface AccountKeeper {
  getAccount(ctx: Context, address: string): Promise<BaseAccount | undefined>;
  setAccount(ctx: Context, account: BaseAccount): Promise<void>;
  /** Auth params: max_memo_characters, tx_sig_limit, tx_size_cost_per_byte, sig_verify_cost_secp256k1. */
  getParams(ctx: Context): Promise<{
    maxMemoCharacters: bigint;
    txSigLimit: bigint;
    txSizeCostPerByte: bigint;
    sigVerifyCostSecp256k1: bigint;
  }>;
}

export interface BankKeeper {
  /** Move fees to the fee collector module account; throws ErrInsufficientFunds (sdk/5). */
  sendCoinsFromAccountToModule(ctx: Context, from: string, module: string, coins: Coin[]): Promise<void>;
}

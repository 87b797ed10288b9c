import type { Context } from '../../app/chain/context.js';

/** What bank needs from auth: recipients get an account (and number) on first receipt. */
export interface AccountKeeper {
  hasAccount(ctx: Context, address: string): Promise<boolean>;
  newAccount(ctx: Context, address: string): Promise<unknown>;
}

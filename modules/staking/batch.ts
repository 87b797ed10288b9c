/**
 * Per-block working sets for BeginBlock and the epoch end: validator records read once,
 * changed in memory and written once; transfers between the two stake pools netted into
 * one bank transfer. Without them an epoch end with 10,000 queued changes would rewrite
 * the same records and balances 10,000 times.
 */
import type { Context } from '../../app/chain/context.js';
import { coin } from '../../app/chain/coins.js';
import type { Validator } from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import { BONDED_POOL, NOT_BONDED_POOL } from './pools.js';

export class ValidatorCache {
  private readonly loaded = new Map<string, Validator | undefined>();

  constructor(
    private readonly keeper: StakingKeeper,
    private readonly ctx: Context,
  ) {}

  async get(op: string): Promise<Validator | undefined> {
    if (!this.loaded.has(op)) this.loaded.set(op, await this.keeper.getValidator(this.ctx, op));
    return this.loaded.get(op);
  }

  /** The cached record when there is one (it may be newer than `stored`). */
  current(stored: Validator): Validator {
    const cached = this.loaded.get(stored.operatorAddress);
    if (cached) return cached;
    this.loaded.set(stored.operatorAddress, stored);
    return stored;
  }

  async flush(): Promise<void> {
    for (const v of this.loaded.values()) if (v) await this.keeper.setValidator(this.ctx, v);
    this.loaded.clear();
  }
}

/** Net movement between bonded_pool and not_bonded_pool. */
export class PoolLedger {
  private net = 0n; // > 0: not_bonded → bonded

  toBonded(amount: bigint): void {
    this.net += amount;
  }

  toNotBonded(amount: bigint): void {
    this.net -= amount;
  }

  async flush(ctx: Context, bank: BankKeeper, denom: string): Promise<void> {
    if (this.net > 0n) await bank.sendCoinsFromModuleToModule(ctx, NOT_BONDED_POOL, BONDED_POOL, [coin(denom, this.net)]);
    if (this.net < 0n) await bank.sendCoinsFromModuleToModule(ctx, BONDED_POOL, NOT_BONDED_POOL, [coin(denom, -this.net)]);
    this.net = 0n;
  }
}

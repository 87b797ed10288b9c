/**
 * Fees and block rewards, F1-style (cosmos-sdk x/distribution, simplified): every block
 * the fee collector's bond-denom balance and `block_reward` (minted) go to the
 * `distribution` account; `community_tax` of it to the treasury; the rest to the active
 * validators by power. Of a validator's part, its commission accrues to the operator
 * and the remainder raises the validator's cumulative reward-per-share index, scaled by
 * 10^18. A delegation's reward is shares × (index now − index when last settled); it is
 * settled whenever its shares change, so no delegation is ever iterated per block.
 * Rounding: index increments round down and the remainder is carried into the next
 * block; a validator's part rounds down and the dust goes to the treasury. Nothing is
 * created beyond the minted reward and nothing is lost (the invariant tests sum it).
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Context } from '../../app/chain/context.js';
import { coin, formatCoins } from '../../app/chain/coins.js';
import type { Delegation, Validator } from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import { DISTRIBUTION, FEE_COLLECTOR, TREASURY } from './pools.js';
import type { StakingParams } from './params.js';
import { big, bp } from './shares.js';
import { moduleAddress } from '../../app/chain/address.js';

export const REWARD_PRECISION = 10n ** 18n;

/** Rewards a delegation has earned since it was last settled. */
export function accruedRewards(v: Validator, d: Delegation): bigint {
  const delta = big(v.rewardPerShare) - big(d.rewardIndex);
  return delta <= 0n ? 0n : (big(d.shares) * delta) / REWARD_PRECISION;
}

/** Move accrued rewards into `pending_rewards` and move the index up to now (mutates `d`). */
export function settle(v: Validator, d: Delegation): void {
  const r = accruedRewards(v, d);
  if (r > 0n) d.pendingRewards = (big(d.pendingRewards) + r).toString();
  d.rewardIndex = v.rewardPerShare || '0';
}

/** Credit `amount` to the validator's delegators by share (mutates `v`); false when it has no shares. */
export function addDelegatorRewards(v: Validator, amount: bigint): boolean {
  const shares = big(v.delegatorShares);
  if (shares === 0n) return false;
  const num = amount * REWARD_PRECISION + big(v.rewardCarry);
  v.rewardPerShare = (big(v.rewardPerShare) + num / shares).toString();
  v.rewardCarry = (num % shares).toString();
  return true;
}

export interface Distribution {
  fees: bigint;
  minted: bigint;
  toTreasury: bigint;
  commission: bigint;
  toDelegators: bigint;
}

/**
 * BeginBlock: pay this block's rewards to the active set. `validators` caches the records
 * the caller writes back (BeginBlock also updates the uptime counters in them).
 * With no active validator nothing is minted and fees stay in the fee collector.
 */
export async function distributeRewards(
  ctx: Context,
  keeper: StakingKeeper,
  bank: BankKeeper,
  params: StakingParams,
  load: (op: string) => Promise<Validator | undefined>,
): Promise<Distribution | undefined> {
  const totalPower = await keeper.getTotalPower(ctx);
  if (totalPower === 0n) return undefined;
  const denom = params.bondDenom;
  const fees = await bank.getBalance(ctx, moduleAddress(FEE_COLLECTOR), denom);
  if (fees > 0n) await bank.sendCoinsFromModuleToModule(ctx, FEE_COLLECTOR, DISTRIBUTION, [coin(denom, fees)]);
  if (params.blockReward > 0n) await bank.mintCoins(ctx, DISTRIBUTION, [coin(denom, params.blockReward)]);
  const total = fees + params.blockReward;
  if (total === 0n) return { fees, minted: 0n, toTreasury: 0n, commission: 0n, toDelegators: 0n };
  const tax = bp(total, params.communityTaxBp);
  const forValidators = total - tax;
  let paid = 0n;
  let commission = 0n;
  let toDelegators = 0n;
  for await (const { operatorAddress, power } of keeper.lastPowers(ctx)) {
    const v = await load(operatorAddress);
    if (!v) continue;
    const part = (forValidators * power) / totalPower;
    const c = bp(part, v.commission?.rateBp ?? 0);
    const rest = part - c;
    if (!addDelegatorRewards(v, rest)) continue; // no shares: its part falls to the treasury
    v.accumulatedCommission = (big(v.accumulatedCommission) + c).toString();
    paid += part;
    commission += c;
    toDelegators += rest;
  }
  const toTreasury = total - paid;
  if (toTreasury > 0n) await bank.sendCoinsFromModuleToModule(ctx, DISTRIBUTION, TREASURY, [coin(denom, toTreasury)]);
  ctx.events.emit('rewards', { fees: fees.toString(), minted: params.blockReward.toString(), community_tax: toTreasury.toString(), commission: commission.toString(), delegators: toDelegators.toString() });
  return { fees, minted: params.blockReward, toTreasury, commission, toDelegators };
}

/**
 * MsgWithdrawRewards: settle and pay the delegator's rewards from one validator or all,
 * plus the commission of a validator the delegator operates. Returns what was paid.
 */
export async function withdrawRewards(ctx: Context, keeper: StakingKeeper, bank: BankKeeper, delegator: string, validator?: string): Promise<Coin[]> {
  const params = await keeper.getParams(ctx);
  const delegations: Delegation[] = [];
  if (validator) {
    const d = await keeper.getDelegation(ctx, delegator, validator);
    if (d) delegations.push(d);
  } else {
    for await (const d of keeper.delegationsOf(ctx, delegator)) delegations.push(d);
  }
  let total = 0n;
  for (const d of delegations) {
    const v = await keeper.getValidator(ctx, d.validatorAddress);
    if (!v) continue;
    settle(v, d);
    total += big(d.pendingRewards);
    d.pendingRewards = '0';
    await keeper.setDelegation(ctx, d);
  }
  let commission = 0n;
  if (!validator || validator === delegator) {
    const own = await keeper.getValidator(ctx, delegator);
    if (own && big(own.accumulatedCommission) > 0n) {
      commission = big(own.accumulatedCommission);
      own.accumulatedCommission = '0';
      await keeper.setValidator(ctx, own);
    }
  }
  const amount = total + commission;
  const coins = amount > 0n ? [coin(params.bondDenom, amount)] : [];
  if (amount > 0n) await bank.sendCoinsFromModuleToAccount(ctx, DISTRIBUTION, delegator, coins);
  ctx.events.emit('withdraw_rewards', { delegator, validator: validator ?? '', rewards: total.toString(), commission: commission.toString(), amount: formatCoins(coins) });
  return coins;
}

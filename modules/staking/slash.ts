/**
 * Slashing, jailing and tombstoning, called by the slashing module (evidence and
 * downtime) and by gov (Emergency jail). A slash burns `fraction` of the validator's
 * tokens — every delegator loses the same share, since shares stay and tokens shrink —
 * and the same fraction of each unbonding entry and redelegation from this validator
 * created at or after the infraction height (stake that was behind the offence).
 */
import type { Context } from '../../app/chain/context.js';
import { coin } from '../../app/chain/coins.js';
import { BondStatus, type Validator } from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import { BONDED_POOL, NOT_BONDED_POOL } from './pools.js';
import { settle } from './rewards.js';
import type { DelegationChange } from './epoch.js';
import { big, bp, sharesToBurn, tokensForShares } from './shares.js';

/** Jail "forever": tombstoned validators can never unjail. */
export const JAILED_FOREVER = (1n << 63n) - 1n;

const poolOf = (v: Validator) => (v.status === BondStatus.BOND_STATUS_BONDED ? BONDED_POOL : NOT_BONDED_POOL);

export interface SlashResult {
  /** Burnt from the validator's own tokens. */
  fromStake: bigint;
  fromUnbonding: bigint;
  fromRedelegations: bigint;
  /** Delegations on redelegation destinations that lost shares (gov's vote sums follow them). */
  shareChanges: DelegationChange[];
}

export async function slashValidator(
  ctx: Context,
  keeper: StakingKeeper,
  bank: BankKeeper,
  operator: string,
  infractionHeight: bigint,
  fractionBp: number,
  reason: string,
): Promise<SlashResult | undefined> {
  const v = await keeper.getValidator(ctx, operator);
  if (!v) return undefined;
  const { bondDenom: denom } = await keeper.getParams(ctx);
  const burn = async (pool: string, amount: bigint) => {
    if (amount > 0n) await bank.burnCoins(ctx, pool, [coin(denom, amount)]);
  };

  let fromUnbonding = 0n;
  for await (const e of keeper.unbondingsFrom(ctx, operator)) {
    if (e.creationHeight < infractionHeight) continue;
    const balance = big(e.balance);
    let s = bp(big(e.initialBalance), fractionBp);
    if (s > balance) s = balance;
    if (s === 0n) continue;
    e.balance = (balance - s).toString();
    await keeper.setUnbonding(ctx, e);
    fromUnbonding += s;
  }
  await burn(NOT_BONDED_POOL, fromUnbonding);

  let fromRedelegations = 0n;
  const shareChanges: DelegationChange[] = [];
  for await (const r of keeper.redelegationsFrom(ctx, operator)) {
    if (r.creationHeight < infractionHeight) continue;
    const dst = await keeper.getValidator(ctx, r.dstValidatorAddress);
    const d = dst && (await keeper.getDelegation(ctx, r.delegatorAddress, r.dstValidatorAddress));
    if (!dst || !d) continue;
    const want = bp(big(r.initialBalance), fractionBp);
    let shares = sharesToBurn(dst, want);
    const cap = big(d.shares) < big(r.sharesDst) ? big(d.shares) : big(r.sharesDst);
    if (shares > cap) shares = cap;
    const tokens = tokensForShares(dst, shares);
    if (shares === 0n) continue;
    settle(dst, d);
    shareChanges.push({ delegator: d.delegatorAddress, validator: d.validatorAddress, sharesBefore: big(d.shares), sharesAfter: big(d.shares) - shares });
    d.shares = (big(d.shares) - shares).toString();
    dst.delegatorShares = (big(dst.delegatorShares) - shares).toString();
    dst.tokens = (big(dst.tokens) - tokens).toString();
    r.sharesDst = (big(r.sharesDst) - shares).toString();
    await keeper.setDelegation(ctx, d);
    await keeper.setRedelegation(ctx, r);
    await keeper.setValidator(ctx, dst);
    await burn(poolOf(dst), tokens);
    fromRedelegations += tokens;
  }

  const tokens = big(v.tokens);
  const fromStake = bp(tokens, fractionBp);
  v.tokens = (tokens - fromStake).toString();
  await keeper.setValidator(ctx, v);
  await burn(poolOf(v), fromStake);
  await keeper.markSetDirty(ctx);
  ctx.events.emit('slash', {
    validator: operator,
    reason,
    infraction_height: infractionHeight.toString(),
    fraction_bp: String(fractionBp),
    burned: (fromStake + fromUnbonding + fromRedelegations).toString(),
  });
  return { fromStake, fromUnbonding, fromRedelegations, shareChanges };
}

/** Jail until `until` (unix seconds of block time); the validator leaves the set at this block's end. */
export async function jailValidator(ctx: Context, keeper: StakingKeeper, operator: string, until: bigint, reason: string): Promise<boolean> {
  const v = await keeper.getValidator(ctx, operator);
  if (!v) return false;
  v.jailed = true;
  if (until > v.jailedUntil) v.jailedUntil = until;
  await keeper.setValidator(ctx, v);
  await keeper.markSetDirty(ctx);
  ctx.events.emit('jail', { validator: operator, jailed_until: v.jailedUntil.toString(), reason });
  return true;
}

/** Lift a jail (MsgUnjail checks the time and tombstone first); the validator may return to the set at this block's end. */
export async function unjailValidator(ctx: Context, keeper: StakingKeeper, operator: string): Promise<void> {
  const v = await keeper.getValidator(ctx, operator);
  if (!v) return;
  v.jailed = false;
  v.jailedUntil = 0n;
  await keeper.setValidator(ctx, v);
  await keeper.markSetDirty(ctx);
  ctx.events.emit('unjail', { validator: operator });
}

export async function tombstoneValidator(ctx: Context, keeper: StakingKeeper, operator: string): Promise<void> {
  const v = await keeper.getValidator(ctx, operator);
  if (!v) return;
  v.tombstoned = true;
  v.jailed = true;
  v.jailedUntil = JAILED_FOREVER;
  await keeper.setValidator(ctx, v);
  await keeper.markSetDirty(ctx);
  ctx.events.emit('tombstone', { validator: operator });
}

/**
 * Queueing stake changes for the epoch end (DESIGN §5). Staked tokens leave the
 * delegator's balance at once (into not_bonded_pool) so they cannot be spent twice;
 * unstakes and redelegations are checked against what the delegation is worth minus
 * what is already queued to leave it, and counted against `max_entries`.
 */
import type { Context } from '../../app/chain/context.js';
import { coin } from '../../app/chain/coins.js';
import { ChangeKind, type Delegation, type Validator } from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import type { StakingParams } from './params.js';
import { NOT_BONDED_POOL } from './pools.js';
import { big, tokensForShares } from './shares.js';
import { ErrBadDenom, ErrInsufficientStake, ErrNoDelegation, ErrNoValidator, ErrStakeLocked, ErrTooManyEntries, ErrValidatorEmpty, ErrValidatorTombstoned } from './errors.js';

export async function requireValidator(ctx: Context, keeper: StakingKeeper, op: string, what = 'validator'): Promise<Validator> {
  const v = await keeper.getValidator(ctx, op);
  if (!v) throw ErrNoValidator.wrap(`${what} ${op} is not a validator (create one with MsgCreateValidator)`);
  return v;
}

export function checkDenom(params: StakingParams, denom: string): void {
  if (denom !== params.bondDenom) throw ErrBadDenom.wrap(`got ${denom}, staking takes ${params.bondDenom}`);
}

/** The validator accepts new stake: not tombstoned, and its shares still have value. */
export function checkCanReceive(v: Validator): void {
  if (v.tombstoned) throw ErrValidatorTombstoned.wrap(`validator ${v.operatorAddress} was tombstoned for double signing and takes no stake`);
  if (big(v.tokens) === 0n && big(v.delegatorShares) > 0n) throw ErrValidatorEmpty.wrap(`validator ${v.operatorAddress}`);
}

export async function queueStake(ctx: Context, keeper: StakingKeeper, bank: BankKeeper, params: StakingParams, del: string, val: string, amount: bigint): Promise<bigint> {
  await bank.sendCoinsFromAccountToModule(ctx, del, NOT_BONDED_POOL, [coin(params.bondDenom, amount)]);
  const id = await keeper.nextId(ctx);
  await keeper.addPending(ctx, { id, kind: ChangeKind.CHANGE_KIND_STAKE, delegatorAddress: del, validatorAddress: val, dstValidatorAddress: '', amount: amount.toString(), height: BigInt(ctx.height) });
  ctx.events.emit('stake_queued', { delegator: del, validator: val, amount: amount.toString(), pending_id: id.toString() });
  return id;
}

async function unbondingTotal(ctx: Context, keeper: StakingKeeper, del: string, val: string): Promise<{ amount: bigint; until: bigint; count: number }> {
  let amount = 0n;
  let until = 0n;
  let count = 0;
  for await (const e of keeper.unbondingsOf(ctx, del, val)) {
    amount += big(e.balance);
    if (e.completionTime > until) until = e.completionTime;
    count++;
  }
  return { amount, until, count };
}

/** The delegation, checked to hold `amount` tokens not yet queued to leave. */
async function outflowSource(ctx: Context, keeper: StakingKeeper, del: string, v: Validator, amount: bigint, verb: string): Promise<Delegation> {
  const d = await keeper.getDelegation(ctx, del, v.operatorAddress);
  const value = d ? tokensForShares(v, big(d.shares)) : 0n;
  const queued = d ? big(d.pendingOut) : 0n;
  const available = value > queued ? value - queued : 0n;
  if (amount <= available && d) return d;
  const ubd = await unbondingTotal(ctx, keeper, del, v.operatorAddress);
  const locked = ubd.amount > 0n ? `; ${ubd.amount} more is already unbonding (locked until ${ubd.until}, unix seconds) and cannot be moved` : '';
  if (!d || (value === 0n && queued === 0n)) {
    throw ErrNoDelegation.wrap(`${del} has no stake on ${v.operatorAddress} to ${verb}${locked}`);
  }
  throw ErrInsufficientStake.wrap(
    `cannot ${verb} ${amount}: the stake of ${del} on ${v.operatorAddress} is worth ${value}, ${queued} of it already queued to leave at the epoch end, so ${available} is available${locked}`,
  );
}

export async function queueUnstake(ctx: Context, keeper: StakingKeeper, params: StakingParams, del: string, v: Validator, amount: bigint): Promise<bigint> {
  const d = await outflowSource(ctx, keeper, del, v, amount, 'unstake');
  const ubd = await unbondingTotal(ctx, keeper, del, v.operatorAddress);
  if (ubd.count + d.pendingOutEntries >= params.maxEntries) {
    throw ErrTooManyEntries.wrap(`${ubd.count} unbonding and ${d.pendingOutEntries} queued entries on ${v.operatorAddress}; max_entries is ${params.maxEntries}: wait until one completes`);
  }
  d.pendingOut = (big(d.pendingOut) + amount).toString();
  d.pendingOutEntries += 1;
  await keeper.setDelegation(ctx, d);
  const id = await keeper.nextId(ctx);
  await keeper.addPending(ctx, { id, kind: ChangeKind.CHANGE_KIND_UNSTAKE, delegatorAddress: del, validatorAddress: v.operatorAddress, dstValidatorAddress: '', amount: amount.toString(), height: BigInt(ctx.height) });
  ctx.events.emit('unstake_queued', { delegator: del, validator: v.operatorAddress, amount: amount.toString(), pending_id: id.toString() });
  return id;
}

export async function queueRedelegate(ctx: Context, keeper: StakingKeeper, params: StakingParams, del: string, src: Validator, dst: Validator, amount: bigint): Promise<bigint> {
  // stake that arrived on src by redelegation is locked there (cosmos-sdk: no transitive redelegation)
  for await (const r of keeper.redelegationsOf(ctx, del, src.operatorAddress)) {
    if (r.completionTime > ctx.time.seconds) {
      throw ErrStakeLocked.wrap(
        `stake of ${del} on ${src.operatorAddress} arrived by redelegation from ${r.srcValidatorAddress} and cannot be redelegated again until ${r.completionTime} (unix seconds); it can be unstaked`,
      );
    }
  }
  for await (const p of keeper.pendingOf(ctx, del)) {
    if (p.kind === ChangeKind.CHANGE_KIND_REDELEGATE && p.dstValidatorAddress === src.operatorAddress) {
      throw ErrStakeLocked.wrap(`a redelegation of ${del} into ${src.operatorAddress} is queued (pending #${p.id}); stake moved there cannot be redelegated again until its lock period ends`);
    }
  }
  const d = await outflowSource(ctx, keeper, del, src, amount, 'redelegate');
  let entries = d.pendingOutEntries;
  for await (const r of keeper.redelegationsOf(ctx, del, dst.operatorAddress)) if (r.srcValidatorAddress === src.operatorAddress) entries++;
  if (entries >= params.maxEntries) {
    throw ErrTooManyEntries.wrap(`${entries} redelegation and queued entries from ${src.operatorAddress}; max_entries is ${params.maxEntries}: wait until one completes`);
  }
  d.pendingOut = (big(d.pendingOut) + amount).toString();
  d.pendingOutEntries += 1;
  await keeper.setDelegation(ctx, d);
  const id = await keeper.nextId(ctx);
  await keeper.addPending(ctx, {
    id,
    kind: ChangeKind.CHANGE_KIND_REDELEGATE,
    delegatorAddress: del,
    validatorAddress: src.operatorAddress,
    dstValidatorAddress: dst.operatorAddress,
    amount: amount.toString(),
    height: BigInt(ctx.height),
  });
  ctx.events.emit('redelegate_queued', { delegator: del, source_validator: src.operatorAddress, destination_validator: dst.operatorAddress, amount: amount.toString(), pending_id: id.toString() });
  return id;
}

/**
 * EndBlock: at the last block of an epoch every stake change queued so far becomes due;
 * due changes are applied in the order they were queued, at most `max_changes_per_block`
 * per block (issue 4: an epoch end must stay within 10% of a block, and a stake change
 * costs a delegation write and two index deletes, all hashed into the app hash). In the
 * block that applies the last due change — the epoch end itself unless more than
 * `max_changes_per_block` were queued — the active set is recomputed: the top
 * `max_validators` by tokens with at least `min_stake`, not jailed; the difference to the
 * set last sent to consensus is returned as ValidatorUpdates (consensus applies them at
 * H+2). An epoch end that finds the previous epoch's changes still being applied
 * recomputes the set as well (the set never waits more than an epoch for a queue that
 * grows faster than it drains). A jail or slash during the block also recomputes the set,
 * so a misbehaving validator leaves at once. Every block, up to `max_changes_per_block` unbonding entries
 * (and as many redelegation locks) whose lock period is over are completed, oldest first.
 */
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { Context } from '../../app/chain/context.js';
import { coin } from '../../app/chain/coins.js';
import { addressBytes } from '../../app/chain/address.js';
import { BondStatus, ChangeKind, type Delegation, type PendingChange, type Validator } from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import type { StakingParams } from './params.js';
import { DISTRIBUTION, NOT_BONDED_POOL } from './pools.js';
import { PoolLedger, ValidatorCache } from './batch.js';
import { settle } from './rewards.js';
import { consensusAddress } from './consensus.js';
import { big, powerOf, sharesForTokens, sharesToBurn, tokensForShares } from './shares.js';

/** A delegation whose shares changed in this block (gov keeps vote sums in shares). */
export interface DelegationChange {
  delegator: string;
  validator: string;
  sharesBefore: bigint;
  sharesAfter: bigint;
}

/** Told once per EndBlock about the delegations whose shares the block's changes moved. */
export type DelegationsHook = (ctx: Context, changes: readonly DelegationChange[]) => Promise<void>;

interface EpochWork {
  ctx: Context;
  keeper: StakingKeeper;
  bank: BankKeeper;
  params: StakingParams;
  cache: ValidatorCache;
  ledger: PoolLedger;
  /** Share changes by `delegator validator`, first `before`, last `after`. */
  changes?: Map<string, DelegationChange>;
}

function noteShares(w: EpochWork, d: Delegation, before: bigint): void {
  if (!w.changes) return;
  const key = `${d.delegatorAddress} ${d.validatorAddress}`;
  const seen = w.changes.get(key);
  if (seen) seen.sharesAfter = big(d.shares);
  else w.changes.set(key, { delegator: d.delegatorAddress, validator: d.validatorAddress, sharesBefore: before, sharesAfter: big(d.shares) });
}

const isBonded = (v: Validator) => v.status === BondStatus.BOND_STATUS_BONDED;
const canReceive = (v: Validator | undefined): v is Validator =>
  !!v && !v.tombstoned && !(big(v.tokens) === 0n && big(v.delegatorShares) > 0n);

export function newDelegation(del: string, v: Validator): Delegation {
  return { delegatorAddress: del, validatorAddress: v.operatorAddress, shares: '0', rewardIndex: v.rewardPerShare || '0', pendingRewards: '0', pendingOut: '0', pendingOutEntries: 0 };
}

/** Add `amount` tokens, which sit in not_bonded_pool, to `v` as shares of `del`. */
export async function bond(w: EpochWork, v: Validator, del: string, amount: bigint): Promise<bigint> {
  const d = (await w.keeper.getDelegation(w.ctx, del, v.operatorAddress)) ?? newDelegation(del, v);
  settle(v, d);
  const shares = sharesForTokens(v, amount);
  const before = big(d.shares);
  v.tokens = (big(v.tokens) + amount).toString();
  v.delegatorShares = (big(v.delegatorShares) + shares).toString();
  d.shares = (before + shares).toString();
  noteShares(w, d, before);
  await w.keeper.setDelegation(w.ctx, d);
  if (isBonded(v)) w.ledger.toBonded(amount);
  return shares;
}

/** Take up to `amount` tokens of `del` out of `v` (fewer if a slash shrank the delegation); returns the tokens taken. */
async function unbond(w: EpochWork, v: Validator, d: Delegation, amount: bigint): Promise<bigint> {
  settle(v, d);
  const held = big(d.shares);
  const value = tokensForShares(v, held);
  let burn: bigint;
  let out: bigint;
  if (amount >= value) {
    burn = held;
    out = value;
  } else {
    burn = sharesToBurn(v, amount);
    if (burn > held) burn = held;
    out = amount;
  }
  v.tokens = (big(v.tokens) - out).toString();
  v.delegatorShares = (big(v.delegatorShares) - burn).toString();
  d.shares = (held - burn).toString();
  noteShares(w, d, held);
  if (isBonded(v)) w.ledger.toNotBonded(out);
  // a delegation that is gone pays its last rewards at once
  if (d.shares === '0' && d.pendingOut === '0' && big(d.pendingRewards) > 0n) {
    await w.bank.sendCoinsFromModuleToAccount(w.ctx, DISTRIBUTION, d.delegatorAddress, [coin(w.params.bondDenom, big(d.pendingRewards))]);
    d.pendingRewards = '0';
  }
  await w.keeper.setDelegation(w.ctx, d);
  return out;
}

async function lockUnbonding(w: EpochWork, id: bigint, del: string, val: string, amount: bigint): Promise<void> {
  if (amount === 0n) return;
  const completionTime = w.ctx.time.seconds + w.params.lockPeriod;
  await w.keeper.setUnbonding(w.ctx, {
    id,
    delegatorAddress: del,
    validatorAddress: val,
    creationHeight: BigInt(w.ctx.height),
    completionTime,
    initialBalance: amount.toString(),
    balance: amount.toString(),
  });
  w.ctx.events.emit('unbond', { delegator: del, validator: val, amount: amount.toString(), completion_time: completionTime.toString() });
}

async function applyChange(w: EpochWork, p: PendingChange): Promise<void> {
  const amount = big(p.amount);
  const { ctx, keeper } = w;
  if (p.kind === ChangeKind.CHANGE_KIND_STAKE) {
    const v = await w.cache.get(p.validatorAddress);
    if (!canReceive(v)) {
      // the validator was tombstoned or emptied after the stake was queued: give it back
      await w.bank.sendCoinsFromModuleToAccount(ctx, NOT_BONDED_POOL, p.delegatorAddress, [coin(w.params.bondDenom, amount)]);
      ctx.events.emit('stake_refunded', { delegator: p.delegatorAddress, validator: p.validatorAddress, amount: p.amount });
      return;
    }
    await bond(w, v, p.delegatorAddress, amount);
    ctx.events.emit('stake', { delegator: p.delegatorAddress, validator: p.validatorAddress, amount: p.amount });
    return;
  }
  const src = await w.cache.get(p.validatorAddress);
  const d = src && (await keeper.getDelegation(ctx, p.delegatorAddress, p.validatorAddress));
  if (!src || !d) throw new Error(`pending change ${p.id} has no delegation ${p.delegatorAddress} → ${p.validatorAddress}`);
  d.pendingOut = (big(d.pendingOut) - amount).toString();
  d.pendingOutEntries -= 1;
  const out = await unbond(w, src, d, amount);
  if (p.kind === ChangeKind.CHANGE_KIND_UNSTAKE) {
    await lockUnbonding(w, p.id, p.delegatorAddress, p.validatorAddress, out);
    return;
  }
  const dst = await w.cache.get(p.dstValidatorAddress);
  if (!canReceive(dst)) {
    // destination tombstoned since: the tokens unbond instead
    await lockUnbonding(w, p.id, p.delegatorAddress, p.validatorAddress, out);
    return;
  }
  if (out === 0n) return;
  // unbond() moved the tokens out of a bonded source; bond() moves them in for a bonded destination
  const shares = await bond(w, dst, p.delegatorAddress, out);
  const completionTime = ctx.time.seconds + w.params.lockPeriod;
  await keeper.setRedelegation(ctx, {
    id: p.id,
    delegatorAddress: p.delegatorAddress,
    srcValidatorAddress: src.operatorAddress,
    dstValidatorAddress: dst.operatorAddress,
    creationHeight: BigInt(ctx.height),
    completionTime,
    initialBalance: out.toString(),
    sharesDst: shares.toString(),
  });
  ctx.events.emit('redelegate', { delegator: p.delegatorAddress, source_validator: src.operatorAddress, destination_validator: dst.operatorAddress, amount: out.toString(), completion_time: completionTime.toString() });
}

function hexCompare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Recompute the active set; returns the updates for consensus and writes statuses and last powers. */
async function updateActiveSet(w: EpochWork): Promise<ValidatorUpdate[]> {
  const { ctx, keeper, params, cache, ledger } = w;
  const now = ctx.time.seconds;
  const candidates: { v: Validator; tokens: bigint; addr: Uint8Array }[] = [];
  const all: Validator[] = [];
  for await (const stored of keeper.validators(ctx)) {
    const v = cache.current(stored);
    all.push(v);
    if (v.status === BondStatus.BOND_STATUS_UNBONDING && v.unbondingTime <= now) {
      v.status = BondStatus.BOND_STATUS_UNBONDED;
      v.unbondingTime = 0n;
    }
    const tokens = big(v.tokens);
    if (v.jailed || v.tombstoned || tokens < params.minStake || powerOf(tokens, params.powerReduction) === 0n) continue;
    candidates.push({ v, tokens, addr: addressBytes(v.operatorAddress) });
  }
  candidates.sort((a, b) => (a.tokens === b.tokens ? hexCompare(a.addr, b.addr) : a.tokens > b.tokens ? -1 : 1));
  const next = new Map<string, bigint>();
  for (const c of candidates.slice(0, params.maxValidators)) next.set(c.v.operatorAddress, powerOf(c.tokens, params.powerReduction));

  const updates: ValidatorUpdate[] = [];
  let total = 0n;
  for (const v of all) {
    const before = await keeper.getLastPower(ctx, v.operatorAddress);
    const after = next.get(v.operatorAddress) ?? 0n;
    total += after;
    if (after > 0n && !isBonded(v)) {
      v.status = BondStatus.BOND_STATUS_BONDED;
      v.unbondingTime = 0n;
      ledger.toBonded(big(v.tokens));
      ctx.events.emit('validator_bonded', { validator: v.operatorAddress, power: after.toString() });
    } else if (after === 0n && isBonded(v)) {
      v.status = BondStatus.BOND_STATUS_UNBONDING;
      v.unbondingTime = now + params.lockPeriod;
      ledger.toNotBonded(big(v.tokens));
      ctx.events.emit('validator_unbonding', { validator: v.operatorAddress, unbonding_time: v.unbondingTime.toString() });
    }
    if (before !== after) {
      updates.push({ pubKey: { ed25519: v.consensusPubkey, secp256k1: undefined } as ValidatorUpdate['pubKey'], power: after });
      await keeper.setLastPower(ctx, v.operatorAddress, after);
    }
  }
  await keeper.setTotalPower(ctx, total);
  return updates;
}

/** Pay out unbonding entries and drop redelegation locks whose time has come, at most `limit` of each. */
async function matureEntries(ctx: Context, keeper: StakingKeeper, bank: BankKeeper, denom: string, limit: number): Promise<void> {
  const now = ctx.time.seconds;
  for await (const e of keeper.unbondingsDue(ctx, now, limit)) {
    const amount = big(e.balance);
    if (amount > 0n) await bank.sendCoinsFromModuleToAccount(ctx, NOT_BONDED_POOL, e.delegatorAddress, [coin(denom, amount)]);
    await keeper.removeUnbonding(ctx, e);
    ctx.events.emit('complete_unbonding', { delegator: e.delegatorAddress, validator: e.validatorAddress, amount: e.balance });
  }
  for await (const r of keeper.redelegationsDue(ctx, now, limit)) {
    await keeper.removeRedelegation(ctx, r);
    ctx.events.emit('complete_redelegation', { delegator: r.delegatorAddress, source_validator: r.srcValidatorAddress, destination_validator: r.dstValidatorAddress });
  }
}

export async function isEpochEnd(keeper: StakingKeeper, ctx: Context, params: StakingParams): Promise<boolean> {
  const epoch = await keeper.getEpoch(ctx);
  return BigInt(ctx.height) >= epoch.startHeight + params.epochLength - 1n;
}

/** Recompute the set from the validators as they are (InitGenesis). */
export async function recomputeSet(ctx: Context, keeper: StakingKeeper, bank: BankKeeper): Promise<ValidatorUpdate[]> {
  const params = await keeper.getParams(ctx);
  const w: EpochWork = { ctx, keeper, bank, params, cache: new ValidatorCache(keeper, ctx), ledger: new PoolLedger() };
  const updates = await updateActiveSet(w);
  await w.ledger.flush(ctx, bank, params.bondDenom);
  await w.cache.flush();
  return updates;
}

/**
 * Apply up to `max_changes_per_block` due changes; returns how many were applied and
 * whether any due change is left for the next block.
 */
async function applyDue(w: EpochWork, dueBefore: bigint): Promise<{ applied: number; more: boolean }> {
  if (dueBefore === 0n) return { applied: 0, more: false };
  const limit = w.params.maxChangesPerBlock;
  // one more than the batch tells whether the queue drains in this block
  const batch = await w.keeper.pendingBefore(w.ctx, dueBefore, limit + 1);
  const more = batch.length > limit;
  if (more) batch.length = limit;
  for (const p of batch) {
    await applyChange(w, p);
    await w.keeper.removePending(w.ctx, p);
  }
  if (!more) await w.keeper.setDueBefore(w.ctx, 0n);
  return { applied: batch.length, more };
}

export async function stakingEndBlock(ctx: Context, keeper: StakingKeeper, bank: BankKeeper, onDelegations?: DelegationsHook): Promise<ValidatorUpdate[]> {
  const params = await keeper.getParams(ctx);
  const epochEnd = await isEpochEnd(keeper, ctx, params);
  // an epoch ends while the last epoch's changes are still being applied: the set moves here too,
  // so a queue that grows faster than it drains never holds the set back more than an epoch
  const lagging = epochEnd && (await keeper.getDueBefore(ctx)) !== 0n;
  // every change queued up to the epoch's last block is due (a drain still under way just grows)
  if (epochEnd) await keeper.setDueBefore(ctx, await keeper.peekNextId(ctx));
  const dirty = await keeper.takeSetDirty(ctx);
  const w: EpochWork = { ctx, keeper, bank, params, cache: new ValidatorCache(keeper, ctx), ledger: new PoolLedger(), changes: new Map() };
  const { applied, more } = await applyDue(w, await keeper.getDueBefore(ctx));
  let updates: ValidatorUpdate[] = [];
  // the set moves once the due changes are all in (an epoch end with nothing queued included), at an
  // epoch end that finds the last drain unfinished, or at once after a jail or slash
  if (dirty || lagging || (!more && (applied > 0 || epochEnd))) updates = await updateActiveSet(w);
  await w.ledger.flush(ctx, bank, params.bondDenom);
  await w.cache.flush();
  if (applied > 0) ctx.events.emit('stake_changes_applied', { applied: String(applied), more_due: String(more), validator_updates: String(updates.length) });
  if (epochEnd) {
    const epoch = await keeper.getEpoch(ctx);
    await keeper.setEpoch(ctx, { number: epoch.number + 1n, startHeight: BigInt(ctx.height) + 1n });
    ctx.events.emit('epoch_end', { epoch: epoch.number.toString(), height: String(ctx.height), validator_updates: String(updates.length) });
  }
  if (onDelegations && w.changes!.size > 0) await onDelegations(ctx, [...w.changes!.values()]);
  await matureEntries(ctx, keeper, bank, params.bondDenom, params.maxChangesPerBlock);
  return updates;
}

/** InitGenesis: create `v` and bond `amount` (already in not_bonded_pool) as the operator's self-stake. */
export async function genesisBond(ctx: Context, keeper: StakingKeeper, bank: BankKeeper, v: Validator, amount: bigint): Promise<void> {
  const params = await keeper.getParams(ctx);
  await keeper.setConsensusIndex(ctx, consensusAddress(v.consensusPubkey), v.operatorAddress);
  const w: EpochWork = { ctx, keeper, bank, params, cache: new ValidatorCache(keeper, ctx), ledger: new PoolLedger() };
  await bond(w, v, v.operatorAddress, amount);
  await keeper.setValidator(ctx, v);
  await w.ledger.flush(ctx, bank, params.bondDenom);
}

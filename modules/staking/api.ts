/**
 * The narrow interface other modules use: gov (proposer check, tally, Emergency jail),
 * sybil (stake per identity) and slashing (evidence, liveness, unjail). Each declares
 * the subset it needs in its own expected.ts; this class satisfies all of them.
 *
 * Gov's "power" is bonded stake in tokens (the base denom), so a delegator's override
 * (its delegation in tokens) is in the same unit; consensus power is tokens divided by
 * `power_reduction` (1 by default, so the two agree).
 */
import type { Context } from '../../app/chain/context.js';
import type { KVReader } from '../../app/store/types.js';
import { BondStatus } from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import { consensusAddress } from './consensus.js';
import { ErrNoValidator } from './errors.js';
import { jailValidator, slashValidator, tombstoneValidator, unjailValidator } from './slash.js';
import { big, tokensForShares } from './shares.js';
import type { DelegationChange, DelegationsHook } from './epoch.js';

type Reader = { store: KVReader };

/** Delegators from which `delegationsOfMany` scans every delegation instead of iterating per delegator. */
const SCAN_ALL_FROM = 64;

export interface BondedValidator {
  operator: string;
  /** Bonded stake in tokens (self-stake plus delegations). */
  power: bigint;
  /** Delegator shares in total: a share is worth power / shares tokens. */
  shares: bigint;
  /** Power last sent to consensus (tokens / power_reduction). */
  consensusPower: bigint;
  /** Token value of the operator's own delegation. */
  selfStake: bigint;
}

export type { DelegationChange, DelegationsHook } from './epoch.js';

/** Called after every slash (sybil counts slashes in its reputation). */
export type SlashHook = (ctx: Context, operator: string, reason: string) => Promise<void>;

export class StakingApi {
  private readonly slashHooks: SlashHook[] = [];
  private readonly delegationHooks: DelegationsHook[] = [];

  constructor(
    private readonly keeper: StakingKeeper,
    private readonly bank: BankKeeper,
  ) {}

  // for gov

  /** The active-set validator `operator` runs, or undefined (no validator, or not in the active set). */
  async bondedValidator(ctx: Reader, operator: string): Promise<BondedValidator | undefined> {
    const consensusPower = await this.keeper.getLastPower(ctx, operator);
    if (consensusPower === 0n) return undefined;
    const v = await this.keeper.getValidator(ctx, operator);
    if (!v) return undefined;
    const own = await this.keeper.getDelegation(ctx, operator, operator);
    return { operator, power: big(v.tokens), shares: big(v.delegatorShares), consensusPower, selfStake: own ? tokensForShares(v, big(own.shares)) : 0n };
  }

  /** The active set in operator-key order. */
  async bondedValidators(ctx: Reader): Promise<BondedValidator[]> {
    const out: BondedValidator[] = [];
    for await (const lp of this.keeper.lastPowers(ctx)) {
      const b = await this.bondedValidator(ctx, lp.operatorAddress);
      if (b) out.push(b);
    }
    return out;
  }

  /** Sum of the active set's bonded stake (tokens). */
  async totalBondedPower(ctx: Reader): Promise<bigint> {
    let sum = 0n;
    for (const b of await this.bondedValidators(ctx)) sum += b.power;
    return sum;
  }

  /** Sum of the active set's consensus power (what CometBFT counts). */
  totalConsensusPower(ctx: Reader): Promise<bigint> {
    return this.keeper.getTotalPower(ctx);
  }

  /** Every delegation of `delegator` with its token value now, in validator-key order. */
  async delegationsOf(ctx: Reader, delegator: string): Promise<{ validator: string; amount: bigint; shares: bigint }[]> {
    const out: { validator: string; amount: bigint; shares: bigint }[] = [];
    for await (const d of this.keeper.delegationsOf(ctx, delegator)) {
      const v = await this.keeper.getValidator(ctx, d.validatorAddress);
      if (!v || d.shares === '0') continue;
      out.push({ validator: d.validatorAddress, amount: tokensForShares(v, big(d.shares)), shares: big(d.shares) });
    }
    return out;
  }

  /** Every delegation of `delegator` in shares of its validator, in validator-key order. */
  async delegationSharesOf(ctx: Reader, delegator: string): Promise<{ validator: string; shares: bigint }[]> {
    const out: { validator: string; shares: bigint }[] = [];
    for await (const d of this.keeper.delegationsOf(ctx, delegator)) if (d.shares !== '0') out.push({ validator: d.validatorAddress, shares: big(d.shares) });
    return out;
  }

  /**
   * `delegationsOf` for many delegators at once (gov's tally used it before it kept share
   * sums; it stays for callers that need many delegators' stake). Past a few dozen delegators
   * one scan of every delegation is cheaper than one store iterator per delegator (bench:
   * 10,000 voters took 1.7 s with an iterator each), so that is what it does then.
   */
  async delegationsOfMany(ctx: Reader, delegators: ReadonlySet<string>): Promise<Map<string, { validator: string; amount: bigint }[]>> {
    const out = new Map<string, { validator: string; amount: bigint }[]>();
    if (delegators.size < SCAN_ALL_FROM) {
      for (const d of delegators) out.set(d, (await this.delegationsOf(ctx, d)).map(({ validator, amount }) => ({ validator, amount })));
      return out;
    }
    const validators = new Map<string, Awaited<ReturnType<StakingKeeper['getValidator']>>>();
    for await (const d of this.keeper.allDelegations(ctx)) {
      if (!delegators.has(d.delegatorAddress) || d.shares === '0') continue;
      let v = validators.get(d.validatorAddress);
      if (!validators.has(d.validatorAddress)) validators.set(d.validatorAddress, (v = await this.keeper.getValidator(ctx, d.validatorAddress)));
      if (!v) continue;
      const list = out.get(d.delegatorAddress) ?? [];
      list.push({ validator: d.validatorAddress, amount: tokensForShares(v, big(d.shares)) });
      out.set(d.delegatorAddress, list);
    }
    for (const d of delegators) if (!out.has(d)) out.set(d, []);
    return out;
  }

  /**
   * Emergency jail: the validator leaves the active set at the end of this block and may
   * send MsgUnjail after `until` (unix seconds of block time; default: now + lock_period).
   * Throws staking/2 when `operator` runs no validator.
   */
  async jail(ctx: Context, operator: string, until?: bigint, reason = 'governance'): Promise<void> {
    if (!(await this.keeper.getValidator(ctx, operator))) throw ErrNoValidator.wrap(`${operator} is not a validator`);
    const end = until ?? ctx.time.seconds + (await this.keeper.getParams(ctx)).lockPeriod;
    await jailValidator(ctx, this.keeper, operator, end, reason);
  }

  // for sybil

  /** Tokens `address` has staked, over all validators (its self-stake included). */
  async stakeOf(ctx: Reader, address: string): Promise<bigint> {
    let sum = 0n;
    for (const d of await this.delegationsOf(ctx, address)) sum += d.amount;
    return sum;
  }

  // for slashing

  async validatorState(ctx: Reader, operator: string) {
    const v = await this.keeper.getValidator(ctx, operator);
    if (!v) return undefined;
    return { operator, bonded: v.status === BondStatus.BOND_STATUS_BONDED, jailed: v.jailed, jailedUntil: v.jailedUntil, tombstoned: v.tombstoned };
  }

  operatorByConsAddress(ctx: Reader, cons: Uint8Array): Promise<string | undefined> {
    return this.keeper.operatorByConsAddress(ctx, cons);
  }

  async consensusAddressOf(ctx: Reader, operator: string): Promise<Uint8Array | undefined> {
    const v = await this.keeper.getValidator(ctx, operator);
    return v ? consensusAddress(v.consensusPubkey) : undefined;
  }

  async slash(ctx: Context, operator: string, infractionHeight: bigint, fractionBp: number, reason: string): Promise<void> {
    const done = await slashValidator(ctx, this.keeper, this.bank, operator, infractionHeight, fractionBp, reason);
    if (done && done.shareChanges.length > 0) await this.delegationsChanged(ctx, done.shareChanges);
    if (done) for (const hook of this.slashHooks) await hook(ctx, operator, reason);
  }

  /** Wiring (app/chain/modules.ts): run `hook` after each slash, in registration order. */
  onSlash(hook: SlashHook): void {
    this.slashHooks.push(hook);
  }

  /**
   * Run `hook` at the end of every block whose applied stake changes moved delegation
   * shares (gov keeps its vote sums in shares), with each changed delegation once.
   */
  onDelegationsChanged(hook: DelegationsHook): void {
    this.delegationHooks.push(hook);
  }

  /** EndBlock: tell the hooks, in registration order. */
  async delegationsChanged(ctx: Context, changes: readonly DelegationChange[]): Promise<void> {
    for (const hook of this.delegationHooks) await hook(ctx, changes);
  }

  unjail(ctx: Context, operator: string): Promise<void> {
    return unjailValidator(ctx, this.keeper, operator);
  }

  tombstone(ctx: Context, operator: string): Promise<void> {
    return tombstoneValidator(ctx, this.keeper, operator);
  }
}

/**
 * The narrow read (and jail) interface other modules use — gov (proposer check, tally,
 * Emergency jail) and sybil (stake per identity). Declare the subset you need in your
 * own expected.ts; this class satisfies it.
 */
import type { Context } from '../../app/chain/context.js';
import type { KVReader } from '../../app/store/types.js';
import { BondStatus } from '../../proto/gen/guts/staking/v1/staking.js';
import type { StakingKeeper } from './keeper.js';
import type { BankKeeper } from './expected.js';
import { consensusAddress } from './consensus.js';
import { jailValidator, slashValidator, tombstoneValidator, unjailValidator } from './slash.js';
import { big, tokensForShares } from './shares.js';

type Reader = { store: KVReader };

export interface ActiveValidator {
  operator: string;
  /** Consensus power last sent to consensus. */
  power: bigint;
  /** All tokens staked on the validator (self-stake and delegations). */
  tokens: bigint;
  /** Token value of the operator's own delegation. */
  selfStake: bigint;
}

export interface DelegationView {
  validator: string;
  shares: bigint;
  /** Token value of the shares now. */
  tokens: bigint;
  /** Whether the validator is in the active set. */
  bonded: boolean;
}

export class StakingApi {
  constructor(
    private readonly keeper: StakingKeeper,
    private readonly bank: BankKeeper,
  ) {}

  /** Power of `operator` in the active set (0 when not active). */
  bondedPower(ctx: Reader, operator: string): Promise<bigint> {
    return this.keeper.getLastPower(ctx, operator);
  }

  /** Sum of the active set's powers. */
  totalBondedPower(ctx: Reader): Promise<bigint> {
    return this.keeper.getTotalPower(ctx);
  }

  /** The validator `address` operates, if it is in the active set. */
  async activeValidator(ctx: Reader, address: string): Promise<ActiveValidator | undefined> {
    const power = await this.keeper.getLastPower(ctx, address);
    if (power === 0n) return undefined;
    const v = await this.keeper.getValidator(ctx, address);
    if (!v) return undefined;
    const own = await this.keeper.getDelegation(ctx, address, address);
    return { operator: address, power, tokens: big(v.tokens), selfStake: own ? tokensForShares(v, big(own.shares)) : 0n };
  }

  /** Every delegation of `delegator`, in validator-key order. */
  async delegations(ctx: Reader, delegator: string): Promise<DelegationView[]> {
    const out: DelegationView[] = [];
    for await (const d of this.keeper.delegationsOf(ctx, delegator)) {
      const v = await this.keeper.getValidator(ctx, d.validatorAddress);
      if (!v || d.shares === '0') continue;
      out.push({ validator: d.validatorAddress, shares: big(d.shares), tokens: tokensForShares(v, big(d.shares)), bonded: v.status === BondStatus.BOND_STATUS_BONDED });
    }
    return out;
  }

  /** Tokens `delegator` has staked, over all validators. */
  async stakeOf(ctx: Reader, delegator: string): Promise<bigint> {
    let sum = 0n;
    for (const d of await this.delegations(ctx, delegator)) sum += d.tokens;
    return sum;
  }

  /** Tokens and delegator shares of a validator (gov tallies delegator overrides with them). */
  async validatorStake(ctx: Reader, operator: string): Promise<{ tokens: bigint; shares: bigint } | undefined> {
    const v = await this.keeper.getValidator(ctx, operator);
    return v ? { tokens: big(v.tokens), shares: big(v.delegatorShares) } : undefined;
  }

  /**
   * Jail `operator` until `until` (unix seconds of block time; slashing's JAILED_FOREVER
   * for good). It leaves the active set at the end of this block; MsgUnjail works after
   * `until`. Returns false when there is no such validator.
   */
  jail(ctx: Context, operator: string, until: bigint, reason = 'governance'): Promise<boolean> {
    return jailValidator(ctx, this.keeper, operator, until, reason);
  }

  // for the slashing module

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
    await slashValidator(ctx, this.keeper, this.bank, operator, infractionHeight, fractionBp, reason);
  }

  unjail(ctx: Context, operator: string): Promise<void> {
    return unjailValidator(ctx, this.keeper, operator);
  }

  tombstone(ctx: Context, operator: string): Promise<void> {
    return tombstoneValidator(ctx, this.keeper, operator);
  }
}

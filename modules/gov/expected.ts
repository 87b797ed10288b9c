/**
 * What gov needs from other modules, declared here by the caller (cosmos-sdk
 * `expected_keepers.go`) so gov never reads another module's store and tests can fake them.
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Context } from '../../app/chain/context.js';
import type { ParamSpace } from '../../app/chain/module.js';
import type { KVReader } from '../../app/store/types.js';

/** Enough to read state: a Context in handlers and EndBlock, a bare reader in queries. */
export interface ReadContext {
  readonly store: KVReader;
}

/** A validator in the active (bonded) set, named by its operator's account address. */
export interface BondedValidator {
  readonly operator: string;
  /** Bonded stake in base units (self-stake plus delegations). */
  readonly power: bigint;
  /** Delegator shares of the validator in total (a share is worth power / shares). */
  readonly shares: bigint;
}

/** A delegation whose shares changed (staking tells gov once per block that changed any). */
export interface DelegationChange {
  readonly delegator: string;
  readonly validator: string;
  readonly sharesBefore: bigint;
  readonly sharesAfter: bigint;
}

export interface StakingKeeper {
  /** The bonded validator this account operates, or undefined (not a validator, or not in the active set). */
  bondedValidator(ctx: ReadContext, operator: string): Promise<BondedValidator | undefined>;
  /** Every bonded validator with its bonded power. */
  bondedValidators(ctx: ReadContext): Promise<BondedValidator[]>;
  /** Sum of the bonded validators' power. */
  totalBondedPower(ctx: ReadContext): Promise<bigint>;
  /**
   * The delegator's delegations (self-delegations included) as base units per validator
   * operator. Delegations to validators outside the active set may be listed; gov ignores them.
   */
  delegationsOf(ctx: ReadContext, delegator: string): Promise<{ validator: string; amount: bigint }[]>;
  /** The delegator's delegations in shares of each validator (self-delegations included). */
  delegationSharesOf(ctx: ReadContext, delegator: string): Promise<{ validator: string; shares: bigint }[]>;
  /** Run `hook` whenever delegation shares change (gov keeps per-proposal vote sums in shares). */
  onDelegationsChanged(hook: (ctx: Context, changes: readonly DelegationChange[]) => Promise<void>): void;
  /** Jail the validator (Emergency proposal); throws a CodedError if there is no such validator. */
  jail(ctx: Context, operator: string): Promise<void>;
}

export interface BankKeeper {
  getAllBalances(ctx: ReadContext, address: string): Promise<Coin[]>;
  sendCoinsFromAccountToModule(ctx: Context, from: string, module: string, coins: Coin[]): Promise<void>;
  sendCoinsFromModuleToAccount(ctx: Context, module: string, to: string, coins: Coin[]): Promise<void>;
  burnCoins(ctx: Context, module: string, coins: Coin[]): Promise<void>;
}

/** The app's modules as gov sees them: their parameter spaces and which module routes a message. */
export interface ModuleDirectory {
  paramSpace(module: string): ParamSpace | undefined;
  /** Name of the module that handles this message type URL. */
  moduleOfMsg(typeUrl: string): string | undefined;
  /** Whether the module exists and handles messages (those are what Emergency can pause). */
  hasMsgs(module: string): boolean;
}

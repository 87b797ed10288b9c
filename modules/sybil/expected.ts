/**
 * What sybil needs from other modules, declared here so dependencies point one way
 * (STYLE: cosmos-sdk expected_keepers). All reads: the gate never moves funds.
 */
import type { KVReader } from '../../app/store/types.js';
import type { PowAction } from '../../sdk/pow.js';
import type { ProofOfWork } from '../../proto/gen/guts/sybil/v1/sybil.js';

/** A read view of state at a height: a tx Context or a query context. */
export interface ReadContext {
  readonly store: KVReader;
  readonly height: number;
}

/** An identity's stake in the base denom (staking: bonded self-stake plus delegations made). */
export interface StakeSource {
  stakeOf(ctx: ReadContext, address: string): Promise<bigint>;
}

/** Repo owners and collaborators push for free. */
export interface RepoMembership {
  isMember(ctx: ReadContext, repo: string, address: string): Promise<boolean>;
}

/** A message type the gate checks: which action it is, its optional work, its repo (push). */
export interface GatedMsg<T = any> {
  readonly typeUrl: string;
  readonly action: PowAction;
  pow?(msg: T): ProofOfWork | undefined;
  repo?(msg: T): string | undefined;
  /** Stake the message itself puts up (a validator's self-stake), counted with the identity's bonded stake. */
  offeredStake?(msg: T): bigint;
}

/**
 * Fallback stake source while no staking module is wired: the spendable balance of
 * `denom` counts as stake. Weaker than bonded stake (the tokens are not locked, so the
 * same tokens can back actions of several accounts one after another); staking replaces it.
 */
export function balanceAsStake(bank: { getBalance(ctx: { store: KVReader }, address: string, denom: string): Promise<bigint> }, denom: string): StakeSource {
  return { stakeOf: (ctx, address) => bank.getBalance(ctx, address, denom) };
}

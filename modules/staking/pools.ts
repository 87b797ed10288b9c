/**
 * Module accounts that hold staked and reward tokens (cosmos-sdk maccPerms), so total
 * supply is always the sum of balances:
 * - `bonded_pool`: tokens of BONDED validators;
 * - `not_bonded_pool`: tokens of other validators, unbonding entries and stake queued
 *   for the epoch end;
 * - `distribution`: fees and block rewards not yet withdrawn (commission, delegator rewards);
 * - `treasury`: the community pool (community tax and rounding dust); gov spends it.
 */
export const BONDED_POOL = 'bonded_pool';
export const NOT_BONDED_POOL = 'not_bonded_pool';
export const DISTRIBUTION = 'distribution';
export const TREASURY = 'treasury';
export const FEE_COLLECTOR = 'fee_collector';

export const STAKING_MODULE_ACCOUNTS = [BONDED_POOL, NOT_BONDED_POOL, DISTRIBUTION, TREASURY] as const;

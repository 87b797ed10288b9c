/** JSON shapes of the staking records in genesis (snake_case, as the proto field names). */
import { BondStatus, ChangeKind } from '../../proto/gen/guts/staking/v1/staking.js';
import type { Field, Spec } from './json.js';
import { MAX_DETAILS, MAX_MONIKER, MAX_WEBSITE } from './validate.js';

const address: Field = { kind: 'address' };
const amount: Field = { kind: 'amount' };
const u64: Field = { kind: 'u64' };
const bpField: Field = { kind: 'u32', max: 10_000 };

export const STATUS_NAMES: Record<number, string> = {
  [BondStatus.BOND_STATUS_UNBONDED]: 'BOND_STATUS_UNBONDED',
  [BondStatus.BOND_STATUS_UNBONDING]: 'BOND_STATUS_UNBONDING',
  [BondStatus.BOND_STATUS_BONDED]: 'BOND_STATUS_BONDED',
};

const KIND_NAMES: Record<number, string> = {
  [ChangeKind.CHANGE_KIND_STAKE]: 'CHANGE_KIND_STAKE',
  [ChangeKind.CHANGE_KIND_UNSTAKE]: 'CHANGE_KIND_UNSTAKE',
  [ChangeKind.CHANGE_KIND_REDELEGATE]: 'CHANGE_KIND_REDELEGATE',
};

export const DESCRIPTION_SPEC: Spec = [
  ['moniker', 'moniker', { kind: 'string', max: MAX_MONIKER, required: true }],
  ['website', 'website', { kind: 'string', max: MAX_WEBSITE }],
  ['details', 'details', { kind: 'string', max: MAX_DETAILS }],
];

export const COMMISSION_SPEC: Spec = [
  ['rate_bp', 'rateBp', bpField],
  ['max_rate_bp', 'maxRateBp', bpField],
  ['max_change_rate_bp', 'maxChangeRateBp', bpField],
  ['update_time', 'updateTime', u64],
];

export const VALIDATOR_SPEC: Spec = [
  ['operator_address', 'operatorAddress', address],
  ['consensus_pubkey', 'consensusPubkey', { kind: 'bytes', length: 32 }],
  ['description', 'description', { kind: 'record', spec: DESCRIPTION_SPEC }],
  ['commission', 'commission', { kind: 'record', spec: COMMISSION_SPEC }],
  ['status', 'status', { kind: 'enum', names: STATUS_NAMES }],
  ['jailed', 'jailed', { kind: 'bool' }],
  ['jailed_until', 'jailedUntil', u64],
  ['tombstoned', 'tombstoned', { kind: 'bool' }],
  ['tokens', 'tokens', amount],
  ['delegator_shares', 'delegatorShares', amount],
  ['joined_epoch', 'joinedEpoch', u64],
  ['created_height', 'createdHeight', u64],
  ['unbonding_time', 'unbondingTime', u64],
  ['blocks_proposed', 'blocksProposed', u64],
  ['blocks_signed', 'blocksSigned', u64],
  ['blocks_missed', 'blocksMissed', u64],
  ['uptime_bp', 'uptimeBp', bpField],
  ['accumulated_commission', 'accumulatedCommission', amount],
  ['reward_per_share', 'rewardPerShare', amount],
  ['reward_carry', 'rewardCarry', amount],
];

export const DELEGATION_SPEC: Spec = [
  ['delegator_address', 'delegatorAddress', address],
  ['validator_address', 'validatorAddress', address],
  ['shares', 'shares', amount],
  ['reward_index', 'rewardIndex', amount],
  ['pending_rewards', 'pendingRewards', amount],
  ['pending_out', 'pendingOut', amount],
  ['pending_out_entries', 'pendingOutEntries', { kind: 'u32', max: 100 }],
];

export const PENDING_SPEC: Spec = [
  ['id', 'id', u64],
  ['kind', 'kind', { kind: 'enum', names: KIND_NAMES }],
  ['delegator_address', 'delegatorAddress', address],
  ['validator_address', 'validatorAddress', address],
  ['dst_validator_address', 'dstValidatorAddress', { kind: 'address', optional: true }],
  ['amount', 'amount', amount],
  ['height', 'height', u64],
];

export const UNBONDING_SPEC: Spec = [
  ['id', 'id', u64],
  ['delegator_address', 'delegatorAddress', address],
  ['validator_address', 'validatorAddress', address],
  ['creation_height', 'creationHeight', u64],
  ['completion_time', 'completionTime', u64],
  ['initial_balance', 'initialBalance', amount],
  ['balance', 'balance', amount],
];

export const REDELEGATION_SPEC: Spec = [
  ['id', 'id', u64],
  ['delegator_address', 'delegatorAddress', address],
  ['src_validator_address', 'srcValidatorAddress', address],
  ['dst_validator_address', 'dstValidatorAddress', address],
  ['creation_height', 'creationHeight', u64],
  ['completion_time', 'completionTime', u64],
  ['initial_balance', 'initialBalance', amount],
  ['shares_dst', 'sharesDst', amount],
];

export const LAST_POWER_SPEC: Spec = [
  ['operator_address', 'operatorAddress', address],
  ['power', 'power', u64],
];

export const EPOCH_SPEC: Spec = [
  ['number', 'number', u64],
  ['start_height', 'startHeight', u64],
];

/** A validator declared at genesis: its self-stake comes from the operator's genesis balance. */
export const GENESIS_VALIDATOR_SPEC: Spec = [
  ['operator_address', 'operatorAddress', address],
  ['consensus_pubkey', 'consensusPubkey', { kind: 'bytes', length: 32 }],
  ['description', 'description', { kind: 'record', spec: DESCRIPTION_SPEC }],
  ['commission', 'commission', { kind: 'record', spec: COMMISSION_SPEC.slice(0, 3) }],
  ['self_stake', 'selfStake', amount],
];

/** gRPC-style query routes, served through abci_query at /guts.staking.v1.Query/<Method>. */
import type { QueryContext, QueryRoute } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import {
  QueryDelegationsRequest,
  QueryDelegationsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  type DelegationInfo,
  type ValidatorInfo,
} from '../../proto/gen/guts/staking/v1/query.js';
import { BondStatus, type Redelegation, type UnbondingEntry, type Validator, type PendingChange } from '../../proto/gen/guts/staking/v1/staking.js';
import { moduleAddress } from '../../app/chain/address.js';
import type { StakingKeeper } from './keeper.js';
import type { BankKeeper } from './expected.js';
import { paramsToProto } from './params.js';
import { BONDED_POOL, NOT_BONDED_POOL } from './pools.js';
import { accruedRewards } from './rewards.js';
import { big, tokensForShares } from './shares.js';
import { ErrNoValidator } from './errors.js';

const PKG = '/guts.staking.v1.Query/';

export function stakingQueries(keeper: StakingKeeper, bank: Pick<BankKeeper, 'getBalance'>): QueryRoute[] {
  const info = async (ctx: QueryContext, v: Validator): Promise<ValidatorInfo> => ({ validator: v, power: await keeper.getLastPower(ctx, v.operatorAddress) });
  return [
    {
      path: `${PKG}Validators`,
      async handle(ctx, data) {
        const { status } = QueryValidatorsRequest.decode(data);
        const validators: ValidatorInfo[] = [];
        for await (const v of keeper.validators(ctx)) {
          if (status !== BondStatus.BOND_STATUS_UNSPECIFIED && v.status !== status) continue;
          validators.push(await info(ctx, v));
        }
        return QueryValidatorsResponse.encode({ validators }).finish();
      },
    },
    {
      path: `${PKG}Validator`,
      async handle(ctx, data) {
        const { validatorAddress } = QueryValidatorRequest.decode(data);
        addressBytes(validatorAddress, 'validator_address');
        const v = await keeper.getValidator(ctx, validatorAddress);
        if (!v) throw ErrNoValidator.wrap(`${validatorAddress} is not a validator`);
        return QueryValidatorResponse.encode({ validator: await info(ctx, v) }).finish();
      },
    },
    {
      path: `${PKG}Delegations`,
      async handle(ctx, data) {
        const { delegatorAddress: del } = QueryDelegationsRequest.decode(data);
        addressBytes(del, 'delegator_address');
        const delegations: DelegationInfo[] = [];
        for await (const d of keeper.delegationsOf(ctx, del)) {
          const v = await keeper.getValidator(ctx, d.validatorAddress);
          const tokens = v ? tokensForShares(v, big(d.shares)) : 0n;
          const rewards = big(d.pendingRewards) + (v ? accruedRewards(v, d) : 0n);
          delegations.push({ delegation: d, tokens: tokens.toString(), rewards: rewards.toString() });
        }
        const unbonding: UnbondingEntry[] = [];
        for await (const e of keeper.unbondingsOf(ctx, del)) unbonding.push(e);
        const redelegations: Redelegation[] = [];
        for await (const r of keeper.redelegationsOf(ctx, del)) redelegations.push(r);
        const pending: PendingChange[] = [];
        for await (const p of keeper.pendingOf(ctx, del)) pending.push(p);
        return QueryDelegationsResponse.encode({ delegations, unbonding, redelegations, pending }).finish();
      },
    },
    {
      path: `${PKG}Params`,
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        return QueryParamsResponse.encode({ params: paramsToProto(await keeper.getParams(ctx), true) }).finish();
      },
    },
    {
      path: `${PKG}Pool`,
      async handle(ctx, data) {
        QueryPoolRequest.decode(data);
        const params = await keeper.getParams(ctx);
        const epoch = await keeper.getEpoch(ctx);
        return QueryPoolResponse.encode({
          bondedTokens: (await bank.getBalance(ctx, moduleAddress(BONDED_POOL), params.bondDenom)).toString(),
          notBondedTokens: (await bank.getBalance(ctx, moduleAddress(NOT_BONDED_POOL), params.bondDenom)).toString(),
          totalPower: await keeper.getTotalPower(ctx),
          epoch,
          epochEndHeight: epoch.startHeight + params.epochLength - 1n,
        }).finish();
      },
    },
  ];
}


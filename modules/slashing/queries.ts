/** gRPC-style query routes, served through abci_query at /guts.slashing.v1.Query/<Method>. */
import type { QueryRoute } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import {
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
} from '../../proto/gen/guts/slashing/v1/query.js';
import type { ValidatorSigningInfo } from '../../proto/gen/guts/slashing/v1/slashing.js';
import type { SlashingKeeper } from './keeper.js';
import type { StakingKeeper } from './expected.js';
import { ErrNoSigningInfo, ErrNoValidatorForAddress } from './errors.js';

const PKG = '/guts.slashing.v1.Query/';

export function slashingQueries(keeper: SlashingKeeper, staking: StakingKeeper): QueryRoute[] {
  return [
    {
      path: `${PKG}SigningInfo`,
      async handle(ctx, data) {
        const { validatorAddress } = QuerySigningInfoRequest.decode(data);
        addressBytes(validatorAddress, 'validator_address');
        const cons = await staking.consensusAddressOf(ctx, validatorAddress);
        if (!cons) throw ErrNoValidatorForAddress.wrap(`${validatorAddress} operates no validator`);
        const info = await keeper.getSigningInfo(ctx, cons);
        if (!info) throw ErrNoSigningInfo.wrap(`${validatorAddress} has not been in the active set yet`);
        return QuerySigningInfoResponse.encode({ info }).finish();
      },
    },
    {
      path: `${PKG}SigningInfos`,
      async handle(ctx, data) {
        QuerySigningInfosRequest.decode(data);
        const infos: ValidatorSigningInfo[] = [];
        for await (const i of keeper.signingInfos(ctx)) infos.push(i);
        return QuerySigningInfosResponse.encode({ infos }).finish();
      },
    },
    {
      path: `${PKG}Params`,
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        return QueryParamsResponse.encode({ params: await keeper.getParams(ctx) }).finish();
      },
    },
  ];
}

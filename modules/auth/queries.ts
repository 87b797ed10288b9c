import {
  QueryAccountRequest,
  QueryAccountResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { ErrKeyNotFound } from '../../app/errors.js';
import { addressBytes } from '../../app/chain/address.js';
import type { QueryRoute } from '../../app/chain/module.js';
import type { AuthKeeper } from './keeper.js';

export function authQueries(keeper: AuthKeeper): QueryRoute[] {
  return [
    {
      path: '/cosmos.auth.v1beta1.Query/Account',
      async handle(ctx, data) {
        const { address } = QueryAccountRequest.decode(data);
        addressBytes(address);
        const account = await keeper.getAccount(ctx, address);
        // cosmjs StargateClient.getAccount maps this exact gRPC status text to "no account"
        if (!account) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = account ${address} not found`);
        return QueryAccountResponse.encode({
          account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value: BaseAccount.encode(account).finish() },
        }).finish();
      },
    },
    {
      path: '/cosmos.auth.v1beta1.Query/Params',
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        return QueryParamsResponse.encode({ params: await keeper.getParams(ctx) }).finish();
      },
    },
  ];
}

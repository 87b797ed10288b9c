import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { QueryRoute } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import { coin, validateDenom } from '../../app/chain/coins.js';
import type { BankKeeper } from './keeper.js';

export function bankQueries(keeper: BankKeeper): QueryRoute[] {
  return [
    {
      path: '/cosmos.bank.v1beta1.Query/Balance',
      async handle(ctx, data) {
        const req = QueryBalanceRequest.decode(data);
        addressBytes(req.address);
        validateDenom(req.denom);
        const amount = await keeper.getBalance(ctx, req.address, req.denom);
        return QueryBalanceResponse.encode({ balance: coin(req.denom, amount) }).finish();
      },
    },
    {
      path: '/cosmos.bank.v1beta1.Query/AllBalances',
      async handle(ctx, data) {
        const req = QueryAllBalancesRequest.decode(data);
        addressBytes(req.address);
        const balances = await keeper.getAllBalances(ctx, req.address);
        return QueryAllBalancesResponse.encode({ balances, pagination: { nextKey: new Uint8Array(), total: BigInt(balances.length) } }).finish();
      },
    },
    {
      path: '/cosmos.bank.v1beta1.Query/TotalSupply',
      async handle(ctx, data) {
        QueryTotalSupplyRequest.decode(data);
        const supply = await keeper.getTotalSupply(ctx);
        return QueryTotalSupplyResponse.encode({ supply, pagination: { nextKey: new Uint8Array(), total: BigInt(supply.length) } }).finish();
      },
    },
    {
      path: '/cosmos.bank.v1beta1.Query/SupplyOf',
      async handle(ctx, data) {
        const { denom } = QuerySupplyOfRequest.decode(data);
        validateDenom(denom);
        return QuerySupplyOfResponse.encode({ amount: coin(denom, await keeper.getSupply(ctx, denom)) }).finish();
      },
    },
    {
      path: '/cosmos.bank.v1beta1.Query/Params',
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        const p = await keeper.getParams(ctx);
        return QueryParamsResponse.encode({ params: { sendEnabled: [], defaultSendEnabled: p.defaultSendEnabled } }).finish();
      },
    },
  ];
}

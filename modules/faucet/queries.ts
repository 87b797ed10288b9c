/** gRPC-style abci_query routes of `guts.faucet.v1.Query` (proto/guts/faucet/v1/query.proto). */
import { addressBytes } from '../../app/chain/address.js';
import type { QueryRoute } from '../../app/chain/module.js';
import {
  QueryFaucetRequest,
  QueryFaucetResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryRecipientRequest,
  QueryRecipientResponse,
} from '../../proto/gen/guts/faucet/v1/query.js';
import { FAUCET_ADDRESS, type FaucetKeeper } from './keeper.js';
import { amountCoin, faucetParamsProto } from './params.js';

export function faucetQueries(keeper: FaucetKeeper): QueryRoute[] {
  return [
    {
      path: '/guts.faucet.v1.Query/Params',
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        return QueryParamsResponse.encode({ params: faucetParamsProto(await keeper.getParams(ctx)) }).finish();
      },
    },
    {
      path: '/guts.faucet.v1.Query/Faucet',
      async handle(ctx, data) {
        QueryFaucetRequest.decode(data);
        const p = await keeper.getParams(ctx);
        return QueryFaucetResponse.encode({ address: FAUCET_ADDRESS, balance: amountCoin(p, await keeper.balance(ctx, p)), params: faucetParamsProto(p) }).finish();
      },
    },
    {
      path: '/guts.faucet.v1.Query/Recipient',
      async handle(ctx, data) {
        const { address } = QueryRecipientRequest.decode(data);
        addressBytes(address);
        const p = await keeper.getParams(ctx);
        const r = await keeper.getRecipient(ctx, address);
        const received = r?.totalReceived ?? 0n;
        return QueryRecipientResponse.encode({
          recipient: { totalReceived: received.toString(), lastRequestTime: r?.lastRequestTime ?? 0n, requests: r?.requests ?? 0n },
          nextRequestTime: keeper.nextRequestTime(r, p),
          remaining: (received >= p.lifetimeLimit ? 0n : p.lifetimeLimit - received).toString(),
        }).finish();
      },
    },
  ];
}

/** gRPC-style abci_query routes of `guts.sybil.v1.Query` (proto/guts/sybil/v1/query.proto). */
import { addressBytes } from '../../app/chain/address.js';
import type { QueryRoute } from '../../app/chain/module.js';
import { POW_ACTIONS, powChallenge, type PowAction } from '../../sdk/pow.js';
import { Action } from '../../proto/gen/guts/sybil/v1/sybil.js';
import {
  QueryCanPerformRequest,
  QueryCanPerformResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPowChallengeRequest,
  QueryPowChallengeResponse,
  QueryReputationRequest,
  QueryReputationResponse,
} from '../../proto/gen/guts/sybil/v1/query.js';
import { ErrNotFound } from '../../app/errors.js';
import { ErrInvalidAction } from './errors.js';
import type { SybilKeeper } from './keeper.js';
import { sybilParamsProto } from './params.js';
import { ageEpochs } from './reputation.js';

/** Proto enum ↔ the action names the challenge binds. */
export function actionName(a: Action): PowAction {
  const name = POW_ACTIONS[a - 1];
  if (a < 1 || name === undefined) throw ErrInvalidAction.wrap(`action ${a}; expected one of ${POW_ACTIONS.map((n, i) => `${i + 1} (${n})`).join(', ')}`);
  return name;
}

export function actionEnum(name: PowAction): Action {
  return (POW_ACTIONS.indexOf(name) + 1) as Action;
}

export function sybilQueries(keeper: SybilKeeper): QueryRoute[] {
  return [
    {
      path: '/guts.sybil.v1.Query/Params',
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        return QueryParamsResponse.encode({ params: sybilParamsProto(await keeper.getParams(ctx)) }).finish();
      },
    },
    {
      path: '/guts.sybil.v1.Query/Reputation',
      async handle(ctx, data) {
        const { address } = QueryReputationRequest.decode(data);
        addressBytes(address);
        const p = await keeper.getParams(ctx);
        const rep = (await keeper.getReputation(ctx, address)) ?? { firstSeenHeight: 0n, successfulActions: 0n, slashes: 0n };
        return QueryReputationResponse.encode({
          reputation: rep,
          ageEpochs: ageEpochs(rep, BigInt(ctx.height), p),
          discountBp: await keeper.discountOf(ctx, address, p),
        }).finish();
      },
    },
    {
      path: '/guts.sybil.v1.Query/CanPerform',
      async handle(ctx, data) {
        const req = QueryCanPerformRequest.decode(data);
        addressBytes(req.address);
        const action = actionName(req.action);
        const d = await keeper.canPerform(ctx, req.address, action, { repo: req.repo === '' ? undefined : req.repo });
        const p = await keeper.getParams(ctx);
        return QueryCanPerformResponse.encode({
          allowed: d.allowed,
          free: d.free,
          requiredStake: d.required.toString(),
          stake: d.stake.toString(),
          discountBp: d.discountBp,
          powBits: p.powBits[action],
        }).finish();
      },
    },
    {
      path: '/guts.sybil.v1.Query/PowChallenge',
      async handle(ctx, data) {
        const req = QueryPowChallengeRequest.decode(data);
        addressBytes(req.address);
        const action = actionName(req.action);
        const latest = await keeper.latestBlockHash(ctx);
        if (!latest) throw ErrNotFound.wrap('no block hash is kept yet: wait for the first block');
        const p = await keeper.getParams(ctx);
        return QueryPowChallengeResponse.encode({
          blockHeight: latest.height,
          blockHash: latest.hash,
          challenge: powChallenge({ chainId: await keeper.chainId(ctx), signer: req.address, action, blockHash: latest.hash }),
          bits: p.powBits[action],
          expiresAfterHeight: latest.height + p.powWindow,
        }).finish();
      },
    },
  ];
}

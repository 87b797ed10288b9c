import { ProposalStatus, type Proposal } from '../../proto/gen/guts/gov/v1/gov.js';
import {
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPausedModulesRequest,
  QueryPausedModulesResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryUpgradePlanRequest,
  QueryUpgradePlanResponse,
  QueryVoteRequest,
  QueryVoteResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from '../../proto/gen/guts/gov/v1/query.js';
import type { QueryContext, QueryRoute } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import { ErrKeyNotFound } from '../../app/errors.js';
import { currentTally, tallyToProto } from './abci.js';
import type { GovDeps } from './deps.js';
import { ErrUnknownProposal } from './errors.js';
import { paramsToProto } from './keeper.js';
import { timelockVetoPower } from './vote.js';

const MAX_PAGE = 100;

async function describe(deps: GovDeps, ctx: QueryContext, p: Proposal): Promise<QueryProposalResponse> {
  const tally = p.finalTally ?? tallyToProto(await currentTally(deps, ctx, p.id));
  const veto = p.status === ProposalStatus.PROPOSAL_STATUS_QUEUED ? (await timelockVetoPower(deps, ctx, p.id)).toString() : '0';
  return { proposal: p, tally, timelockVetoPower: veto };
}

export function govQueries(deps: GovDeps): QueryRoute[] {
  const { keeper } = deps;
  return [
    {
      path: '/guts.gov.v1.Query/Proposal',
      async handle(ctx, data) {
        const { proposalId } = QueryProposalRequest.decode(data);
        const p = await keeper.getProposal(ctx, proposalId);
        if (!p) throw ErrUnknownProposal.wrap(`no proposal ${proposalId}`);
        return QueryProposalResponse.encode(await describe(deps, ctx, p)).finish();
      },
    },
    {
      path: '/guts.gov.v1.Query/Proposals',
      async handle(ctx, data) {
        const req = QueryProposalsRequest.decode(data);
        const limit = req.limit === 0 || req.limit > MAX_PAGE ? MAX_PAGE : req.limit;
        const out: QueryProposalResponse[] = [];
        let nextId = 0n;
        for await (const p of keeper.proposals(ctx, req.startId)) {
          if (req.status !== ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED && p.status !== req.status) continue;
          if (out.length === limit) {
            nextId = p.id;
            break;
          }
          out.push(await describe(deps, ctx, p));
        }
        return QueryProposalsResponse.encode({ proposals: out, nextId }).finish();
      },
    },
    {
      path: '/guts.gov.v1.Query/Votes',
      async handle(ctx, data) {
        const { proposalId } = QueryVotesRequest.decode(data);
        if (!(await keeper.getProposal(ctx, proposalId))) throw ErrUnknownProposal.wrap(`no proposal ${proposalId}`);
        const votes = [];
        for await (const v of keeper.votes(ctx, proposalId)) votes.push(v);
        return QueryVotesResponse.encode({ votes }).finish();
      },
    },
    {
      path: '/guts.gov.v1.Query/Vote',
      async handle(ctx, data) {
        const { proposalId, voter } = QueryVoteRequest.decode(data);
        addressBytes(voter, 'voter');
        const vote = await keeper.getVote(ctx, proposalId, voter);
        if (!vote) throw ErrKeyNotFound.wrap(`${voter} has not voted on proposal ${proposalId}`);
        return QueryVoteResponse.encode({ vote }).finish();
      },
    },
    {
      path: '/guts.gov.v1.Query/Params',
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        return QueryParamsResponse.encode({ params: paramsToProto(await keeper.getParams(ctx)) }).finish();
      },
    },
    {
      path: '/guts.gov.v1.Query/UpgradePlan',
      async handle(ctx, data) {
        QueryUpgradePlanRequest.decode(data);
        return QueryUpgradePlanResponse.encode({ plan: await keeper.getUpgradePlan(ctx), applied: await keeper.appliedUpgrades(ctx) }).finish();
      },
    },
    {
      path: '/guts.gov.v1.Query/PausedModules',
      async handle(ctx, data) {
        QueryPausedModulesRequest.decode(data);
        const paused = [];
        for await (const p of keeper.pausedModules(ctx)) paused.push(p);
        return QueryPausedModulesResponse.encode({ paused }).finish();
      },
    },
  ];
}

/**
 * `/guts/<module>/v1/...`: every Guts module query, answered by the module's own
 * gRPC-path query route through the app's query router (the same code abci_query runs).
 * Each path parameter is validated here first, so a malformed one is a coded 400.
 */
import * as staking from '../../../proto/gen/guts/staking/v1/query.js';
import * as slashing from '../../../proto/gen/guts/slashing/v1/query.js';
import * as gov from '../../../proto/gen/guts/gov/v1/query.js';
import * as sybil from '../../../proto/gen/guts/sybil/v1/query.js';
import * as faucet from '../../../proto/gen/guts/faucet/v1/query.js';
import * as repo from '../../../proto/gen/guts/repo/v1/query.js';
import { bondStatusToJSON, changeKindToJSON } from '../../../proto/gen/guts/staking/v1/staking.js';
import { emergencyActionToJSON, proposalStatusToJSON, voteOptionToJSON } from '../../../proto/gen/guts/gov/v1/gov.js';
import { actionToJSON } from '../../../proto/gen/guts/sybil/v1/sybil.js';
import { collabEventTypeToJSON } from '../../../proto/gen/guts/repo/v1/repo.js';
import { validateRefName, validateRepoName } from '../../../modules/repo/names.js';
import { address, enumValue, optionalUint, uint64 } from '../params.js';
import { queryRoute, type AbciQuery, type Route, type RouteRequest } from '../route.js';

/** Proto enum names by number, from the generated `xxxToJSON` (0 … until UNRECOGNIZED). */
function enumNames(toJson: (v: number) => string): string[] {
  const out: string[] = [];
  for (let i = 0; toJson(i) !== 'UNRECOGNIZED'; i++) out.push(toJson(i));
  return out;
}

const BOND_STATUS = enumNames(bondStatusToJSON);
const PROPOSAL_STATUS = enumNames(proposalStatusToJSON);
const ACTION = enumNames(actionToJSON);
const COLLAB_TYPE = enumNames(collabEventTypeToJSON);

const stakingEnums = { status: bondStatusToJSON, kind: changeKindToJSON };
const govEnums = { status: proposalStatusToJSON, option: voteOptionToJSON, action: emergencyActionToJSON };
const repoEnums = { eventType: collabEventTypeToJSON };

const optionalEnum = (r: RouteRequest, name: string, prefix: string, names: string[]): number => {
  const v = r.query.get(name);
  return v === null || v === '' ? 0 : enumValue(v, name, prefix, names);
};

const action = (r: RouteRequest): number => enumValue(r.params.action!, 'action', 'ACTION_', ACTION, { required: true });

const repoKeyOf = (r: RouteRequest): string => {
  address(r.params.owner!, 'owner');
  validateRepoName(r.params.name!);
  return `${r.params.owner}/${r.params.name}`;
};

export function gutsRoutes(q: AbciQuery): Route[] {
  const S = '/guts.staking.v1.Query/';
  const SL = '/guts.slashing.v1.Query/';
  const G = '/guts.gov.v1.Query/';
  const SY = '/guts.sybil.v1.Query/';
  const F = '/guts.faucet.v1.Query/';
  const R = '/guts.repo.v1.Query/';
  return [
    // staking
    queryRoute(q, '/guts/staking/v1/validators', S + 'Validators', staking.QueryValidatorsRequest, staking.QueryValidatorsResponse, (r) => ({ status: optionalEnum(r, 'status', 'BOND_STATUS_', BOND_STATUS) }), stakingEnums),
    queryRoute(q, '/guts/staking/v1/validators/:validator_address', S + 'Validator', staking.QueryValidatorRequest, staking.QueryValidatorResponse, (r) => ({ validatorAddress: address(r.params.validator_address!, 'validator_address') }), stakingEnums),
    queryRoute(q, '/guts/staking/v1/delegations/:delegator_address', S + 'Delegations', staking.QueryDelegationsRequest, staking.QueryDelegationsResponse, (r) => ({ delegatorAddress: address(r.params.delegator_address!, 'delegator_address') }), stakingEnums),
    queryRoute(q, '/guts/staking/v1/params', S + 'Params', staking.QueryParamsRequest, staking.QueryParamsResponse, () => ({}), stakingEnums),
    queryRoute(q, '/guts/staking/v1/pool', S + 'Pool', staking.QueryPoolRequest, staking.QueryPoolResponse, () => ({}), stakingEnums),
    // slashing
    queryRoute(q, '/guts/slashing/v1/params', SL + 'Params', slashing.QueryParamsRequest, slashing.QueryParamsResponse, () => ({})),
    queryRoute(q, '/guts/slashing/v1/signing_infos', SL + 'SigningInfos', slashing.QuerySigningInfosRequest, slashing.QuerySigningInfosResponse, () => ({})),
    queryRoute(q, '/guts/slashing/v1/signing_infos/:validator_address', SL + 'SigningInfo', slashing.QuerySigningInfoRequest, slashing.QuerySigningInfoResponse, (r) => ({ validatorAddress: address(r.params.validator_address!, 'validator_address') })),
    // gov
    queryRoute(q, '/guts/gov/v1/proposals', G + 'Proposals', gov.QueryProposalsRequest, gov.QueryProposalsResponse, (r) => ({
      status: optionalEnum(r, 'status', 'PROPOSAL_STATUS_', PROPOSAL_STATUS),
      startId: r.query.get('start_id') ? uint64(r.query.get('start_id')!, 'start_id') : 0n,
      limit: optionalUint(r.query.get('limit'), 'limit', 100) ?? 0,
    }), govEnums),
    queryRoute(q, '/guts/gov/v1/proposals/:proposal_id', G + 'Proposal', gov.QueryProposalRequest, gov.QueryProposalResponse, (r) => ({ proposalId: uint64(r.params.proposal_id!, 'proposal_id', { min: 1n }) }), govEnums),
    queryRoute(q, '/guts/gov/v1/proposals/:proposal_id/votes', G + 'Votes', gov.QueryVotesRequest, gov.QueryVotesResponse, (r) => ({ proposalId: uint64(r.params.proposal_id!, 'proposal_id', { min: 1n }) }), govEnums),
    queryRoute(q, '/guts/gov/v1/proposals/:proposal_id/votes/:voter', G + 'Vote', gov.QueryVoteRequest, gov.QueryVoteResponse, (r) => ({ proposalId: uint64(r.params.proposal_id!, 'proposal_id', { min: 1n }), voter: address(r.params.voter!, 'voter') }), govEnums),
    queryRoute(q, '/guts/gov/v1/params', G + 'Params', gov.QueryParamsRequest, gov.QueryParamsResponse, () => ({}), govEnums),
    queryRoute(q, '/guts/gov/v1/upgrade_plan', G + 'UpgradePlan', gov.QueryUpgradePlanRequest, gov.QueryUpgradePlanResponse, () => ({}), govEnums),
    queryRoute(q, '/guts/gov/v1/paused_modules', G + 'PausedModules', gov.QueryPausedModulesRequest, gov.QueryPausedModulesResponse, () => ({}), govEnums),
    // sybil
    queryRoute(q, '/guts/sybil/v1/params', SY + 'Params', sybil.QueryParamsRequest, sybil.QueryParamsResponse, () => ({})),
    queryRoute(q, '/guts/sybil/v1/reputation/:address', SY + 'Reputation', sybil.QueryReputationRequest, sybil.QueryReputationResponse, (r) => ({ address: address(r.params.address!, 'address') })),
    queryRoute(q, '/guts/sybil/v1/can_perform/:address/:action', SY + 'CanPerform', sybil.QueryCanPerformRequest, sybil.QueryCanPerformResponse, (r) => {
      const repoKey = r.query.get('repo') ?? '';
      return { address: address(r.params.address!, 'address'), action: action(r), repo: repoKey };
    }),
    queryRoute(q, '/guts/sybil/v1/pow_challenge/:address/:action', SY + 'PowChallenge', sybil.QueryPowChallengeRequest, sybil.QueryPowChallengeResponse, (r) => ({ address: address(r.params.address!, 'address'), action: action(r) })),
    // faucet
    queryRoute(q, '/guts/faucet/v1/params', F + 'Params', faucet.QueryParamsRequest, faucet.QueryParamsResponse, () => ({})),
    queryRoute(q, '/guts/faucet/v1/info', F + 'Faucet', faucet.QueryFaucetRequest, faucet.QueryFaucetResponse, () => ({})),
    queryRoute(q, '/guts/faucet/v1/recipients/:address', F + 'Recipient', faucet.QueryRecipientRequest, faucet.QueryRecipientResponse, (r) => ({ address: address(r.params.address!, 'address') })),
    // repo
    queryRoute(q, '/guts/repo/v1/params', R + 'Params', repo.QueryParamsRequest, repo.QueryParamsResponse, () => ({})),
    queryRoute(q, '/guts/repo/v1/repos/:owner', R + 'ReposByOwner', repo.QueryReposByOwnerRequest, repo.QueryReposByOwnerResponse, (r) => ({ owner: address(r.params.owner!, 'owner') })),
    queryRoute(q, '/guts/repo/v1/repos/:owner/:name', R + 'Repo', repo.QueryRepoRequest, repo.QueryRepoResponse, (r) => ({ repo: repoKeyOf(r) })),
    queryRoute(q, '/guts/repo/v1/repos/:owner/:name/refs', R + 'Refs', repo.QueryRefsRequest, repo.QueryRefsResponse, (r) => ({ repo: repoKeyOf(r) })),
    queryRoute(q, '/guts/repo/v1/repos/:owner/:name/refs/*ref', R + 'Ref', repo.QueryRefRequest, repo.QueryRefResponse, (r) => {
      validateRefName(r.params.ref!);
      return { repo: repoKeyOf(r), ref: r.params.ref! };
    }),
    queryRoute(q, '/guts/repo/v1/repos/:owner/:name/anchors/:event_type/:item_id', R + 'CollabAnchor', repo.QueryCollabAnchorRequest, repo.QueryCollabAnchorResponse, (r) => {
      const eventType = enumValue(r.params.event_type!, 'event_type', 'COLLAB_EVENT_TYPE_', COLLAB_TYPE, { required: true });
      return { repo: repoKeyOf(r), eventType, itemId: r.params.item_id! };
    }, repoEnums),
  ];
}

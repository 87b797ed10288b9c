/** gRPC-style abci_query routes of `guts.repo.v1.Query` (proto/guts/repo/v1/query.proto). */
import { addressBytes } from '../../app/chain/address.js';
import type { QueryRoute } from '../../app/chain/module.js';
import {
  QueryCollabAnchorRequest,
  QueryCollabAnchorResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryRefRequest,
  QueryRefResponse,
  QueryRefsRequest,
  QueryRefsResponse,
  QueryRepoRequest,
  QueryRepoResponse,
  QueryReposByOwnerRequest,
  QueryReposByOwnerResponse,
} from '../../proto/gen/guts/repo/v1/query.js';
import { ErrAnchorNotFound, ErrRefNotFound, ErrRepoNotFound } from './errors.js';
import type { RepoKeeper } from './keeper.js';
import { parseRepoKey, validateRefName, validateCollabItem } from './names.js';

export function repoQueries(keeper: RepoKeeper): QueryRoute[] {
  return [
    {
      path: '/guts.repo.v1.Query/Params',
      async handle(ctx, data) {
        QueryParamsRequest.decode(data);
        const p = await keeper.getParams(ctx);
        return QueryParamsResponse.encode({ params: { maxCollaborators: p.maxCollaborators, maxRefsPerRepo: p.maxRefsPerRepo } }).finish();
      },
    },
    {
      path: '/guts.repo.v1.Query/Repo',
      async handle(ctx, data) {
        const { repo } = QueryRepoRequest.decode(data);
        parseRepoKey(repo);
        const r = await keeper.getRepo(ctx, repo);
        if (!r) throw ErrRepoNotFound.wrap(`no repository ${repo}`);
        return QueryRepoResponse.encode({ repo: r }).finish();
      },
    },
    {
      path: '/guts.repo.v1.Query/Ref',
      async handle(ctx, data) {
        const req = QueryRefRequest.decode(data);
        parseRepoKey(req.repo);
        validateRefName(req.ref);
        const ref = await keeper.getRef(ctx, req.repo, req.ref);
        if (!ref) throw ErrRefNotFound.wrap(`${req.repo} has no ref ${req.ref}`);
        return QueryRefResponse.encode({ ref }).finish();
      },
    },
    {
      path: '/guts.repo.v1.Query/Refs',
      async handle(ctx, data) {
        const { repo } = QueryRefsRequest.decode(data);
        parseRepoKey(repo);
        if (!(await keeper.getRepo(ctx, repo))) throw ErrRepoNotFound.wrap(`no repository ${repo}`);
        return QueryRefsResponse.encode({ refs: await keeper.refsOf(ctx, repo) }).finish();
      },
    },
    {
      path: '/guts.repo.v1.Query/ReposByOwner',
      async handle(ctx, data) {
        const { owner } = QueryReposByOwnerRequest.decode(data);
        addressBytes(owner, 'owner');
        return QueryReposByOwnerResponse.encode({ repos: await keeper.reposOf(ctx, owner) }).finish();
      },
    },
    {
      path: '/guts.repo.v1.Query/CollabAnchor',
      async handle(ctx, data) {
        const req = QueryCollabAnchorRequest.decode(data);
        parseRepoKey(req.repo);
        validateCollabItem(req.eventType, req.itemId, new Uint8Array(32));
        const anchor = await keeper.getAnchor(ctx, req.repo, req.eventType, req.itemId);
        if (!anchor) throw ErrAnchorNotFound.wrap(`${req.repo} has no anchor for item ${req.itemId}`);
        return QueryCollabAnchorResponse.encode({ anchor }).finish();
      },
    },
  ];
}

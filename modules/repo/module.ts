import type { AppModule, ParamSpace } from '../../app/chain/module.js';
import { RepoKeeper } from './keeper.js';
import { defaultRepoGenesis, exportRepoGenesis, initRepoGenesis, repoGenesisToJson, validateRepoGenesis, type RepoGenesis } from './genesis.js';
import { repoMsgHandlers } from './msgs.js';
import { getRepoParam, REPO_PARAM_NAMES, withRepoParam } from './params.js';
import { repoQueries } from './queries.js';

function repoParamSpace(keeper: RepoKeeper): ParamSpace {
  return {
    names: () => [...REPO_PARAM_NAMES],
    get: async (ctx, name) => getRepoParam(await keeper.getParams(ctx), name),
    set: async (ctx, name, value) => keeper.setParams(ctx, withRepoParam(await keeper.getParams(ctx), name, value)),
  };
}

export function createRepoModule(keeper = new RepoKeeper()): AppModule<RepoGenesis> & { keeper: RepoKeeper } {
  return {
    name: 'repo',
    keeper,
    msgs: repoMsgHandlers(keeper),
    queries: repoQueries(keeper),
    defaultGenesis: defaultRepoGenesis,
    validateGenesis: validateRepoGenesis,
    genesisToJson: repoGenesisToJson,
    initGenesis: (ctx, g) => initRepoGenesis(keeper, ctx, g),
    exportGenesis: (ctx) => exportRepoGenesis(keeper, ctx),
    params: repoParamSpace(keeper),
  };
}

import type { AppModule, ParamSpace } from '../../app/chain/module.js';
import type { BankKeeper } from './expected.js';
import { FaucetKeeper } from './keeper.js';
import { defaultFaucetGenesis, exportFaucetGenesis, faucetGenesisToJson, initFaucetGenesis, validateFaucetGenesis, type FaucetGenesis } from './genesis.js';
import { faucetGate, faucetRequestHandler } from './msgs.js';
import { FAUCET_PARAM_NAMES, getFaucetParam, withFaucetParam } from './params.js';
import { faucetQueries } from './queries.js';

function faucetParamSpace(keeper: FaucetKeeper): ParamSpace {
  return {
    names: () => [...FAUCET_PARAM_NAMES],
    get: async (ctx, name) => getFaucetParam(await keeper.getParams(ctx), name),
    set: async (ctx, name, value) => keeper.setParams(ctx, withFaucetParam(await keeper.getParams(ctx), name, value)),
  };
}

export function createFaucetModule(bank: BankKeeper): AppModule<FaucetGenesis> & { keeper: FaucetKeeper } {
  const keeper = new FaucetKeeper(bank);
  return {
    name: 'faucet',
    keeper,
    msgs: [faucetRequestHandler(keeper)],
    queries: faucetQueries(keeper),
    defaultGenesis: defaultFaucetGenesis,
    validateGenesis: validateFaucetGenesis,
    genesisToJson: faucetGenesisToJson,
    initGenesis: (ctx, g) => initFaucetGenesis(keeper, ctx, g),
    exportGenesis: (ctx) => exportFaucetGenesis(keeper, ctx),
    params: faucetParamSpace(keeper),
    msgGates: [faucetGate(keeper)],
  };
}

import type { AppModule, ParamSpace } from '../../app/chain/module.js';
import type { BankKeeper } from './expected.js';
import { StakingKeeper } from './keeper.js';
import { StakingApi } from './api.js';
import { stakingMsgHandlers } from './msgs.js';
import { stakingQueries } from './queries.js';
import { stakingBeginBlock } from './begin-block.js';
import { stakingEndBlock } from './epoch.js';
import { defaultStakingGenesis, exportStakingGenesis, genesisConsensus, initStakingGenesis, stakingGenesisToJson, validateStakingGenesis, type StakingGenesis } from './genesis.js';
import { STAKING_PARAM_SPECS } from './params.js';
import { ErrInvalidParam } from './errors.js';

function stakingParamSpace(keeper: StakingKeeper): ParamSpace {
  const spec = (name: string) => {
    const s = STAKING_PARAM_SPECS[name];
    if (!s) throw ErrInvalidParam.wrap(`staking has no parameter ${JSON.stringify(name)} (known: ${Object.keys(STAKING_PARAM_SPECS).join(', ')})`);
    return s;
  };
  return {
    names: () => Object.keys(STAKING_PARAM_SPECS),
    async get(ctx, name) {
      return spec(name).get(await keeper.getParams(ctx));
    },
    async set(ctx, name, value) {
      const p = await keeper.getParams(ctx);
      spec(name).set(p, value);
      await keeper.setParams(ctx, p);
    },
  };
}

export type StakingModule = AppModule<StakingGenesis> & {
  keeper: StakingKeeper;
  api: StakingApi;
  /** The consensus genesis set this staking genesis implies (genesis/doc.ts checks `validators` against it). */
  genesisConsensus: typeof genesisConsensus;
};

export function createStakingModule(bank: BankKeeper, keeper = new StakingKeeper()): StakingModule {
  const api = new StakingApi(keeper, bank);
  return {
    name: 'staking',
    keeper,
    api,
    msgs: stakingMsgHandlers(keeper, bank),
    queries: stakingQueries(keeper, bank),
    params: stakingParamSpace(keeper),
    defaultGenesis: defaultStakingGenesis,
    validateGenesis: validateStakingGenesis,
    genesisToJson: stakingGenesisToJson,
    initGenesis: (ctx, g) => initStakingGenesis(ctx, keeper, bank, g),
    exportGenesis: (ctx) => exportStakingGenesis(ctx, keeper),
    genesisConsensus,
    beginBlock: (ctx) => stakingBeginBlock(ctx, keeper, bank),
    endBlock: (ctx) => stakingEndBlock(ctx, keeper, bank, (c, changes) => api.delegationsChanged(c, changes)),
  };
}

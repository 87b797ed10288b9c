import type { AppModule, ParamSpace } from '../../app/chain/module.js';
import type { StakingKeeper } from './expected.js';
import { SlashingKeeper } from './keeper.js';
import { slashingBeginBlock } from './begin-block.js';
import { msgUnjailHandler } from './msgs.js';
import { slashingQueries } from './queries.js';
import { defaultSlashingGenesis, exportSlashingGenesis, initSlashingGenesis, slashingGenesisToJson, validateSlashingGenesis, type SlashingGenesis } from './genesis.js';
import { SLASHING_PARAM_SPECS } from './params.js';
import { ErrInvalidParam } from './errors.js';

function slashingParamSpace(keeper: SlashingKeeper): ParamSpace {
  const spec = (name: string) => {
    const s = SLASHING_PARAM_SPECS[name];
    if (!s) throw ErrInvalidParam.wrap(`slashing has no parameter ${JSON.stringify(name)} (known: ${Object.keys(SLASHING_PARAM_SPECS).join(', ')})`);
    return s;
  };
  return {
    names: () => Object.keys(SLASHING_PARAM_SPECS),
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

export type SlashingModule = AppModule<SlashingGenesis> & { keeper: SlashingKeeper };

export function createSlashingModule(staking: StakingKeeper, keeper = new SlashingKeeper()): SlashingModule {
  return {
    name: 'slashing',
    keeper,
    msgs: [msgUnjailHandler(staking)],
    queries: slashingQueries(keeper, staking),
    params: slashingParamSpace(keeper),
    defaultGenesis: defaultSlashingGenesis,
    validateGenesis: validateSlashingGenesis,
    genesisToJson: slashingGenesisToJson,
    initGenesis: (ctx, g) => initSlashingGenesis(ctx, keeper, g),
    exportGenesis: (ctx) => exportSlashingGenesis(ctx, keeper),
    beginBlock: (ctx) => slashingBeginBlock(ctx, keeper, staking),
  };
}

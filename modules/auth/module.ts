import type { AppModule } from '../../app/chain/module.js';
import { AuthKeeper } from './keeper.js';
import {
  authGenesisToJson,
  defaultAuthGenesis,
  exportAuthGenesis,
  initAuthGenesis,
  validateAuthGenesis,
  type AuthGenesis,
} from './genesis.js';
import { authQueries } from './queries.js';
import { authParamSpace } from './paramspace.js';

export function createAuthModule(moduleAccounts: string[] = [], keeper = new AuthKeeper()): AppModule<AuthGenesis> & { keeper: AuthKeeper } {
  return {
    name: 'auth',
    keeper,
    queries: authQueries(keeper),
    params: authParamSpace(keeper),
    defaultGenesis: defaultAuthGenesis,
    validateGenesis: validateAuthGenesis,
    initGenesis: (ctx, g) => initAuthGenesis(keeper, ctx, g, moduleAccounts),
    exportGenesis: (ctx) => exportAuthGenesis(keeper, ctx),
    genesisToJson: authGenesisToJson,
  };
}

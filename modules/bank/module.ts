import type { AppModule } from '../../app/chain/module.js';
import type { AccountKeeper } from './expected.js';
import { BankKeeper } from './keeper.js';
import { bankGenesisToJson, defaultBankGenesis, exportBankGenesis, initBankGenesis, validateBankGenesis, type BankGenesis } from './genesis.js';
import { msgSendHandler } from './msgs.js';
import { bankQueries } from './queries.js';
import { bankParamSpace } from './paramspace.js';

export function createBankModule(accounts: AccountKeeper): AppModule<BankGenesis> & { keeper: BankKeeper } {
  const keeper = new BankKeeper(accounts);
  return {
    name: 'bank',
    keeper,
    msgs: [msgSendHandler(keeper)],
    queries: bankQueries(keeper),
    params: bankParamSpace(keeper),
    defaultGenesis: defaultBankGenesis,
    validateGenesis: validateBankGenesis,
    genesisToJson: bankGenesisToJson,
    initGenesis: (ctx, g) => initBankGenesis(keeper, accounts, ctx, g),
    exportGenesis: (ctx) => exportBankGenesis(keeper, ctx),
  };
}

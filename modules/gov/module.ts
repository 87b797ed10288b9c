import type { AppModule } from '../../app/chain/module.js';
import type { BankKeeper, ModuleDirectory, StakingKeeper } from './expected.js';
import { govEndBlock } from './abci.js';
import { delegationsChanged, rebuildShareSums } from './share-sums.js';
import type { GovDeps } from './deps.js';
import { pauseGate } from './gate.js';
import { defaultGovGenesis, exportGovGenesis, govGenesisToJson, initGovGenesis, validateGovGenesis, type GovGenesis } from './genesis.js';
import { GovKeeper } from './keeper.js';
import { govMsgHandlers } from './msgs.js';
import { govParamSpace } from './paramspace.js';
import { govQueries } from './queries.js';
import { UpgradeHandlers, upgradeBeginBlock } from './upgrade.js';

export interface GovModuleOptions {
  staking: StakingKeeper;
  bank: BankKeeper;
  /** The app's modules; resolved lazily, since gov is one of them. */
  modules: ModuleDirectory;
  /** Upgrade handlers this binary carries (none: it halts at any scheduled upgrade). */
  upgrades?: UpgradeHandlers;
}

export function createGovModule(opts: GovModuleOptions): AppModule<GovGenesis> & { keeper: GovKeeper; upgrades: UpgradeHandlers } {
  const keeper = new GovKeeper();
  const deps: GovDeps = { keeper, staking: opts.staking, bank: opts.bank, modules: opts.modules, upgrades: opts.upgrades ?? new UpgradeHandlers() };
  let firstBlock = true;
  opts.staking.onDelegationsChanged((ctx, changes) => delegationsChanged(deps, ctx, changes));
  return {
    name: 'gov',
    keeper,
    upgrades: deps.upgrades,
    msgs: govMsgHandlers(deps),
    queries: govQueries(deps),
    params: govParamSpace(keeper),
    msgGates: [pauseGate(deps)],
    defaultGenesis: defaultGovGenesis,
    validateGenesis: validateGovGenesis,
    genesisToJson: govGenesisToJson,
    initGenesis: (ctx, g) => initGovGenesis(keeper, ctx, g),
    exportGenesis: (ctx) => exportGovGenesis(keeper, ctx),
    async beginBlock(ctx) {
      const first = firstBlock;
      await upgradeBeginBlock(ctx, keeper, deps.upgrades, first);
      firstBlock = false;
      await rebuildShareSums(deps, ctx);
    },
    async endBlock(ctx) {
      await govEndBlock(deps, ctx);
    },
  };
}

/** A ModuleDirectory over the app's module list (filled in after gov is created). */
export function moduleDirectory(list: () => readonly AppModule[]): ModuleDirectory {
  let byMsg: Map<string, string> | undefined;
  return {
    paramSpace: (module) => list().find((m) => m.name === module)?.params,
    moduleOfMsg(typeUrl) {
      byMsg ??= new Map(list().flatMap((m) => (m.msgs ?? []).map((h) => [h.typeUrl, m.name] as [string, string])));
      return byMsg.get(typeUrl);
    },
    hasMsgs: (module) => (list().find((m) => m.name === module)?.msgs?.length ?? 0) > 0,
  };
}

import type { BankKeeper, ModuleDirectory, StakingKeeper } from './expected.js';
import type { GovKeeper } from './keeper.js';
import type { UpgradeHandlers } from './upgrade.js';

/** Everything gov's handlers and block hooks work with. */
export interface GovDeps {
  readonly keeper: GovKeeper;
  readonly staking: StakingKeeper;
  readonly bank: BankKeeper;
  readonly modules: ModuleDirectory;
  readonly upgrades: UpgradeHandlers;
}

/** The chain's modules, wired through their expected interfaces, in execution order. */
import { createAuthModule } from '../../modules/auth/module.js';
import { createBankModule } from '../../modules/bank/module.js';
import { createStakingModule } from '../../modules/staking/module.js';
import { STAKING_MODULE_ACCOUNTS } from '../../modules/staking/pools.js';
import { createSlashingModule } from '../../modules/slashing/module.js';
import { createGovModule, moduleDirectory } from '../../modules/gov/module.js';
import { binaryUpgrades } from '../../modules/gov/upgrades.js';
import { createSybilModule } from '../../modules/sybil/module.js';
import { createFaucetModule } from '../../modules/faucet/module.js';
import { createRepoModule } from '../../modules/repo/module.js';
import { repoGatedMsgs } from '../../modules/repo/gates.js';
import type { AppModule } from './module.js';

export function createModules() {
  // module accounts that exist from genesis on (cosmos-sdk maccPerms)
  const auth = createAuthModule(['fee_collector', 'faucet', 'gov', ...STAKING_MODULE_ACCOUNTS]);
  const bank = createBankModule(auth.keeper);
  const staking = createStakingModule(bank.keeper);
  const slashing = createSlashingModule(staking.api);
  // gov runs first in BeginBlock (an upgrade halts or migrates before any other module acts)
  const gov = createGovModule({ staking: staking.api, bank: bank.keeper, modules: moduleDirectory(() => list), upgrades: binaryUpgrades() });
  const repo = createRepoModule();
  // sybil reads an identity's bonded stake (StakingApi.stakeOf) and counts its slashes for the reputation discount
  const sybil = createSybilModule({ stakes: staking.api, repos: repo.keeper, gated: repoGatedMsgs });
  staking.api.onSlash((ctx, operator) => sybil.keeper.recordSlash(ctx, operator));
  const faucet = createFaucetModule(bank.keeper);
  const list: AppModule[] = [auth as AppModule, bank as AppModule, gov as AppModule, staking as AppModule, slashing as AppModule, sybil as AppModule, faucet as AppModule, repo as AppModule];
  return { auth, bank, gov, staking, slashing, sybil, faucet, repo, list };
}

export type Modules = ReturnType<typeof createModules>;

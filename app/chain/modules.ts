/** The chain's modules, wired through their expected interfaces, in execution order. */
import { createAuthModule } from '../../modules/auth/module.js';
import { createBankModule } from '../../modules/bank/module.js';
import type { AppModule } from './module.js';

export function createModules() {
  // module accounts that exist from genesis on (cosmos-sdk maccPerms)
  const auth = createAuthModule(['fee_collector']);
  const bank = createBankModule(auth.keeper);
  const list: AppModule[] = [auth as AppModule, bank as AppModule];
  return { auth, bank, list };
}

export type Modules = ReturnType<typeof createModules>;

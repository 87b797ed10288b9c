/**
 * bank's parameters as a gov `ParamSpace`: `default_send_enabled` (`true` / `false`),
 * read by MsgSend from state, so a change applies from the next tx. Per-denom
 * `send_enabled` entries are not used by Guts (README).
 */
import type { ParamSpace } from '../../app/chain/module.js';
import type { BankKeeper } from './keeper.js';
import { ErrInvalidParam, ErrUnknownParam } from './errors.js';

export const BANK_PARAM_NAMES = ['default_send_enabled'];

function check(name: string): void {
  if (!BANK_PARAM_NAMES.includes(name)) throw ErrUnknownParam.wrap(`bank has no parameter ${JSON.stringify(name)} (known: ${BANK_PARAM_NAMES.join(', ')})`);
}

export function bankParamSpace(keeper: BankKeeper): ParamSpace {
  return {
    names: () => [...BANK_PARAM_NAMES],
    async get(ctx, name) {
      check(name);
      return String((await keeper.getParams(ctx)).defaultSendEnabled);
    },
    async set(ctx, name, value) {
      check(name);
      if (value !== 'true' && value !== 'false') throw ErrInvalidParam.wrap(`${name} ${JSON.stringify(value)}: expected true or false`);
      await keeper.setParams(ctx, { ...(await keeper.getParams(ctx)), defaultSendEnabled: value === 'true' });
    },
  };
}

/**
 * auth's parameters as a gov `ParamSpace` (decimal strings). The ante handler reads them
 * from state for every tx (app/tx/ante.ts), so a change applies from the next tx.
 * Upper bounds keep a proposal from making every tx — gov's own included — too expensive
 * or impossible to sign, which no later proposal could undo.
 */
import type { ParamSpace } from '../../app/chain/module.js';
import type { AuthKeeper } from './keeper.js';
import type { AuthParams } from './params.js';
import { ErrInvalidParam, ErrUnknownParam } from './errors.js';

/** name → [field, min, max] (inclusive). */
const SPECS: Record<string, [keyof AuthParams, bigint, bigint]> = {
  max_memo_characters: ['maxMemoCharacters', 1n, 65_536n],
  tx_sig_limit: ['txSigLimit', 1n, 100n],
  tx_size_cost_per_byte: ['txSizeCostPerByte', 1n, 1_000n],
  sig_verify_cost_ed25519: ['sigVerifyCostEd25519', 1n, 100_000n],
  sig_verify_cost_secp256k1: ['sigVerifyCostSecp256k1', 1n, 100_000n],
};

export const AUTH_PARAM_NAMES = Object.keys(SPECS);

function spec(name: string): [keyof AuthParams, bigint, bigint] {
  const s = SPECS[name];
  if (!s) throw ErrUnknownParam.wrap(`auth has no parameter ${JSON.stringify(name)} (known: ${AUTH_PARAM_NAMES.join(', ')})`);
  return s;
}

export function authParamSpace(keeper: AuthKeeper): ParamSpace {
  return {
    names: () => [...AUTH_PARAM_NAMES],
    async get(ctx, name) {
      return (await keeper.getParams(ctx))[spec(name)[0]].toString();
    },
    async set(ctx, name, value) {
      const [field, min, max] = spec(name);
      if (!/^(0|[1-9][0-9]{0,18})$/.test(value) || BigInt(value) < min || BigInt(value) > max) {
        throw ErrInvalidParam.wrap(`${name} ${JSON.stringify(value)}: expected an integer from ${min} to ${max}`);
      }
      await keeper.setParams(ctx, { ...(await keeper.getParams(ctx)), [field]: BigInt(value) });
    },
  };
}

import type { ParamSpace } from '../../app/chain/module.js';
import { ErrInvalidParams, ErrUnknownParam } from './errors.js';
import type { GovKeeper } from './keeper.js';
import { GOV_PARAMS, GOV_PARAM_NAMES, formatGovParam, withGovParam } from './params.js';

/** Gov's own parameters, changeable by ParameterChange like any other module's. */
export function govParamSpace(keeper: GovKeeper): ParamSpace {
  const known = (name: string) => {
    if (!GOV_PARAMS[name]) throw ErrUnknownParam.wrap(`gov has no parameter ${JSON.stringify(name)} (it has: ${GOV_PARAM_NAMES.join(', ')})`);
  };
  return {
    names: () => [...GOV_PARAM_NAMES],
    async get(ctx, name) {
      known(name);
      return formatGovParam(await keeper.getParams(ctx), name);
    },
    async set(ctx, name, value) {
      known(name);
      const r = withGovParam(await keeper.getParams(ctx), name, value);
      if ('problem' in r) throw ErrInvalidParams.wrap(r.problem);
      await keeper.setParams(ctx, r.params);
    },
  };
}

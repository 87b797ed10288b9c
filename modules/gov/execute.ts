/**
 * Running a passed proposal. Each runs on a write cache of the state: if it throws (a stale
 * parameter old value, an empty treasury, …) nothing it wrote is kept and the proposal is
 * marked FAILED with the reason; otherwise its writes and events are kept.
 */
import { EmergencyAction, type Proposal } from '../../proto/gen/guts/gov/v1/gov.js';
import { EventManager, type Context } from '../../app/chain/context.js';
import { formatCoins } from '../../app/chain/coins.js';
import { abciError } from '../../app/errors.js';
import { createCacheKV } from '../../app/store/index.js';
import type { GovDeps } from './deps.js';
import { ErrInvalidProposalContent, ErrInvalidUpgrade, ErrStaleParamValue, ErrUnknownModule, ErrUnknownParam } from './errors.js';
import { TREASURY } from './keeper.js';

export async function executeProposal(deps: GovDeps, ctx: Context, p: Proposal): Promise<{ ok: true } | { ok: false; reason: string }> {
  const store = createCacheKV(ctx.store);
  const events = new EventManager();
  try {
    await run(deps, { ...ctx, store, events }, p);
  } catch (err) {
    return { ok: false, reason: abciError(err).log };
  }
  await store.write();
  ctx.events.append(events.events);
  return { ok: true };
}

async function run(deps: GovDeps, ctx: Context, p: Proposal): Promise<void> {
  const c = p.content!;
  const id = p.id.toString();
  if (c.parameterChange) {
    const { module, parameter, oldValue, newValue } = c.parameterChange;
    const space = deps.modules.paramSpace(module);
    if (!space) throw ErrUnknownModule.wrap(`module ${JSON.stringify(module)} has no governable parameters`);
    if (!space.names().includes(parameter)) throw ErrUnknownParam.wrap(`module ${module} has no parameter ${JSON.stringify(parameter)}`);
    const current = await space.get(ctx, parameter);
    if (current !== oldValue) throw ErrStaleParamValue.wrap(`${module}.${parameter} is now ${JSON.stringify(current)}, the proposal expected ${JSON.stringify(oldValue)}`);
    await space.set(ctx, parameter, newValue);
    ctx.events.emit('parameter_change', { proposal_id: id, module, parameter, old_value: oldValue, new_value: newValue });
  } else if (c.protocolUpgrade) {
    const u = c.protocolUpgrade;
    if (u.activationHeight <= BigInt(ctx.height)) throw ErrInvalidUpgrade.wrap(`activation_height ${u.activationHeight} has passed (height ${ctx.height})`);
    if ((await deps.keeper.appliedUpgrades(ctx)).some((a) => a.name === u.name)) throw ErrInvalidUpgrade.wrap(`upgrade ${u.name} was already applied`);
    // as cosmos-sdk x/upgrade: a newer plan replaces a scheduled one
    const replaced = await deps.keeper.getUpgradePlan(ctx);
    await deps.keeper.setUpgradePlan(ctx, { name: u.name, version: u.version, height: u.activationHeight, info: u.info, proposalId: p.id });
    ctx.events.emit('upgrade_scheduled', { proposal_id: id, name: u.name, version: u.version, height: u.activationHeight.toString(), replaced: replaced?.name ?? '' });
  } else if (c.emergency) {
    const e = c.emergency;
    if (e.action === EmergencyAction.EMERGENCY_ACTION_PAUSE_MODULE) {
      if (!deps.modules.hasMsgs(e.module)) throw ErrUnknownModule.wrap(`no module named ${JSON.stringify(e.module)} handles messages`);
      await deps.keeper.setPaused(ctx, { module: e.module, proposalId: p.id });
      ctx.events.emit('module_paused', { proposal_id: id, module: e.module });
    } else if (e.action === EmergencyAction.EMERGENCY_ACTION_RESUME_MODULE) {
      if (!(await deps.keeper.getPaused(ctx, e.module))) throw ErrInvalidProposalContent.wrap(`module ${e.module} is not paused`);
      await deps.keeper.deletePaused(ctx, e.module);
      ctx.events.emit('module_resumed', { proposal_id: id, module: e.module });
    } else {
      await deps.staking.jail(ctx, e.validator);
      ctx.events.emit('validator_jailed_by_gov', { proposal_id: id, validator: e.validator });
    }
  } else if (c.treasurySpend) {
    const t = c.treasurySpend;
    await deps.bank.sendCoinsFromModuleToAccount(ctx, TREASURY, t.recipient, t.amount);
    ctx.events.emit('treasury_spend', { proposal_id: id, recipient: t.recipient, amount: formatCoins(t.amount) });
  } else {
    throw ErrInvalidProposalContent.wrap('proposal has no content');
  }
}

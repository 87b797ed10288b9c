/**
 * Submitting a proposal: who may (an active validator holding `proposal_threshold`), the
 * stateful checks of its content, the deposit, and the voting queue entry.
 */
import { EmergencyAction, ProposalStatus, type Proposal, type ProposalContent } from '../../proto/gen/guts/gov/v1/gov.js';
import type { MsgSubmitProposal } from '../../proto/gen/guts/gov/v1/tx.js';
import type { Context } from '../../app/chain/context.js';
import { formatCoins } from '../../app/chain/coins.js';
import { createCacheKV } from '../../app/store/index.js';
import { EventManager } from '../../app/chain/context.js';
import { contentKind } from './content.js';
import type { GovDeps } from './deps.js';
import { ErrInsufficientStake, ErrInvalidUpgrade, ErrNotActiveValidator, ErrStaleParamValue, ErrUnknownModule, ErrUnknownParam } from './errors.js';
import { MODULE } from './keeper.js';
import type { GovParams } from './params.js';
import { addSeconds } from './time.js';

export async function submitProposal(deps: GovDeps, ctx: Context, msg: MsgSubmitProposal): Promise<bigint> {
  const { keeper, staking, bank } = deps;
  const params = await keeper.getParams(ctx);
  const validator = await staking.bondedValidator(ctx, msg.proposer);
  if (!validator) throw ErrNotActiveValidator.wrap(`proposer ${msg.proposer} does not operate a validator in the active set`);
  if (validator.power < params.proposalThreshold) {
    throw ErrInsufficientStake.wrap(`proposer's validator has ${validator.power} bonded, proposal_threshold is ${params.proposalThreshold}`);
  }
  const content = msg.content!;
  await checkContent(deps, ctx, content);

  const id = await keeper.getNextProposalId(ctx);
  await keeper.setNextProposalId(ctx, id + 1n);
  const emergency = contentKind(content) === 'emergency';
  const votingEnd = addSeconds(ctx.time, emergency ? params.emergencyVotingPeriod : params.votingPeriod);
  const proposal: Proposal = {
    id,
    proposer: msg.proposer,
    title: msg.title,
    description: msg.description,
    content,
    status: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
    statusReason: '',
    submitHeight: BigInt(ctx.height),
    submitTime: ctx.time,
    votingEndTime: votingEnd,
    executionTime: undefined,
    finalTally: undefined,
    deposit: params.minDeposit,
  };
  await bank.sendCoinsFromAccountToModule(ctx, msg.proposer, MODULE, params.minDeposit);
  await keeper.setProposal(ctx, proposal);
  await keeper.enqueue(ctx, 'voting', votingEnd, id);
  ctx.events.emit('submit_proposal', {
    proposal_id: id.toString(),
    proposal_type: contentKind(content)!,
    proposer: msg.proposer,
    deposit: formatCoins(params.minDeposit),
    voting_end_time: votingEnd.seconds.toString(),
  });
  return id;
}

/** Checks that depend on state; run at submission, and again (where state may have moved) at execution. */
export async function checkContent(deps: GovDeps, ctx: Context, c: ProposalContent): Promise<void> {
  if (c.parameterChange) {
    const p = c.parameterChange;
    await checkParamChange(deps, ctx, p.module, p.parameter, p.oldValue, p.newValue);
  } else if (c.protocolUpgrade) {
    const u = c.protocolUpgrade;
    if (u.activationHeight <= BigInt(ctx.height)) throw ErrInvalidUpgrade.wrap(`activation_height ${u.activationHeight} is not after the current height ${ctx.height}`);
    const applied = await deps.keeper.appliedUpgrades(ctx);
    if (applied.some((a) => a.name === u.name)) throw ErrInvalidUpgrade.wrap(`upgrade ${u.name} was already applied`);
  } else if (c.emergency) {
    const e = c.emergency;
    if (e.action === EmergencyAction.EMERGENCY_ACTION_JAIL_VALIDATOR) {
      if (!(await deps.staking.bondedValidator(ctx, e.validator))) throw ErrNotActiveValidator.wrap(`${e.validator} does not operate a validator in the active set`);
    } else {
      if (e.module === MODULE) throw ErrUnknownModule.wrap('gov cannot pause its own messages: nothing could resume them');
      if (!deps.modules.hasMsgs(e.module)) throw ErrUnknownModule.wrap(`no module named ${JSON.stringify(e.module)} handles messages`);
    }
  }
}

/**
 * The module must expose the parameter, its current value must equal `oldValue`, and the
 * module must accept `newValue` (tried on a throw-away cache of the state).
 */
export async function checkParamChange(deps: GovDeps, ctx: Context, module: string, parameter: string, oldValue: string, newValue: string): Promise<void> {
  const space = deps.modules.paramSpace(module);
  if (!space) throw ErrUnknownModule.wrap(`module ${JSON.stringify(module)} has no governable parameters`);
  if (!space.names().includes(parameter)) throw ErrUnknownParam.wrap(`module ${module} has no parameter ${JSON.stringify(parameter)} (it has: ${space.names().join(', ')})`);
  const current = await space.get(ctx, parameter);
  if (current !== oldValue) throw ErrStaleParamValue.wrap(`${module}.${parameter} is ${JSON.stringify(current)}, the proposal expects ${JSON.stringify(oldValue)}`);
  const scratch = { ...ctx, store: createCacheKV(ctx.store), events: new EventManager() };
  await space.set(scratch, parameter, newValue);
}

export function votingThresholds(p: GovParams, content: ProposalContent | undefined) {
  const emergency = contentKind(content) === 'emergency';
  return { quorumBps: p.quorumBps, approvalBps: emergency ? p.emergencyApprovalBps : p.approvalBps, vetoBps: p.vetoBps };
}

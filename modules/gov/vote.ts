/** Votes during the voting period, and the time-lock veto of queued proposals. */
import { ProposalStatus, type Proposal } from '../../proto/gen/guts/gov/v1/gov.js';
import type { MsgVeto, MsgVote } from '../../proto/gen/guts/gov/v1/tx.js';
import type { Context } from '../../app/chain/context.js';
import type { GovDeps } from './deps.js';
import type { ReadContext } from './expected.js';
import { OPTION_NAMES } from './json.js';
import { ErrAlreadyVetoed, ErrInactiveProposal, ErrNoVotingPower, ErrNotActiveValidator, ErrNotInTimelock, ErrUnknownProposal } from './errors.js';
import { notAfter } from './time.js';
import { countVote } from './share-sums.js';

async function mustGet(deps: GovDeps, ctx: ReadContext, id: bigint): Promise<Proposal> {
  const p = await deps.keeper.getProposal(ctx, id);
  if (!p) throw ErrUnknownProposal.wrap(`no proposal ${id}`);
  return p;
}

/** A voter needs bonded power: its own validator's, or delegations to bonded validators. */
async function hasVotingPower(deps: GovDeps, ctx: ReadContext, voter: string): Promise<boolean> {
  if (await deps.staking.bondedValidator(ctx, voter)) return true;
  for (const d of await deps.staking.delegationsOf(ctx, voter)) {
    if (d.amount > 0n && (await deps.staking.bondedValidator(ctx, d.validator))) return true;
  }
  return false;
}

export async function castVote(deps: GovDeps, ctx: Context, msg: MsgVote): Promise<void> {
  const p = await mustGet(deps, ctx, msg.proposalId);
  if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD || notAfter(p.votingEndTime!, ctx.time)) {
    throw ErrInactiveProposal.wrap(`proposal ${p.id} is not in its voting period`);
  }
  if (!(await hasVotingPower(deps, ctx, msg.voter))) {
    throw ErrNoVotingPower.wrap(`${msg.voter} neither operates a bonded validator nor delegates to one`);
  }
  const previous = await deps.keeper.getVote(ctx, p.id, msg.voter);
  await deps.keeper.setVote(ctx, { proposalId: p.id, voter: msg.voter, option: msg.option });
  await countVote(deps, ctx, p.id, msg.voter, msg.option, previous?.option);
  ctx.events.emit('proposal_vote', { proposal_id: p.id.toString(), voter: msg.voter, option: OPTION_NAMES[msg.option] });
}

/** Stake of the validators that vetoed so far, at their current bonded power (a validator that left the set no longer counts). */
export async function timelockVetoPower(deps: GovDeps, ctx: ReadContext, id: bigint): Promise<bigint> {
  let power = 0n;
  for await (const v of deps.keeper.vetoes(ctx, id)) power += (await deps.staking.bondedValidator(ctx, v.validator))?.power ?? 0n;
  return power;
}

/** Returns true when this veto brought the vetoing stake to the threshold and cancelled the proposal. */
export async function castVeto(deps: GovDeps, ctx: Context, msg: MsgVeto): Promise<boolean> {
  const { keeper, staking } = deps;
  const p = await mustGet(deps, ctx, msg.proposalId);
  if (p.status !== ProposalStatus.PROPOSAL_STATUS_QUEUED || notAfter(p.executionTime!, ctx.time)) {
    throw ErrNotInTimelock.wrap(`proposal ${p.id} is not waiting for execution`);
  }
  if (!(await staking.bondedValidator(ctx, msg.validator))) throw ErrNotActiveValidator.wrap(`${msg.validator} does not operate a validator in the active set`);
  if (await keeper.hasVeto(ctx, p.id, msg.validator)) throw ErrAlreadyVetoed.wrap(`${msg.validator} already vetoed proposal ${p.id}`);
  await keeper.setVeto(ctx, { proposalId: p.id, validator: msg.validator });
  ctx.events.emit('proposal_veto', { proposal_id: p.id.toString(), validator: msg.validator });

  const params = await keeper.getParams(ctx);
  const power = await timelockVetoPower(deps, ctx, p.id);
  const total = await staking.totalBondedPower(ctx);
  if (total === 0n || power * 10_000n < params.timelockVetoBps * total) return false;
  await keeper.dequeue(ctx, 'exec', p.executionTime!, p.id);
  p.status = ProposalStatus.PROPOSAL_STATUS_VETOED;
  p.statusReason = `cancelled in the time-lock by validators holding ${power} of ${total} bonded stake (${params.timelockVetoBps} bp needed)`;
  await keeper.setProposal(ctx, p);
  ctx.events.emit('proposal_vetoed', { proposal_id: p.id.toString(), veto_power: power.toString(), total_bonded: total.toString() });
  return true;
}

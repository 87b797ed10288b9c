/**
 * EndBlock: tally the proposals whose voting period ended (block time), settle deposits,
 * queue passed ones behind the time-lock (Emergency ones run at once), then run the queued
 * proposals whose execution time has come.
 */
import { ProposalStatus, type Proposal } from '../../proto/gen/guts/gov/v1/gov.js';
import type { Context } from '../../app/chain/context.js';
import { contentKind } from './content.js';
import type { GovDeps } from './deps.js';
import type { ReadContext } from './expected.js';
import { executeProposal } from './execute.js';
import { MODULE } from './keeper.js';
import { votingThresholds } from './proposal.js';
import { computeTally, decide, tallyFromSums, type Tally, type TallyVote } from './tally.js';
import type { VoteOption } from '../../proto/gen/guts/gov/v1/gov.js';
import { addSeconds } from './time.js';

/**
 * The tally if voting ended now, stake as staking reports it at this height: from the
 * proposal's share sums and the bonded validators' own votes — one record each per bonded
 * validator, however many delegators voted (issue 4: a tally within 10% of a block).
 */
export async function currentTally(deps: GovDeps, ctx: ReadContext, id: bigint): Promise<Tally> {
  const validators = await deps.staking.bondedValidators(ctx);
  const total = validators.reduce((s, v) => s + v.power, 0n);
  if (await deps.keeper.shareSumsStale(ctx)) return recountTally(deps, ctx, id);
  const own = new Map<string, VoteOption>();
  for (const v of validators) {
    const vote = await deps.keeper.getVote(ctx, id, v.operator);
    if (vote) own.set(v.operator, vote.option);
  }
  return tallyFromSums(validators, own, await deps.keeper.shareSums(ctx, id), total);
}

/** The tally recounted from every vote and delegation (before the sums are rebuilt after an import). */
export async function recountTally(deps: GovDeps, ctx: ReadContext, id: bigint): Promise<Tally> {
  const validators = await deps.staking.bondedValidators(ctx);
  const votes: TallyVote[] = [];
  for await (const v of deps.keeper.votes(ctx, id)) votes.push({ voter: v.voter, option: v.option, delegations: await deps.staking.delegationSharesOf(ctx, v.voter) });
  return computeTally(validators, votes, validators.reduce((s, v) => s + v.power, 0n));
}

export function tallyToProto(t: Tally) {
  return { yes: t.yes.toString(), abstain: t.abstain.toString(), no: t.no.toString(), noWithVeto: t.noWithVeto.toString(), totalBonded: t.totalBonded.toString() };
}

export async function govEndBlock(deps: GovDeps, ctx: Context): Promise<void> {
  const { keeper } = deps;
  for (const id of await keeper.due(ctx, 'voting', ctx.time)) {
    const p = await keeper.getProposal(ctx, id);
    if (!p) continue;
    await keeper.dequeue(ctx, 'voting', p.votingEndTime!, id);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) await endVoting(deps, ctx, p);
  }
  for (const id of await keeper.due(ctx, 'exec', ctx.time)) {
    const p = await keeper.getProposal(ctx, id);
    if (!p) continue;
    await keeper.dequeue(ctx, 'exec', p.executionTime!, id);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_QUEUED) await execute(deps, ctx, p);
  }
}

async function endVoting(deps: GovDeps, ctx: Context, p: Proposal): Promise<void> {
  const params = await deps.keeper.getParams(ctx);
  const tally = await currentTally(deps, ctx, p.id);
  await deps.keeper.clearShareSums(ctx, p.id);
  const outcome = decide(tally, votingThresholds(params, p.content));
  p.finalTally = tallyToProto(tally);
  if (!outcome.passed && outcome.burnDeposit) await deps.bank.burnCoins(ctx, MODULE, p.deposit);
  else await deps.bank.sendCoinsFromModuleToAccount(ctx, MODULE, p.proposer, p.deposit);
  const id = p.id.toString();
  if (!outcome.passed) {
    p.status = ProposalStatus.PROPOSAL_STATUS_REJECTED;
    p.statusReason = outcome.reason;
    await deps.keeper.setProposal(ctx, p);
    ctx.events.emit('proposal_rejected', { proposal_id: id, reason: outcome.reason, deposit_burned: String(outcome.burnDeposit) });
    return;
  }
  if (contentKind(p.content) === 'emergency') {
    // Emergency: no time-lock (issue #4)
    p.executionTime = ctx.time;
    await execute(deps, ctx, p);
    return;
  }
  p.status = ProposalStatus.PROPOSAL_STATUS_QUEUED;
  p.executionTime = addSeconds(ctx.time, params.executionDelay);
  await deps.keeper.setProposal(ctx, p);
  await deps.keeper.enqueue(ctx, 'exec', p.executionTime, p.id);
  ctx.events.emit('proposal_passed', { proposal_id: id, execution_time: p.executionTime.seconds.toString() });
}

async function execute(deps: GovDeps, ctx: Context, p: Proposal): Promise<void> {
  const result = await executeProposal(deps, ctx, p);
  p.status = result.ok ? ProposalStatus.PROPOSAL_STATUS_EXECUTED : ProposalStatus.PROPOSAL_STATUS_FAILED;
  p.statusReason = result.ok ? '' : result.reason;
  await deps.keeper.setProposal(ctx, p);
  ctx.events.emit(result.ok ? 'proposal_executed' : 'proposal_failed', { proposal_id: p.id.toString(), ...(result.ok ? {} : { reason: result.reason }) });
}

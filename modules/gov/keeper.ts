/**
 * x/gov keeper: owns the `gov/` prefix and nothing else (STYLE.md). Records are guts.gov.v1
 * protobuf; ids and times in keys are 8-byte big-endian, so iteration runs in id and time
 * order. The voting and execution queues are indexes derived from the proposals.
 */
import { Params as ParamsProto, PausedModule, Proposal, TallyResult, TimelockVeto, UpgradePlan, AppliedUpgrade, Vote } from '../../proto/gen/guts/gov/v1/gov.js';
import type { Context } from '../../app/chain/context.js';
import { addressBytes, bech32Address } from '../../app/chain/address.js';
import { readUint64BE, stateKey, uint64BE } from '../../app/chain/keys.js';
import type { ReadContext } from './expected.js';
import type { GovParams } from './params.js';
import { emptySums, type ShareSums } from './tally.js';
import { toNanos } from './time.js';

export const MODULE = 'gov';
/** The community pool: the bank balance of this module account. */
export const TREASURY = 'treasury';

const PARAMS_KEY = stateKey(MODULE, 'params');
const NEXT_ID_KEY = stateKey(MODULE, 'next_id');
const PROPOSALS = stateKey(MODULE, 'proposals');
const VOTES = stateKey(MODULE, 'votes');
const VETOES = stateKey(MODULE, 'vetoes');
const VOTING_QUEUE = stateKey(MODULE, 'voting_queue');
const EXEC_QUEUE = stateKey(MODULE, 'exec_queue');
const PAUSED = stateKey(MODULE, 'paused');
const PLAN_KEY = stateKey(MODULE, 'upgrade_plan');
const APPLIED = stateKey(MODULE, 'applied_upgrades');
/** Present while the share sums must be rebuilt from the votes (after a genesis import). */
const SUMS_STALE_KEY = stateKey(MODULE, 'share_sums_stale');

const proposalKey = (id: bigint) => stateKey(MODULE, 'proposals', uint64BE(id));
const votesPrefix = (id: bigint) => stateKey(MODULE, 'votes', uint64BE(id));
const voteKey = (id: bigint, voter: string) => stateKey(MODULE, 'votes', uint64BE(id), addressBytes(voter));
const vetoesPrefix = (id: bigint) => stateKey(MODULE, 'vetoes', uint64BE(id));
const vetoKey = (id: bigint, validator: string) => stateKey(MODULE, 'vetoes', uint64BE(id), addressBytes(validator));
const sharesPrefix = (id: bigint) => stateKey(MODULE, 'share_sums', uint64BE(id));
const sharesKey = (id: bigint, validator: string) => stateKey(MODULE, 'share_sums', uint64BE(id), addressBytes(validator));
const pausedKey = (module: string) => stateKey(MODULE, 'paused', module);
const appliedKey = (height: bigint) => stateKey(MODULE, 'applied_upgrades', uint64BE(height));

type QueueName = 'voting' | 'exec';
const queuePrefix = (q: QueueName) => (q === 'voting' ? VOTING_QUEUE : EXEC_QUEUE);
const queueKey = (q: QueueName, atNanos: bigint, id: bigint) => stateKey(MODULE, q === 'voting' ? 'voting_queue' : 'exec_queue', uint64BE(atNanos), uint64BE(id));

export function paramsToProto(p: GovParams): ParamsProto {
  return {
    votingPeriod: p.votingPeriod,
    emergencyVotingPeriod: p.emergencyVotingPeriod,
    executionDelay: p.executionDelay,
    proposalThreshold: p.proposalThreshold.toString(),
    minDeposit: p.minDeposit,
    quorumBps: p.quorumBps,
    approvalBps: p.approvalBps,
    vetoBps: p.vetoBps,
    emergencyApprovalBps: p.emergencyApprovalBps,
    timelockVetoBps: p.timelockVetoBps,
  };
}

export function paramsFromProto(p: ParamsProto): GovParams {
  return { ...p, proposalThreshold: BigInt(p.proposalThreshold || '0') };
}

function sumsFromProto(t: TallyResult): ShareSums {
  const n = (x: string) => (x === '' ? 0n : BigInt(x));
  return { yes: n(t.yes), abstain: n(t.abstain), no: n(t.no), noWithVeto: n(t.noWithVeto) };
}

export class GovKeeper {
  async getParams(ctx: ReadContext): Promise<GovParams> {
    const raw = await ctx.store.get(PARAMS_KEY);
    if (!raw) throw new Error('gov params missing from state: the chain was not initialised from genesis');
    return paramsFromProto(ParamsProto.decode(raw));
  }

  async setParams(ctx: Context, p: GovParams): Promise<void> {
    await ctx.store.set(PARAMS_KEY, ParamsProto.encode(paramsToProto(p)).finish());
  }

  async getNextProposalId(ctx: ReadContext): Promise<bigint> {
    const raw = await ctx.store.get(NEXT_ID_KEY);
    return raw ? readUint64BE(raw) : 1n;
  }

  async setNextProposalId(ctx: Context, id: bigint): Promise<void> {
    await ctx.store.set(NEXT_ID_KEY, uint64BE(id));
  }

  async getProposal(ctx: ReadContext, id: bigint): Promise<Proposal | undefined> {
    const raw = await ctx.store.get(proposalKey(id));
    return raw ? Proposal.decode(raw) : undefined;
  }

  async setProposal(ctx: Context, p: Proposal): Promise<void> {
    await ctx.store.set(proposalKey(p.id), Proposal.encode(p).finish());
  }

  /** Proposals in id order, from `startId` on. */
  async *proposals(ctx: ReadContext, startId = 0n): AsyncIterable<Proposal> {
    const start = startId > 0n ? proposalKey(startId) : undefined;
    for await (const [, v] of ctx.store.iterate(PROPOSALS, start ? { start } : undefined)) yield Proposal.decode(v);
  }

  async getVote(ctx: ReadContext, id: bigint, voter: string): Promise<Vote | undefined> {
    const raw = await ctx.store.get(voteKey(id, voter));
    return raw ? Vote.decode(raw) : undefined;
  }

  async setVote(ctx: Context, v: Vote): Promise<void> {
    await ctx.store.set(voteKey(v.proposalId, v.voter), Vote.encode(v).finish());
  }

  /** A proposal's votes in voter address-byte order. */
  async *votes(ctx: ReadContext, id: bigint): AsyncIterable<Vote> {
    for await (const [, v] of ctx.store.iterate(votesPrefix(id))) yield Vote.decode(v);
  }

  /** Every vote of every proposal (genesis export), by proposal id then voter. */
  async *allVotes(ctx: ReadContext): AsyncIterable<Vote> {
    for await (const [, v] of ctx.store.iterate(VOTES)) yield Vote.decode(v);
  }

  async hasVeto(ctx: ReadContext, id: bigint, validator: string): Promise<boolean> {
    return (await ctx.store.get(vetoKey(id, validator))) !== undefined;
  }

  async setVeto(ctx: Context, v: TimelockVeto): Promise<void> {
    await ctx.store.set(vetoKey(v.proposalId, v.validator), TimelockVeto.encode(v).finish());
  }

  async *vetoes(ctx: ReadContext, id: bigint): AsyncIterable<TimelockVeto> {
    for await (const [, v] of ctx.store.iterate(vetoesPrefix(id))) yield TimelockVeto.decode(v);
  }

  async *allVetoes(ctx: ReadContext): AsyncIterable<TimelockVeto> {
    for await (const [, v] of ctx.store.iterate(VETOES)) yield TimelockVeto.decode(v);
  }

  async enqueue(ctx: Context, q: QueueName, at: { seconds: bigint; nanos: number }, id: bigint): Promise<void> {
    await ctx.store.set(queueKey(q, toNanos(at), id), uint64BE(id));
  }

  async dequeue(ctx: Context, q: QueueName, at: { seconds: bigint; nanos: number }, id: bigint): Promise<void> {
    await ctx.store.delete(queueKey(q, toNanos(at), id));
  }

  /** Ids queued at or before `now`, in time then id order (collected first: callers dequeue while handling them). */
  async due(ctx: ReadContext, q: QueueName, now: { seconds: bigint; nanos: number }): Promise<bigint[]> {
    const end = queueKey(q, toNanos(now) + 1n, 0n);
    const ids: bigint[] = [];
    for await (const [, v] of ctx.store.iterate(queuePrefix(q), { end })) ids.push(readUint64BE(v));
    return ids;
  }

  // per proposal in its voting period, per validator: the delegator shares voted per option
  // (TallyResult record; total_bonded unused). Derived from the votes: not in genesis.

  async getShareSums(ctx: ReadContext, id: bigint, validator: string): Promise<ShareSums> {
    const raw = await ctx.store.get(sharesKey(id, validator));
    return raw ? sumsFromProto(TallyResult.decode(raw)) : emptySums();
  }

  async setShareSums(ctx: Context, id: bigint, validator: string, s: ShareSums): Promise<void> {
    if (s.yes === 0n && s.abstain === 0n && s.no === 0n && s.noWithVeto === 0n) await ctx.store.delete(sharesKey(id, validator));
    else await ctx.store.set(sharesKey(id, validator), TallyResult.encode({ yes: s.yes.toString(), abstain: s.abstain.toString(), no: s.no.toString(), noWithVeto: s.noWithVeto.toString(), totalBonded: '' }).finish());
  }

  /** The share sums of a proposal by validator operator (one record per validator its voters delegate to). */
  async shareSums(ctx: ReadContext, id: bigint): Promise<Map<string, ShareSums>> {
    const out = new Map<string, ShareSums>();
    const prefix = sharesPrefix(id);
    for await (const [k, v] of ctx.store.iterate(prefix)) out.set(bech32Address(k.subarray(prefix.length)), sumsFromProto(TallyResult.decode(v)));
    return out;
  }

  async clearShareSums(ctx: Context, id: bigint): Promise<void> {
    const keys: Uint8Array[] = [];
    for await (const [k] of ctx.store.iterate(sharesPrefix(id))) keys.push(k);
    for (const k of keys) await ctx.store.delete(k);
  }

  async shareSumsStale(ctx: ReadContext): Promise<boolean> {
    return (await ctx.store.get(SUMS_STALE_KEY)) !== undefined;
  }

  async setShareSumsStale(ctx: Context, stale: boolean): Promise<void> {
    if (stale) await ctx.store.set(SUMS_STALE_KEY, Uint8Array.of(1));
    else await ctx.store.delete(SUMS_STALE_KEY);
  }

  /** Ids of the proposals in their voting period (the voting queue), in end-time order. */
  async votingIds(ctx: ReadContext): Promise<bigint[]> {
    const ids: bigint[] = [];
    for await (const [, v] of ctx.store.iterate(VOTING_QUEUE)) ids.push(readUint64BE(v));
    return ids;
  }

  async getPaused(ctx: ReadContext, module: string): Promise<PausedModule | undefined> {
    const raw = await ctx.store.get(pausedKey(module));
    return raw ? PausedModule.decode(raw) : undefined;
  }

  async setPaused(ctx: Context, p: PausedModule): Promise<void> {
    await ctx.store.set(pausedKey(p.module), PausedModule.encode(p).finish());
  }

  async deletePaused(ctx: Context, module: string): Promise<void> {
    await ctx.store.delete(pausedKey(module));
  }

  async *pausedModules(ctx: ReadContext): AsyncIterable<PausedModule> {
    for await (const [, v] of ctx.store.iterate(PAUSED)) yield PausedModule.decode(v);
  }

  async getUpgradePlan(ctx: ReadContext): Promise<UpgradePlan | undefined> {
    const raw = await ctx.store.get(PLAN_KEY);
    return raw ? UpgradePlan.decode(raw) : undefined;
  }

  async setUpgradePlan(ctx: Context, p: UpgradePlan): Promise<void> {
    await ctx.store.set(PLAN_KEY, UpgradePlan.encode(p).finish());
  }

  async clearUpgradePlan(ctx: Context): Promise<void> {
    await ctx.store.delete(PLAN_KEY);
  }

  async addAppliedUpgrade(ctx: Context, a: AppliedUpgrade): Promise<void> {
    await ctx.store.set(appliedKey(a.height), AppliedUpgrade.encode(a).finish());
  }

  /** Applied upgrades in height order. */
  async appliedUpgrades(ctx: ReadContext): Promise<AppliedUpgrade[]> {
    const out: AppliedUpgrade[] = [];
    for await (const [, v] of ctx.store.iterate(APPLIED)) out.push(AppliedUpgrade.decode(v));
    return out;
  }

  async lastAppliedUpgrade(ctx: ReadContext): Promise<AppliedUpgrade | undefined> {
    for await (const [, v] of ctx.store.iterate(APPLIED, { reverse: true, limit: 1 })) return AppliedUpgrade.decode(v);
    return undefined;
  }
}

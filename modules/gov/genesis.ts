/**
 * Gov genesis: parameters (as the same strings ParameterChange uses), proposals with their
 * status and tallies, votes, time-lock vetoes, paused modules and upgrades. The voting and
 * execution queues are not listed: they are rebuilt from the proposals.
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import {
  ProposalStatus,
  type AppliedUpgrade,
  type PausedModule,
  type Proposal,
  type ProposalContent,
  type TallyResult,
  type TimelockVeto,
  type UpgradePlan,
  type Vote,
} from '../../proto/gen/guts/gov/v1/gov.js';
import type { Context } from '../../app/chain/context.js';
import { addressBytes } from '../../app/chain/address.js';
import { parseAmount, validateCoins } from '../../app/chain/coins.js';
import { GenesisError, expectArray, expectObject, expectString, expectUint, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import { parseRfc3339 } from '../../genesis/time.js';
import { validateContent, validateMetadata } from './content.js';
import type { GovKeeper } from './keeper.js';
import type { ShareSums } from './tally.js';
import { GOV_PARAM_NAMES, defaultGovParams, govParamsFromStrings, govParamsToJson, type GovParams } from './params.js';
import { ACTION_NAMES, OPTION_NAMES, STATUS_NAMES, VOTE_OPTIONS, proposalToJson } from './json.js';

export interface GovGenesis {
  params: GovParams;
  nextProposalId: bigint;
  proposals: Proposal[];
  votes: Vote[];
  timelockVetoes: TimelockVeto[];
  pausedModules: PausedModule[];
  upgradePlan: UpgradePlan | undefined;
  appliedUpgrades: AppliedUpgrade[];
  /**
   * The tally's share sums of the proposals in their voting period (share-sums.ts), as
   * exported; undefined (key absent) in a hand-written genesis: then they are rebuilt from
   * the votes in the first block.
   */
  shareSums?: GenesisShareSums[];
}

export interface GenesisShareSums extends ShareSums {
  proposalId: bigint;
  validator: string;
}

export function defaultGovGenesis(): GovGenesis {
  return { params: defaultGovParams(), nextProposalId: 1n, proposals: [], votes: [], timelockVetoes: [], pausedModules: [], upgradePlan: undefined, appliedUpgrades: [] };
}

function fromName<T>(table: [T, string][], raw: unknown, path: string): T {
  const s = expectString(raw, path);
  const hit = table.find(([, n]) => n === s);
  if (!hit) throw new GenesisError(path, `expected one of ${table.map(([, n]) => n).join(', ')}, got ${JSON.stringify(s)}`);
  return hit[0];
}

/** Re-throw a registered (CodedError) validation failure as a genesis error at `path`. */
function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof GenesisError) throw e;
    throw new GenesisError(path, (e as Error).message);
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function address(raw: unknown, path: string): string {
  const s = expectString(raw, path);
  at(path, () => addressBytes(s));
  return s;
}

function time(raw: unknown, path: string): Timestamp {
  const t = parseRfc3339(expectString(raw, path));
  if (!t) throw new GenesisError(path, 'expected an RFC 3339 time such as 2026-11-25T00:00:00Z');
  return t;
}

function optionalTime(raw: unknown, path: string): Timestamp | undefined {
  return raw === null || raw === undefined ? undefined : time(raw, path);
}

function coinsFromJson(raw: unknown, path: string): Coin[] {
  const coins = expectArray(raw ?? [], path).map((c, i) => {
    const o = expectObject(c, `${path}[${i}]`);
    rejectUnknownKeys(o, ['denom', 'amount'], `${path}[${i}]`);
    return { denom: expectString(o.denom, `${path}[${i}].denom`), amount: expectString(o.amount, `${path}[${i}].amount`) };
  });
  if (coins.length > 0) at(path, () => validateCoins(coins, path));
  return coins;
}

function paramsFromJson(raw: unknown, path: string): GovParams {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, GOV_PARAM_NAMES, path);
  const values = Object.fromEntries(GOV_PARAM_NAMES.map((n) => [n, expectString(o[n], `${path}.${n}`)]));
  const r = govParamsFromStrings(values);
  if ('problem' in r) throw new GenesisError(`${path}.${r.name}`, r.problem);
  return r.params;
}

function contentFromJson(raw: unknown, path: string): ProposalContent {
  const o = expectObject(raw, path);
  const keys = Object.keys(o);
  if (keys.length !== 1) throw new GenesisError(path, 'expected exactly one of parameter_change, protocol_upgrade, emergency, treasury_spend');
  const kind = keys[0]!;
  const p = `${path}.${kind}`;
  const c: ProposalContent = { parameterChange: undefined, protocolUpgrade: undefined, emergency: undefined, treasurySpend: undefined };
  const b = expectObject(o[kind], p);
  if (kind === 'parameter_change') {
    rejectUnknownKeys(b, ['module', 'parameter', 'old_value', 'new_value'], p);
    c.parameterChange = { module: expectString(b.module, `${p}.module`), parameter: expectString(b.parameter, `${p}.parameter`), oldValue: expectString(b.old_value, `${p}.old_value`), newValue: expectString(b.new_value, `${p}.new_value`) };
  } else if (kind === 'protocol_upgrade') {
    rejectUnknownKeys(b, ['name', 'version', 'activation_height', 'info'], p);
    c.protocolUpgrade = { name: expectString(b.name, `${p}.name`), version: expectString(b.version, `${p}.version`), activationHeight: expectUint(b.activation_height, `${p}.activation_height`), info: expectString(b.info ?? '', `${p}.info`) };
  } else if (kind === 'emergency') {
    rejectUnknownKeys(b, ['action', 'module', 'validator', 'justification'], p);
    c.emergency = { action: fromName(ACTION_NAMES, b.action, `${p}.action`), module: expectString(b.module ?? '', `${p}.module`), validator: expectString(b.validator ?? '', `${p}.validator`), justification: expectString(b.justification, `${p}.justification`) };
  } else if (kind === 'treasury_spend') {
    rejectUnknownKeys(b, ['recipient', 'amount', 'purpose'], p);
    c.treasurySpend = { recipient: expectString(b.recipient, `${p}.recipient`), amount: coinsFromJson(b.amount, `${p}.amount`), purpose: expectString(b.purpose, `${p}.purpose`) };
  } else {
    throw new GenesisError(p, 'unknown proposal type (allowed: parameter_change, protocol_upgrade, emergency, treasury_spend)');
  }
  at(path, () => validateContent(c));
  return c;
}

const TALLY_KEYS = ['yes', 'abstain', 'no', 'no_with_veto', 'total_bonded'];

function tallyFromJson(raw: unknown, path: string): TallyResult | undefined {
  if (raw === null || raw === undefined) return undefined;
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, TALLY_KEYS, path);
  const n = (k: string) => at(`${path}.${k}`, () => parseAmount(expectString(o[k], `${path}.${k}`), k)).toString();
  return { yes: n('yes'), abstain: n('abstain'), no: n('no'), noWithVeto: n('no_with_veto'), totalBonded: n('total_bonded') };
}

const PROPOSAL_KEYS = ['id', 'proposer', 'title', 'description', 'content', 'status', 'status_reason', 'submit_height', 'submit_time', 'voting_end_time', 'execution_time', 'final_tally', 'deposit'];

function proposalFromJson(raw: unknown, path: string): Proposal {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, PROPOSAL_KEYS, path);
  const title = expectString(o.title, `${path}.title`);
  const description = expectString(o.description ?? '', `${path}.description`);
  at(`${path}.title`, () => validateMetadata(title, description));
  const p: Proposal = {
    id: expectUint(o.id, `${path}.id`, { min: 1n }),
    proposer: address(o.proposer, `${path}.proposer`),
    title,
    description,
    content: contentFromJson(o.content, `${path}.content`),
    status: fromName(STATUS_NAMES, o.status, `${path}.status`),
    statusReason: expectString(o.status_reason ?? '', `${path}.status_reason`),
    submitHeight: expectUint(o.submit_height, `${path}.submit_height`),
    submitTime: time(o.submit_time, `${path}.submit_time`),
    votingEndTime: time(o.voting_end_time, `${path}.voting_end_time`),
    executionTime: optionalTime(o.execution_time, `${path}.execution_time`),
    finalTally: tallyFromJson(o.final_tally, `${path}.final_tally`),
    deposit: coinsFromJson(o.deposit, `${path}.deposit`),
  };
  if (p.status === ProposalStatus.PROPOSAL_STATUS_QUEUED && !p.executionTime) throw new GenesisError(`${path}.execution_time`, 'a queued proposal needs its execution time');
  if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && p.finalTally) throw new GenesisError(`${path}.final_tally`, 'a proposal in its voting period has no final tally');
  return p;
}

const byProposalThenAddress = (a: { proposalId: bigint; addr: string }, b: { proposalId: bigint; addr: string }) =>
  a.proposalId !== b.proposalId ? (a.proposalId < b.proposalId ? -1 : 1) : compareBytes(addressBytes(a.addr), addressBytes(b.addr));

export function validateGovGenesis(raw: unknown, path: string): GovGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'next_proposal_id', 'proposals', 'votes', 'timelock_vetoes', 'paused_modules', 'upgrade_plan', 'applied_upgrades', 'share_sums'], path);
  const params = paramsFromJson(o.params, `${path}.params`);
  const nextProposalId = expectUint(o.next_proposal_id ?? '1', `${path}.next_proposal_id`, { min: 1n });

  let prevId = 0n;
  const proposals = expectArray(o.proposals ?? [], `${path}.proposals`).map((r, i) => {
    const p = proposalFromJson(r, `${path}.proposals[${i}]`);
    if (p.id <= prevId) throw new GenesisError(`${path}.proposals[${i}].id`, `proposals must be sorted by id without duplicates (${prevId} before ${p.id})`);
    if (p.id >= nextProposalId) throw new GenesisError(`${path}.proposals[${i}].id`, `must be below next_proposal_id ${nextProposalId}`);
    prevId = p.id;
    return p;
  });
  const status = new Map(proposals.map((p) => [p.id, p.status]));

  const seenVotes = new Set<string>();
  const votes = expectArray(o.votes ?? [], `${path}.votes`).map((r, i) => {
    const p = `${path}.votes[${i}]`;
    const v = expectObject(r, p);
    rejectUnknownKeys(v, ['proposal_id', 'voter', 'option'], p);
    const vote: Vote = { proposalId: expectUint(v.proposal_id, `${p}.proposal_id`), voter: address(v.voter, `${p}.voter`), option: fromName(VOTE_OPTIONS, v.option, `${p}.option`) };
    if (!status.has(vote.proposalId)) throw new GenesisError(`${p}.proposal_id`, `no proposal ${vote.proposalId} in genesis`);
    const k = `${vote.proposalId}/${vote.voter}`;
    if (seenVotes.has(k)) throw new GenesisError(p, `${vote.voter} votes twice on proposal ${vote.proposalId}`);
    seenVotes.add(k);
    return vote;
  });
  votes.sort((a, b) => byProposalThenAddress({ proposalId: a.proposalId, addr: a.voter }, { proposalId: b.proposalId, addr: b.voter }));

  const seenVetoes = new Set<string>();
  const timelockVetoes = expectArray(o.timelock_vetoes ?? [], `${path}.timelock_vetoes`).map((r, i) => {
    const p = `${path}.timelock_vetoes[${i}]`;
    const v = expectObject(r, p);
    rejectUnknownKeys(v, ['proposal_id', 'validator'], p);
    const veto: TimelockVeto = { proposalId: expectUint(v.proposal_id, `${p}.proposal_id`), validator: address(v.validator, `${p}.validator`) };
    if (!status.has(veto.proposalId)) throw new GenesisError(`${p}.proposal_id`, `no proposal ${veto.proposalId} in genesis`);
    const k = `${veto.proposalId}/${veto.validator}`;
    if (seenVetoes.has(k)) throw new GenesisError(p, `${veto.validator} vetoes proposal ${veto.proposalId} twice`);
    seenVetoes.add(k);
    return veto;
  });
  timelockVetoes.sort((a, b) => byProposalThenAddress({ proposalId: a.proposalId, addr: a.validator }, { proposalId: b.proposalId, addr: b.validator }));

  const pausedModules = expectArray(o.paused_modules ?? [], `${path}.paused_modules`).map((r, i) => {
    const p = `${path}.paused_modules[${i}]`;
    const v = expectObject(r, p);
    rejectUnknownKeys(v, ['module', 'proposal_id'], p);
    const module = expectString(v.module, `${p}.module`);
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(module) || module === 'gov') throw new GenesisError(`${p}.module`, `${JSON.stringify(module)} is not a module gov can pause`);
    return { module, proposalId: expectUint(v.proposal_id, `${p}.proposal_id`) };
  });
  pausedModules.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  pausedModules.forEach((m, i) => {
    if (i > 0 && pausedModules[i - 1]!.module === m.module) throw new GenesisError(`${path}.paused_modules`, `module ${m.module} is listed twice`);
  });

  let upgradePlan: UpgradePlan | undefined;
  if (o.upgrade_plan !== null && o.upgrade_plan !== undefined) {
    const p = `${path}.upgrade_plan`;
    const v = expectObject(o.upgrade_plan, p);
    rejectUnknownKeys(v, ['name', 'version', 'height', 'info', 'proposal_id'], p);
    upgradePlan = { name: expectString(v.name, `${p}.name`), version: expectString(v.version, `${p}.version`), height: expectUint(v.height, `${p}.height`, { min: 1n }), info: expectString(v.info ?? '', `${p}.info`), proposalId: expectUint(v.proposal_id ?? '0', `${p}.proposal_id`) };
    const plan = upgradePlan;
    at(p, () => validateContent({ parameterChange: undefined, emergency: undefined, treasurySpend: undefined, protocolUpgrade: { name: plan.name, version: plan.version, activationHeight: plan.height, info: plan.info } }));
  }

  let prevHeight = 0n;
  const appliedUpgrades = expectArray(o.applied_upgrades ?? [], `${path}.applied_upgrades`).map((r, i) => {
    const p = `${path}.applied_upgrades[${i}]`;
    const v = expectObject(r, p);
    rejectUnknownKeys(v, ['name', 'version', 'height'], p);
    const a: AppliedUpgrade = { name: expectString(v.name, `${p}.name`), version: expectString(v.version, `${p}.version`), height: expectUint(v.height, `${p}.height`, { min: 1n }) };
    if (a.height <= prevHeight) throw new GenesisError(`${p}.height`, `applied upgrades must be sorted by height without duplicates (${prevHeight} before ${a.height})`);
    prevHeight = a.height;
    return a;
  });
  const names = new Set(appliedUpgrades.map((a) => a.name));
  if (names.size !== appliedUpgrades.length) throw new GenesisError(`${path}.applied_upgrades`, 'an upgrade name appears twice');
  if (upgradePlan && names.has(upgradePlan.name)) throw new GenesisError(`${path}.upgrade_plan.name`, `upgrade ${upgradePlan.name} was already applied`);

  let shareSums: GenesisShareSums[] | undefined;
  if (o.share_sums !== undefined) {
    const seen = new Set<string>();
    shareSums = expectArray(o.share_sums, `${path}.share_sums`).map((r, i) => {
      const p = `${path}.share_sums[${i}]`;
      const v = expectObject(r, p);
      rejectUnknownKeys(v, ['proposal_id', 'validator', 'yes', 'abstain', 'no', 'no_with_veto'], p);
      const n = (k: string) => at(`${p}.${k}`, () => parseAmount(expectString(v[k], `${p}.${k}`), k));
      const e: GenesisShareSums = { proposalId: expectUint(v.proposal_id, `${p}.proposal_id`), validator: address(v.validator, `${p}.validator`), yes: n('yes'), abstain: n('abstain'), no: n('no'), noWithVeto: n('no_with_veto') };
      if (status.get(e.proposalId) !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw new GenesisError(`${p}.proposal_id`, `proposal ${e.proposalId} is not in its voting period`);
      const k = `${e.proposalId}/${e.validator}`;
      if (seen.has(k)) throw new GenesisError(p, `proposal ${e.proposalId} lists validator ${e.validator} twice`);
      seen.add(k);
      return e;
    });
    shareSums.sort((a, b) => byProposalThenAddress({ proposalId: a.proposalId, addr: a.validator }, { proposalId: b.proposalId, addr: b.validator }));
  }

  return { params, nextProposalId, proposals, votes, timelockVetoes, pausedModules, upgradePlan, appliedUpgrades, ...(shareSums ? { shareSums } : {}) };
}

export function govGenesisToJson(g: GovGenesis): unknown {
  return {
    params: govParamsToJson(g.params),
    next_proposal_id: g.nextProposalId.toString(),
    proposals: g.proposals.map(proposalToJson),
    votes: g.votes.map((v) => ({ proposal_id: v.proposalId.toString(), voter: v.voter, option: OPTION_NAMES[v.option] })),
    timelock_vetoes: g.timelockVetoes.map((v) => ({ proposal_id: v.proposalId.toString(), validator: v.validator })),
    paused_modules: g.pausedModules.map((m) => ({ module: m.module, proposal_id: m.proposalId.toString() })),
    upgrade_plan: g.upgradePlan
      ? { name: g.upgradePlan.name, version: g.upgradePlan.version, height: g.upgradePlan.height.toString(), info: g.upgradePlan.info, proposal_id: g.upgradePlan.proposalId.toString() }
      : null,
    applied_upgrades: g.appliedUpgrades.map((a) => ({ name: a.name, version: a.version, height: a.height.toString() })),
    ...(g.shareSums
      ? { share_sums: g.shareSums.map((e) => ({ proposal_id: e.proposalId.toString(), validator: e.validator, yes: e.yes.toString(), abstain: e.abstain.toString(), no: e.no.toString(), no_with_veto: e.noWithVeto.toString() })) }
      : {}),
  };
}

export async function initGovGenesis(keeper: GovKeeper, ctx: Context, g: GovGenesis): Promise<void> {
  await keeper.setParams(ctx, g.params);
  await keeper.setNextProposalId(ctx, g.nextProposalId);
  for (const p of g.proposals) {
    await keeper.setProposal(ctx, p);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) await keeper.enqueue(ctx, 'voting', p.votingEndTime!, p.id);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_QUEUED) await keeper.enqueue(ctx, 'exec', p.executionTime!, p.id);
  }
  for (const v of g.votes) await keeper.setVote(ctx, v);
  // the share sums derive from the votes and staking's delegations (imported after gov): as exported, or rebuilt in the first block
  if (g.shareSums) for (const e of g.shareSums) await keeper.setShareSums(ctx, e.proposalId, e.validator, e);
  else if (g.votes.some((v) => g.proposals.some((p) => p.id === v.proposalId && p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD))) await keeper.setShareSumsStale(ctx, true);
  for (const v of g.timelockVetoes) await keeper.setVeto(ctx, v);
  for (const m of g.pausedModules) await keeper.setPaused(ctx, m);
  if (g.upgradePlan) await keeper.setUpgradePlan(ctx, g.upgradePlan);
  for (const a of g.appliedUpgrades) await keeper.addAppliedUpgrade(ctx, a);
}

export async function exportGovGenesis(keeper: GovKeeper, ctx: Context): Promise<GovGenesis> {
  const collect = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };
  return {
    params: await keeper.getParams(ctx),
    nextProposalId: await keeper.getNextProposalId(ctx),
    proposals: await collect(keeper.proposals(ctx)),
    votes: await collect(keeper.allVotes(ctx)),
    timelockVetoes: await collect(keeper.allVetoes(ctx)),
    pausedModules: await collect(keeper.pausedModules(ctx)),
    upgradePlan: await keeper.getUpgradePlan(ctx),
    appliedUpgrades: await keeper.appliedUpgrades(ctx),
    ...(await exportShareSums(keeper, ctx)),
  };
}

/** Listed while some proposal is in its voting period, unless they await their rebuild. */
async function exportShareSums(keeper: GovKeeper, ctx: Context): Promise<{ shareSums?: GenesisShareSums[] }> {
  const ids = await keeper.votingIds(ctx);
  if (ids.length === 0 || (await keeper.shareSumsStale(ctx))) return {};
  const out: GenesisShareSums[] = [];
  for (const id of [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) for (const [validator, s] of await keeper.shareSums(ctx, id)) out.push({ proposalId: id, validator, ...s });
  return { shareSums: out };
}

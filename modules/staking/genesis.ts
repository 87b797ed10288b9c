/**
 * Staking genesis: parameters, the epoch, every record (so export → import → export
 * gives the same bytes), and `genesis_validators` — validators a new chain starts with,
 * whose self-stake InitGenesis takes from the operators' genesis balances and bonds at
 * once. Exported state never lists genesis validators: they are validators by then.
 *
 * Consensus: staking returns no InitChain validators. With no staking validators at
 * genesis (the default, and what `guts init`/`guts devnet` write) consensus's genesis
 * set is left alone and staking only ever adds and removes the validators it created.
 * A genesis that declares staking validators must list the same keys and powers in
 * `genesis.validators`; `genesisValidatorSet` computes them.
 */
import { toHex } from '@cosmjs/encoding';
import type { Context } from '../../app/chain/context.js';
import { moduleAddress } from '../../app/chain/address.js';
import { GenesisError, expectArray, expectObject, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import { coin } from '../../app/chain/coins.js';
import {
  BondStatus,
  ChangeKind,
  type Delegation,
  type EpochInfo,
  type LastValidatorPower,
  type PendingChange,
  type Redelegation,
  type UnbondingEntry,
  type Validator,
} from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import { defaultStakingParams, stakingParamsFromJson, stakingParamsToJson, type StakingParams } from './params.js';
import { recordFromJson, recordToJson, type Spec } from './json.js';
import * as S from './genesis-spec.js';
import { consensusAddress } from './consensus.js';
import { checkCommission, checkPubKey } from './validate.js';
import { big, powerOf } from './shares.js';
import { recomputeSet, genesisBond } from './epoch.js';
import { BONDED_POOL, DISTRIBUTION, NOT_BONDED_POOL } from './pools.js';

export interface GenesisValidator {
  operatorAddress: string;
  consensusPubkey: Uint8Array;
  description: { moniker: string; website: string; details: string };
  commission: { rateBp: number; maxRateBp: number; maxChangeRateBp: number };
  selfStake: string;
}

export interface StakingGenesis {
  params: StakingParams;
  /** start_height 0 = the chain's first block. */
  epoch: EpochInfo;
  nextId: bigint;
  /** Queued changes with a smaller id are due and being applied (0: none; exported only then). */
  dueBefore: bigint;
  genesisValidators: GenesisValidator[];
  validators: Validator[];
  delegations: Delegation[];
  pending: PendingChange[];
  unbondingEntries: UnbondingEntry[];
  redelegations: Redelegation[];
  lastPowers: LastValidatorPower[];
}

export function defaultStakingGenesis(): StakingGenesis {
  return {
    params: defaultStakingParams(),
    epoch: { number: 0n, startHeight: 0n },
    nextId: 1n,
    dueBefore: 0n,
    genesisValidators: [],
    validators: [],
    delegations: [],
    pending: [],
    unbondingEntries: [],
    redelegations: [],
    lastPowers: [],
  };
}

const LISTS: [string, keyof StakingGenesis, Spec][] = [
  ['genesis_validators', 'genesisValidators', S.GENESIS_VALIDATOR_SPEC],
  ['validators', 'validators', S.VALIDATOR_SPEC],
  ['delegations', 'delegations', S.DELEGATION_SPEC],
  ['pending', 'pending', S.PENDING_SPEC],
  ['unbonding_entries', 'unbondingEntries', S.UNBONDING_SPEC],
  ['redelegations', 'redelegations', S.REDELEGATION_SPEC],
  ['last_powers', 'lastPowers', S.LAST_POWER_SPEC],
];

export function stakingGenesisToJson(g: StakingGenesis): unknown {
  const out: Record<string, unknown> = {
    params: stakingParamsToJson(g.params),
    epoch: recordToJson(S.EPOCH_SPEC, g.epoch),
    next_id: g.nextId.toString(),
  };
  if (g.dueBefore > 0n) out.due_before = g.dueBefore.toString();
  for (const [json, prop, spec] of LISTS) out[json] = (g[prop] as unknown[]).map((r) => recordToJson(spec, r));
  return out;
}

export function validateStakingGenesis(raw: unknown, path: string): StakingGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'epoch', 'next_id', 'due_before', ...LISTS.map(([j]) => j)], path);
  const g = defaultStakingGenesis();
  g.params = stakingParamsFromJson(o.params, `${path}.params`);
  if (o.epoch !== undefined) g.epoch = recordFromJson(S.EPOCH_SPEC, o.epoch, `${path}.epoch`);
  if (o.next_id !== undefined) g.nextId = recordFromJson<{ n: bigint }>([['next_id', 'n', { kind: 'u64' }]], { next_id: o.next_id }, path).n;
  if (g.nextId < 1n) throw new GenesisError(`${path}.next_id`, 'must be ≥ 1');
  if (o.due_before !== undefined) g.dueBefore = recordFromJson<{ n: bigint }>([['due_before', 'n', { kind: 'u64' }]], { due_before: o.due_before }, path).n;
  if (g.dueBefore > g.nextId) throw new GenesisError(`${path}.due_before`, `must be 0..next_id (${g.nextId})`);
  for (const [json, prop, spec] of LISTS) {
    (g as any)[prop] = expectArray(o[json] ?? [], `${path}.${json}`).map((r, i) => recordFromJson(spec, r, `${path}.${json}[${i}]`));
  }
  checkConsistency(g, path);
  return g;
}

/** Cross-record checks: references, uniqueness, share sums, queue bookkeeping. */
function checkConsistency(g: StakingGenesis, path: string): void {
  const vals = new Map<string, Validator>();
  const keys = new Set<string>();
  const useKey = (pk: Uint8Array, p: string) => {
    const k = toHex(pk);
    if (keys.has(k)) throw new GenesisError(p, 'consensus key used by two validators');
    keys.add(k);
  };
  g.validators.forEach((v, i) => {
    const p = `${path}.validators[${i}]`;
    if (vals.has(v.operatorAddress)) throw new GenesisError(`${p}.operator_address`, `duplicate validator ${v.operatorAddress}`);
    vals.set(v.operatorAddress, v);
    useKey(v.consensusPubkey, `${p}.consensus_pubkey`);
    if (v.status === BondStatus.BOND_STATUS_UNSPECIFIED) throw new GenesisError(`${p}.status`, 'must be set');
    try {
      checkCommission(v.commission);
    } catch (e) {
      throw new GenesisError(`${p}.commission`, (e as Error).message);
    }
  });
  g.genesisValidators.forEach((v, i) => {
    const p = `${path}.genesis_validators[${i}]`;
    if (vals.has(v.operatorAddress)) throw new GenesisError(`${p}.operator_address`, `${v.operatorAddress} already has a validator`);
    vals.set(v.operatorAddress, {} as Validator);
    useKey(v.consensusPubkey, `${p}.consensus_pubkey`);
    try {
      checkPubKey(v.consensusPubkey);
      checkCommission(v.commission);
    } catch (e) {
      throw new GenesisError(p, (e as Error).message);
    }
    if (big(v.selfStake) < g.params.minStake) throw new GenesisError(`${p}.self_stake`, `must be ≥ min_stake ${g.params.minStake}`);
  });
  const shareSums = new Map<string, bigint>();
  const pairs = new Set<string>();
  const outflow = new Map<string, { amount: bigint; entries: number }>();
  g.delegations.forEach((d, i) => {
    const p = `${path}.delegations[${i}]`;
    const pair = `${d.delegatorAddress}/${d.validatorAddress}`;
    if (pairs.has(pair)) throw new GenesisError(p, `duplicate delegation ${pair}`);
    pairs.add(pair);
    if (!g.validators.some((v) => v.operatorAddress === d.validatorAddress)) throw new GenesisError(`${p}.validator_address`, `no validator ${d.validatorAddress}`);
    shareSums.set(d.validatorAddress, (shareSums.get(d.validatorAddress) ?? 0n) + big(d.shares));
  });
  for (const v of g.validators) {
    if ((shareSums.get(v.operatorAddress) ?? 0n) !== big(v.delegatorShares)) {
      throw new GenesisError(`${path}.validators`, `delegator_shares of ${v.operatorAddress} is ${v.delegatorShares} but its delegations hold ${shareSums.get(v.operatorAddress) ?? 0n}`);
    }
  }
  const ids = new Set<bigint>();
  const useId = (id: bigint, p: string) => {
    if (id === 0n || id >= g.nextId) throw new GenesisError(p, `must be 1..next_id-1 (${g.nextId - 1n})`);
    if (ids.has(id)) throw new GenesisError(p, `id ${id} used twice`);
    ids.add(id);
  };
  const needValidator = (op: string, p: string) => {
    if (!vals.has(op)) throw new GenesisError(p, `no validator ${op}`);
  };
  g.pending.forEach((c, i) => {
    const p = `${path}.pending[${i}]`;
    useId(c.id, `${p}.id`);
    needValidator(c.validatorAddress, `${p}.validator_address`);
    if (c.kind === ChangeKind.CHANGE_KIND_REDELEGATE) needValidator(c.dstValidatorAddress, `${p}.dst_validator_address`);
    else if (c.dstValidatorAddress !== '') throw new GenesisError(`${p}.dst_validator_address`, 'only a redelegation has a destination');
    if (big(c.amount) === 0n) throw new GenesisError(`${p}.amount`, 'must be positive');
    if (c.kind !== ChangeKind.CHANGE_KIND_STAKE) {
      const pair = `${c.delegatorAddress}/${c.validatorAddress}`;
      const f = outflow.get(pair) ?? { amount: 0n, entries: 0 };
      outflow.set(pair, { amount: f.amount + big(c.amount), entries: f.entries + 1 });
    }
  });
  g.delegations.forEach((d, i) => {
    const f = outflow.get(`${d.delegatorAddress}/${d.validatorAddress}`) ?? { amount: 0n, entries: 0 };
    if (f.amount !== big(d.pendingOut) || f.entries !== d.pendingOutEntries) {
      throw new GenesisError(`${path}.delegations[${i}].pending_out`, `does not match the queued unstakes and redelegations (${f.amount} in ${f.entries} entries)`);
    }
  });
  for (const [pair] of outflow) if (!pairs.has(pair)) throw new GenesisError(`${path}.pending`, `queued outflow from ${pair} without a delegation`);
  g.unbondingEntries.forEach((e, i) => {
    useId(e.id, `${path}.unbonding_entries[${i}].id`);
    needValidator(e.validatorAddress, `${path}.unbonding_entries[${i}].validator_address`);
    if (big(e.balance) > big(e.initialBalance)) throw new GenesisError(`${path}.unbonding_entries[${i}].balance`, 'exceeds initial_balance');
  });
  g.redelegations.forEach((r, i) => {
    useId(r.id, `${path}.redelegations[${i}].id`);
    needValidator(r.srcValidatorAddress, `${path}.redelegations[${i}].src_validator_address`);
    needValidator(r.dstValidatorAddress, `${path}.redelegations[${i}].dst_validator_address`);
  });
  const powered = new Set<string>();
  g.lastPowers.forEach((lp, i) => {
    const p = `${path}.last_powers[${i}]`;
    const v = g.validators.find((x) => x.operatorAddress === lp.operatorAddress);
    if (!v || v.status !== BondStatus.BOND_STATUS_BONDED) throw new GenesisError(`${p}.operator_address`, 'must name a BONDED validator');
    if (powered.has(lp.operatorAddress)) throw new GenesisError(p, 'duplicate entry');
    if (lp.power === 0n) throw new GenesisError(`${p}.power`, 'must be positive');
    powered.add(lp.operatorAddress);
  });
  g.validators.forEach((v, i) => {
    if (v.status === BondStatus.BOND_STATUS_BONDED && !powered.has(v.operatorAddress)) throw new GenesisError(`${path}.validators[${i}].status`, 'BONDED but not in last_powers');
  });
}

/** The consensus genesis set this staking genesis implies (what `genesis.validators` must list). */
export function genesisValidatorSet(g: StakingGenesis): { pubKey: Uint8Array; power: bigint; name: string }[] {
  const out = g.lastPowers.map((lp) => {
    const v = g.validators.find((x) => x.operatorAddress === lp.operatorAddress)!;
    return { pubKey: v.consensusPubkey, power: lp.power, name: v.description?.moniker ?? '' };
  });
  const declared = [...g.genesisValidators]
    .map((v) => ({ v, tokens: big(v.selfStake) }))
    .sort((a, b) => (a.tokens === b.tokens ? (a.v.operatorAddress < b.v.operatorAddress ? -1 : 1) : a.tokens > b.tokens ? -1 : 1))
    .slice(0, Math.max(0, g.params.maxValidators - out.length));
  for (const { v, tokens } of declared) {
    const power = powerOf(tokens, g.params.powerReduction);
    if (power > 0n) out.push({ pubKey: v.consensusPubkey, power, name: v.description.moniker });
  }
  return out;
}

/**
 * What consensus's genesis validator set must hold for this staking genesis: the set
 * `genesisValidatorSet` computes, and every consensus key staking knows (a known key that
 * is not in that set must not be in consensus's set either). Checked by `parseGenesis`.
 */
export function genesisConsensus(g: StakingGenesis): { validators: { pubKey: Uint8Array; power: bigint; name: string }[]; keys: Uint8Array[] } {
  return { validators: genesisValidatorSet(g), keys: [...g.validators.map((v) => v.consensusPubkey), ...g.genesisValidators.map((v) => v.consensusPubkey)] };
}

async function checkPools(ctx: Context, g: StakingGenesis, bank: BankKeeper, path: string): Promise<void> {
  const denom = g.params.bondDenom;
  let bonded = 0n;
  let notBonded = 0n;
  let owed = 0n;
  for (const v of g.validators) {
    if (v.status === BondStatus.BOND_STATUS_BONDED) bonded += big(v.tokens);
    else notBonded += big(v.tokens);
    owed += big(v.accumulatedCommission);
  }
  for (const e of g.unbondingEntries) notBonded += big(e.balance);
  for (const p of g.pending) if (p.kind === ChangeKind.CHANGE_KIND_STAKE) notBonded += big(p.amount);
  for (const d of g.delegations) owed += big(d.pendingRewards);
  const have = async (name: string) => bank.getBalance(ctx, moduleAddress(name), denom);
  if ((await have(BONDED_POOL)) !== bonded) throw new GenesisError(`${path}`, `bank balance of ${BONDED_POOL} is ${await have(BONDED_POOL)}${denom}, the bonded validators hold ${bonded}${denom}`);
  if ((await have(NOT_BONDED_POOL)) !== notBonded) {
    throw new GenesisError(`${path}`, `bank balance of ${NOT_BONDED_POOL} is ${await have(NOT_BONDED_POOL)}${denom}, unbonded stake, unbonding entries and queued stakes hold ${notBonded}${denom}`);
  }
  if ((await have(DISTRIBUTION)) < owed) throw new GenesisError(`${path}`, `bank balance of ${DISTRIBUTION} is below the ${owed}${denom} of rewards and commission owed`);
}

export async function initStakingGenesis(ctx: Context, keeper: StakingKeeper, bank: BankKeeper, g: StakingGenesis): Promise<void> {
  const path = 'app_state.staking';
  await keeper.setParams(ctx, g.params);
  await keeper.setEpoch(ctx, { number: g.epoch.number, startHeight: g.epoch.startHeight === 0n ? BigInt(ctx.height) + 1n : g.epoch.startHeight });
  await keeper.setNextId(ctx, g.nextId);
  await keeper.setDueBefore(ctx, g.dueBefore);
  for (const v of g.validators) {
    await keeper.setValidator(ctx, v);
    await keeper.setConsensusIndex(ctx, consensusAddress(v.consensusPubkey), v.operatorAddress);
  }
  for (const d of g.delegations) await keeper.setDelegation(ctx, d);
  for (const p of g.pending) await keeper.addPending(ctx, p);
  for (const e of g.unbondingEntries) await keeper.setUnbonding(ctx, e);
  for (const r of g.redelegations) await keeper.setRedelegation(ctx, r);
  let total = 0n;
  for (const lp of g.lastPowers) {
    await keeper.setLastPower(ctx, lp.operatorAddress, lp.power);
    total += lp.power;
  }
  await keeper.setTotalPower(ctx, total);
  await checkPools(ctx, g, bank, path);

  if (g.genesisValidators.length === 0) return;
  for (const [i, gv] of g.genesisValidators.entries()) {
    const amount = big(gv.selfStake);
    try {
      await bank.sendCoinsFromAccountToModule(ctx, gv.operatorAddress, NOT_BONDED_POOL, [coin(g.params.bondDenom, amount)]);
    } catch (e) {
      throw new GenesisError(`${path}.genesis_validators[${i}].self_stake`, `the operator's genesis balance cannot pay it: ${(e as Error).message}`);
    }
    await genesisBond(ctx, keeper, bank, {
      operatorAddress: gv.operatorAddress,
      consensusPubkey: gv.consensusPubkey,
      description: gv.description,
      commission: { ...gv.commission, updateTime: ctx.time.seconds },
      status: BondStatus.BOND_STATUS_UNBONDED,
      jailed: false,
      jailedUntil: 0n,
      tombstoned: false,
      tokens: '0',
      delegatorShares: '0',
      joinedEpoch: g.epoch.number,
      createdHeight: BigInt(ctx.height),
      unbondingTime: 0n,
      blocksProposed: 0n,
      blocksSigned: 0n,
      blocksMissed: 0n,
      uptimeBp: 10_000,
      accumulatedCommission: '0',
      rewardPerShare: '0',
      rewardCarry: '0',
    }, amount);
  }
  // the declared validators enter the set now; consensus starts from the same set (genesis.validators)
  await recomputeSet(ctx, keeper, bank);
}

export async function exportStakingGenesis(ctx: Context, keeper: StakingKeeper): Promise<StakingGenesis> {
  const g = defaultStakingGenesis();
  g.params = await keeper.getParams(ctx);
  g.epoch = await keeper.getEpoch(ctx);
  g.nextId = await keeper.peekNextId(ctx);
  g.dueBefore = await keeper.getDueBefore(ctx);
  for await (const v of keeper.validators(ctx)) g.validators.push(v);
  for await (const d of keeper.allDelegations(ctx)) g.delegations.push(d);
  for await (const p of keeper.pending(ctx)) g.pending.push(p);
  for await (const e of keeper.allUnbondings(ctx)) g.unbondingEntries.push(e);
  for await (const r of keeper.allRedelegations(ctx)) g.redelegations.push(r);
  for await (const lp of keeper.lastPowers(ctx)) g.lastPowers.push(lp);
  return g;
}

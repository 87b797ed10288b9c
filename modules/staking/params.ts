/**
 * Staking parameters (DESIGN §5 defaults). All live in state under `staking/params`,
 * appear in genesis, and — except `bond_denom`, fixed at genesis because every record
 * and pool is denominated in it — can be changed by gov `ParameterChange` through the
 * module's ParamSpace, whose values are decimal strings.
 */
import { Params } from '../../proto/gen/guts/staking/v1/staking.js';
import { MAX_AMOUNT, validateDenom } from '../../app/chain/coins.js';
import { GenesisError, expectObject, expectString, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import { ErrInvalidParam } from './errors.js';

export interface StakingParams {
  bondDenom: string;
  /** Least stake (bond denom) a validator needs to be in the active set; also the least self-stake at creation. */
  minStake: bigint;
  maxValidators: number;
  /** Blocks per epoch; queued stake changes apply at the last block of an epoch. */
  epochLength: bigint;
  /** Seconds of block time unstaked tokens stay locked (and slashable). */
  lockPeriod: bigint;
  /** Minted into the reward pool every block while there are bonded validators. */
  blockReward: bigint;
  /** Share of fees and block rewards to the treasury, basis points. */
  communityTaxBp: number;
  /** Consensus power = tokens / power_reduction. */
  powerReduction: bigint;
  /** Most unbonding entries plus queued unstakes/redelegations per (delegator, validator). */
  maxEntries: number;
  /**
   * Most queued changes applied, and most matured unbonding entries and redelegations
   * completed, in one EndBlock; the rest wait for the next block (issue 4: an epoch end
   * must stay within 10% of a block). Stored under its own key (`staking/max_changes_per_block`).
   */
  maxChangesPerBlock: number;
}

export function defaultStakingParams(): StakingParams {
  return {
    bondDenom: 'ugut',
    minStake: 100_000n,
    maxValidators: 100,
    epochLength: 100n,
    lockPeriod: 1_209_600n, // 14 days
    blockReward: 100_000n,
    communityTaxBp: 200,
    powerReduction: 1n,
    maxEntries: 7,
    maxChangesPerBlock: 100,
  };
}

const TEN_YEARS = 315_360_000n;
/** CometBFT MaxTotalVotingPower: a power above it could never be sent to consensus. */
const MAX_POWER = 1_152_921_504_606_846_975n;

type Spec = {
  get(p: StakingParams): string;
  set(p: StakingParams, v: string): void;
};

function uint(name: string, v: string, min: bigint, max: bigint): bigint {
  if (typeof v !== 'string' || !/^(0|[1-9][0-9]*)$/.test(v)) throw ErrInvalidParam.wrap(`${name}: ${JSON.stringify(v)} is not a non-negative integer`);
  const n = BigInt(v);
  if (n < min || n > max) throw ErrInvalidParam.wrap(`${name}: ${v} is outside ${min}..${max}`);
  return n;
}

/** Governable parameters, in the order gov lists them. */
export const STAKING_PARAM_SPECS: Record<string, Spec> = {
  min_stake: { get: (p) => p.minStake.toString(), set: (p, v) => void (p.minStake = uint('min_stake', v, 1n, MAX_AMOUNT)) },
  max_validators: { get: (p) => String(p.maxValidators), set: (p, v) => void (p.maxValidators = Number(uint('max_validators', v, 1n, 10_000n))) },
  epoch_length: { get: (p) => p.epochLength.toString(), set: (p, v) => void (p.epochLength = uint('epoch_length', v, 1n, 1_000_000n)) },
  lock_period: { get: (p) => p.lockPeriod.toString(), set: (p, v) => void (p.lockPeriod = uint('lock_period', v, 0n, TEN_YEARS)) },
  block_reward: { get: (p) => p.blockReward.toString(), set: (p, v) => void (p.blockReward = uint('block_reward', v, 0n, 1n << 128n)) },
  community_tax: { get: (p) => String(p.communityTaxBp), set: (p, v) => void (p.communityTaxBp = Number(uint('community_tax', v, 0n, 10_000n))) },
  power_reduction: { get: (p) => p.powerReduction.toString(), set: (p, v) => void (p.powerReduction = uint('power_reduction', v, 1n, MAX_POWER)) },
  max_entries: { get: (p) => String(p.maxEntries), set: (p, v) => void (p.maxEntries = Number(uint('max_entries', v, 1n, 100n))) },
  max_changes_per_block: { get: (p) => String(p.maxChangesPerBlock), set: (p, v) => void (p.maxChangesPerBlock = Number(uint('max_changes_per_block', v, 1n, 1_000_000n))) },
};

/** Parameters a genesis file may leave out (added after the first release; the default applies). */
const OPTIONAL_PARAMS = new Set(['max_changes_per_block']);

/** Throws ErrInvalidParam naming the first bad field. */
export function validateStakingParams(p: StakingParams): void {
  try {
    validateDenom(p.bondDenom);
  } catch (e) {
    throw ErrInvalidParam.wrap(`bond_denom: ${(e as Error).message}`);
  }
  for (const spec of Object.values(STAKING_PARAM_SPECS)) spec.set({ ...p }, spec.get(p));
}

/**
 * The stored proto record: every parameter but `max_changes_per_block` (kept under a key of
 * its own, so the field stays 0 and is not encoded). `forQuery` fills it in for Query/Params.
 */
export function paramsToProto(p: StakingParams, forQuery = false): Params {
  return {
    bondDenom: p.bondDenom,
    minStake: p.minStake.toString(),
    maxValidators: p.maxValidators,
    epochLength: p.epochLength,
    lockPeriod: p.lockPeriod,
    blockReward: p.blockReward.toString(),
    communityTaxBp: p.communityTaxBp,
    powerReduction: p.powerReduction.toString(),
    maxEntries: p.maxEntries,
    maxChangesPerBlock: forQuery ? p.maxChangesPerBlock : 0,
  };
}

/** `maxChangesPerBlock`: the value stored under its own key; else the record's field (a query answer); else the default. */
export function paramsFromProto(p: Params, maxChangesPerBlock?: number): StakingParams {
  return {
    bondDenom: p.bondDenom,
    minStake: BigInt(p.minStake),
    maxValidators: p.maxValidators,
    epochLength: p.epochLength,
    lockPeriod: p.lockPeriod,
    blockReward: BigInt(p.blockReward),
    communityTaxBp: p.communityTaxBp,
    powerReduction: BigInt(p.powerReduction),
    maxEntries: p.maxEntries,
    maxChangesPerBlock: maxChangesPerBlock ?? (p.maxChangesPerBlock || defaultStakingParams().maxChangesPerBlock),
  };
}

/** Genesis / query JSON: every value a string, bond_denom first. */
export function stakingParamsToJson(p: StakingParams): Record<string, string> {
  const out: Record<string, string> = { bond_denom: p.bondDenom };
  for (const [name, spec] of Object.entries(STAKING_PARAM_SPECS)) out[name] = spec.get(p);
  return out;
}

export function stakingParamsFromJson(raw: unknown, path: string): StakingParams {
  const o = expectObject(raw, path);
  const names = Object.keys(STAKING_PARAM_SPECS);
  rejectUnknownKeys(o, ['bond_denom', ...names], path);
  const p = defaultStakingParams();
  p.bondDenom = expectString(o.bond_denom, `${path}.bond_denom`);
  try {
    validateDenom(p.bondDenom);
  } catch (e) {
    throw new GenesisError(`${path}.bond_denom`, (e as Error).message);
  }
  for (const name of names) {
    if (o[name] === undefined && OPTIONAL_PARAMS.has(name)) continue;
    try {
      STAKING_PARAM_SPECS[name]!.set(p, expectString(o[name], `${path}.${name}`));
    } catch (e) {
      if (e instanceof GenesisError) throw e;
      throw new GenesisError(`${path}.${name}`, (e as Error).message);
    }
  }
  return p;
}

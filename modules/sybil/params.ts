/**
 * Sybil parameters (issue 4, DESIGN §5). Every one is in state, in genesis, validated,
 * and changeable by a gov `ParameterChange` through the module's `params` ParamSpace,
 * under the names used in genesis JSON. Values are decimal strings there.
 */
import { MAX_AMOUNT } from '../../app/chain/coins.js';
import { MAX_POW_BITS, POW_ACTIONS, type PowAction } from '../../sdk/pow.js';
import { Params } from '../../proto/gen/guts/sybil/v1/sybil.js';
import { ErrInvalidParam, ErrUnknownParam } from './errors.js';

/** The reputation discount never exceeds 50% (issue 4), whatever max_discount_bp says. */
export const DISCOUNT_CAP_BP = 5000;
export const BP = 10_000;

export interface SybilParams {
  /** Stake per action, in the base denom. */
  stake: Record<PowAction, bigint>;
  /** Leading zero bits per action; 0 = work not accepted. */
  powBits: Record<PowAction, number>;
  powWindow: bigint;
  epochLength: bigint;
  discountPerEpochBp: number;
  discountPerActionBp: number;
  slashPenaltyBp: number;
  maxDiscountBp: number;
}

/**
 * Defaults. Stakes in ugut: validator mirrors staking's min_stake order of magnitude (100
 * GUT); a repo costs 10 GUT; pushes outside your own repos and collaboration 1 GUT. Work
 * per the issue: create_repo 20 bits, push 16, collaboration 18 (≈1M, 65k, 262k hashes);
 * validator and governance need stake. 100 blocks (≈100 s) to solve and submit.
 */
export function defaultSybilParams(): SybilParams {
  return {
    stake: { validator: 100_000_000n, create_repo: 10_000_000n, push: 1_000_000n, governance: 10_000_000n, collaboration: 1_000_000n },
    powBits: { validator: 0, create_repo: 20, push: 16, governance: 0, collaboration: 18 },
    powWindow: 100n,
    epochLength: 100n,
    discountPerEpochBp: 100,
    discountPerActionBp: 10,
    slashPenaltyBp: 2500,
    maxDiscountBp: DISCOUNT_CAP_BP,
  };
}

type Kind = 'amount' | 'bits' | 'blocks' | 'bp' | 'cap';

interface ParamDef {
  name: string;
  kind: Kind;
  get(p: SybilParams): bigint | number;
  set(p: SybilParams, v: bigint): void;
}

const defs: ParamDef[] = [
  ...POW_ACTIONS.map((a): ParamDef => ({ name: `stake_${a}`, kind: 'amount', get: (p) => p.stake[a], set: (p, v) => (p.stake[a] = v) })),
  ...POW_ACTIONS.map((a): ParamDef => ({ name: `pow_bits_${a}`, kind: 'bits', get: (p) => p.powBits[a], set: (p, v) => (p.powBits[a] = Number(v)) })),
  { name: 'pow_window', kind: 'blocks', get: (p) => p.powWindow, set: (p, v) => (p.powWindow = v) },
  { name: 'epoch_length', kind: 'blocks', get: (p) => p.epochLength, set: (p, v) => (p.epochLength = v) },
  { name: 'discount_per_epoch_bp', kind: 'bp', get: (p) => p.discountPerEpochBp, set: (p, v) => (p.discountPerEpochBp = Number(v)) },
  { name: 'discount_per_action_bp', kind: 'bp', get: (p) => p.discountPerActionBp, set: (p, v) => (p.discountPerActionBp = Number(v)) },
  { name: 'slash_penalty_bp', kind: 'bp', get: (p) => p.slashPenaltyBp, set: (p, v) => (p.slashPenaltyBp = Number(v)) },
  { name: 'max_discount_bp', kind: 'cap', get: (p) => p.maxDiscountBp, set: (p, v) => (p.maxDiscountBp = Number(v)) },
];

export const SYBIL_PARAM_NAMES: readonly string[] = defs.map((d) => d.name);

/** Ranges per kind: [min, max]. Blocks ≤ 1,000,000 keeps pruning and age arithmetic small. */
const RANGE: Record<Kind, [bigint, bigint, string]> = {
  amount: [0n, MAX_AMOUNT, 'an amount of the base denom'],
  bits: [0n, BigInt(MAX_POW_BITS), `0 (work not accepted) to ${MAX_POW_BITS} bits`],
  blocks: [1n, 1_000_000n, 'a number of blocks from 1 to 1000000'],
  bp: [0n, BigInt(BP), 'basis points from 0 to 10000'],
  cap: [0n, BigInt(DISCOUNT_CAP_BP), `basis points from 0 to ${DISCOUNT_CAP_BP} (the 50% cap)`],
};

function parseValue(def: ParamDef, raw: string): bigint {
  const [min, max, what] = RANGE[def.kind];
  if (typeof raw !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(raw)) {
    throw ErrInvalidParam.wrap(`${def.name} ${JSON.stringify(raw)}: expected ${what} as a decimal string`);
  }
  const v = BigInt(raw);
  if (v < min || v > max) throw ErrInvalidParam.wrap(`${def.name} ${raw}: expected ${what}`);
  return v;
}

function defOf(name: string): ParamDef {
  const d = defs.find((x) => x.name === name);
  if (!d) throw ErrUnknownParam.wrap(`sybil has no parameter ${JSON.stringify(name)} (known: ${SYBIL_PARAM_NAMES.join(', ')})`);
  return d;
}

export function getSybilParam(p: SybilParams, name: string): string {
  return defOf(name).get(p).toString();
}

/** A copy of `p` with `name` set to the validated `value`. */
export function withSybilParam(p: SybilParams, name: string, value: string): SybilParams {
  const def = defOf(name);
  const next = cloneParams(p);
  def.set(next, parseValue(def, value));
  return next;
}

function cloneParams(p: SybilParams): SybilParams {
  return { ...p, stake: { ...p.stake }, powBits: { ...p.powBits } };
}

/** Name → decimal string, in the fixed order above (genesis JSON and ParamSpace). */
export function sybilParamsToJson(p: SybilParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of defs) out[d.name] = d.get(p).toString();
  return out;
}

export function encodeSybilParams(p: SybilParams): Uint8Array {
  return Params.encode({
    stakeValidator: p.stake.validator.toString(),
    stakeCreateRepo: p.stake.create_repo.toString(),
    stakePush: p.stake.push.toString(),
    stakeGovernance: p.stake.governance.toString(),
    stakeCollaboration: p.stake.collaboration.toString(),
    powBitsValidator: p.powBits.validator,
    powBitsCreateRepo: p.powBits.create_repo,
    powBitsPush: p.powBits.push,
    powBitsGovernance: p.powBits.governance,
    powBitsCollaboration: p.powBits.collaboration,
    powWindow: p.powWindow,
    epochLength: p.epochLength,
    discountPerEpochBp: p.discountPerEpochBp,
    discountPerActionBp: p.discountPerActionBp,
    slashPenaltyBp: p.slashPenaltyBp,
    maxDiscountBp: p.maxDiscountBp,
  }).finish();
}

export function decodeSybilParams(raw: Uint8Array): SybilParams {
  const m = Params.decode(raw);
  return {
    stake: { validator: BigInt(m.stakeValidator), create_repo: BigInt(m.stakeCreateRepo), push: BigInt(m.stakePush), governance: BigInt(m.stakeGovernance), collaboration: BigInt(m.stakeCollaboration) },
    powBits: { validator: m.powBitsValidator, create_repo: m.powBitsCreateRepo, push: m.powBitsPush, governance: m.powBitsGovernance, collaboration: m.powBitsCollaboration },
    powWindow: m.powWindow,
    epochLength: m.epochLength,
    discountPerEpochBp: m.discountPerEpochBp,
    discountPerActionBp: m.discountPerActionBp,
    slashPenaltyBp: m.slashPenaltyBp,
    maxDiscountBp: m.maxDiscountBp,
  };
}

/** The proto form for query responses. */
export function sybilParamsProto(p: SybilParams): Params {
  return Params.decode(encodeSybilParams(p));
}

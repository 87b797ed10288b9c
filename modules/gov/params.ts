/**
 * Gov parameters: data in state (`gov/params/`), validated here, in genesis, and exposed as
 * gov's own ParamSpace so a ParameterChange proposal can change them. Durations are seconds
 * of block time, thresholds basis points (10000 = 100%), amounts base units (DESIGN §5).
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { MAX_AMOUNT, formatCoins, parseCoinsString, validateCoins } from '../../app/chain/coins.js';

export interface GovParams {
  votingPeriod: bigint;
  emergencyVotingPeriod: bigint;
  executionDelay: bigint;
  /** Bonded stake a validator needs to submit a proposal. */
  proposalThreshold: bigint;
  /** Taken from the proposer at submission (may be empty). */
  minDeposit: Coin[];
  /** Share of the bonded stake that must vote (any option). */
  quorumBps: bigint;
  /** Yes must exceed this share of the non-abstain votes. */
  approvalBps: bigint;
  /** NoWithVeto at or above this share of the votes rejects and burns the deposit. */
  vetoBps: bigint;
  /** approvalBps for Emergency proposals. */
  emergencyApprovalBps: bigint;
  /** Share of the bonded stake whose validators' MsgVeto cancels a queued proposal. */
  timelockVetoBps: bigint;
}

const YEAR = 365n * 24n * 3600n;

/** DESIGN §5 thresholds; the seed's testnet voting period (24 h). */
export function defaultGovParams(): GovParams {
  return {
    votingPeriod: 86_400n,
    emergencyVotingPeriod: 3_600n,
    executionDelay: 86_400n,
    proposalThreshold: 100_000n,
    minDeposit: [{ denom: 'ugut', amount: '1000000' }],
    quorumBps: 3_340n,
    approvalBps: 5_000n,
    vetoBps: 3_340n,
    emergencyApprovalBps: 6_667n,
    timelockVetoBps: 3_334n,
  };
}

type Key = keyof GovParams;

interface Spec {
  key: Key;
  parse(s: string): GovParams[Key];
  format(v: GovParams[Key]): string;
  /** A problem with the value (given the other params), or undefined. */
  check(v: GovParams[Key], p: GovParams): string | undefined;
}

function uint(s: string): bigint {
  if (!/^(0|[1-9][0-9]{0,77})$/.test(s)) throw new Error(`expected a non-negative integer, got ${JSON.stringify(s)}`);
  return BigInt(s);
}

const between = (lo: bigint, hi: bigint) => (v: GovParams[Key]) => {
  const n = v as bigint;
  return n < lo || n > hi ? `must be between ${lo} and ${hi}, got ${n}` : undefined;
};

const intSpec = (key: Key, check: Spec['check']): Spec => ({ key, parse: uint, format: (v) => (v as bigint).toString(), check });

/** Parameter names as they appear in genesis and in ParameterChange proposals. */
export const GOV_PARAMS: Record<string, Spec> = {
  voting_period: intSpec('votingPeriod', between(1n, YEAR)),
  emergency_voting_period: intSpec('emergencyVotingPeriod', (v, p) => between(1n, YEAR)(v) ?? ((v as bigint) > p.votingPeriod ? `must not exceed voting_period (${p.votingPeriod})` : undefined)),
  execution_delay: intSpec('executionDelay', between(0n, YEAR)),
  proposal_threshold: intSpec('proposalThreshold', between(0n, MAX_AMOUNT)),
  min_deposit: {
    key: 'minDeposit',
    parse: (s) => parseCoinsString(s),
    format: (v) => formatCoins(v as Coin[]),
    check(v) {
      const coins = v as Coin[];
      if (coins.length === 0) return undefined;
      try {
        validateCoins(coins, 'min_deposit');
      } catch (e) {
        return (e as Error).message;
      }
      return undefined;
    },
  },
  quorum_bps: intSpec('quorumBps', between(1n, 10_000n)),
  // strictly more Yes than the threshold is needed, so 10000 could never pass; below 50% a minority could
  approval_bps: intSpec('approvalBps', between(5_000n, 9_999n)),
  veto_bps: intSpec('vetoBps', between(1n, 10_000n)),
  emergency_approval_bps: intSpec('emergencyApprovalBps', (v, p) => between(5_000n, 9_999n)(v) ?? ((v as bigint) < p.approvalBps ? `must not be below approval_bps (${p.approvalBps})` : undefined)),
  timelock_veto_bps: intSpec('timelockVetoBps', between(1n, 10_000n)),
};

export const GOV_PARAM_NAMES = Object.keys(GOV_PARAMS);

export function formatGovParam(p: GovParams, name: string): string {
  const spec = GOV_PARAMS[name];
  if (!spec) throw new Error(`unknown gov parameter ${name}`);
  return spec.format(p[spec.key]);
}

function parseOne(name: string, value: string): { key: Key; value: GovParams[Key] } | { problem: string } {
  const spec = GOV_PARAMS[name];
  if (!spec) return { problem: `unknown gov parameter ${JSON.stringify(name)} (known: ${GOV_PARAM_NAMES.join(', ')})` };
  let v: GovParams[Key];
  try {
    v = spec.parse(value);
  } catch (e) {
    return { problem: `${name}: ${(e as Error).message}` };
  }
  if (spec.format(v) !== value) return { problem: `${name}: ${JSON.stringify(value)} is not in canonical form (${JSON.stringify(spec.format(v))})` };
  return { key: spec.key, value: v };
}

/** Parse `value` for `name` and check it against the rest of `p`; returns the new params or a problem. */
export function withGovParam(p: GovParams, name: string, value: string): { params: GovParams } | { problem: string } {
  const r = parseOne(name, value);
  if ('problem' in r) return r;
  const next = { ...p, [r.key]: r.value } as GovParams;
  const bad = checkGovParams(next);
  return bad ? { problem: `${bad.name}: ${bad.problem}` } : { params: next };
}

/** A whole parameter set from name → string (genesis); the problem names the offending parameter. */
export function govParamsFromStrings(values: Record<string, string>): { params: GovParams } | { name: string; problem: string } {
  const p = defaultGovParams();
  for (const name of GOV_PARAM_NAMES) {
    const r = parseOne(name, values[name]!);
    if ('problem' in r) return { name, problem: r.problem };
    (p as unknown as Record<string, unknown>)[r.key] = r.value;
  }
  const bad = checkGovParams(p);
  return bad ? bad : { params: p };
}

/** The first problem of a parameter set, or undefined. */
export function checkGovParams(p: GovParams): { name: string; problem: string } | undefined {
  for (const [name, spec] of Object.entries(GOV_PARAMS)) {
    const problem = spec.check(p[spec.key], p);
    if (problem) return { name, problem };
  }
  return undefined;
}

export function govParamsToJson(p: GovParams): Record<string, string> {
  return Object.fromEntries(GOV_PARAM_NAMES.map((n) => [n, formatGovParam(p, n)]));
}

/**
 * `testnet/config.yml`: the shape of the seed's testnet configuration (network, genesis
 * validators with stake and name, parameters, bootstrap nodes, regions with node
 * counts), validated with errors that name the YAML path. DESIGN §9.
 *
 * Differences from the seed, on purpose:
 * - validators may be listed one by one (`genesis.validators`) or generated per region
 *   (`regions[].nodes` with `genesis.default_stake`); listed validators may name their region;
 * - `parameters` takes module parameters by their genesis names, either flat
 *   (`min_stake: 100000`, looked up in the one module that has it) or per module
 *   (`staking: { epoch_length: 100 }`); epochs are counted in blocks (`epoch_length`),
 *   not seconds (`epoch_duration`), because state transitions may not read clocks.
 */
import { parse } from 'yaml';
import { registerError } from '../app/errors.js';

export const ErrTestnetConfig = registerError('testnet', 2, 'invalid testnet configuration');

export const REGIONS = ['us-east', 'eu-west', 'ap-southeast', 'sa-east'] as const;
export type Region = (typeof REGIONS)[number];

export interface TestnetValidator {
  name: string;
  /** Self-stake in the bond denom's base unit. */
  stake: bigint;
  region: Region;
}

export interface TestnetConfig {
  name: string;
  chainId: string;
  validators: TestnetValidator[];
  /** Extra spendable balance for each validator's operator account. */
  operatorBalance: bigint;
  /** Genesis accounts beyond the validators' operators. */
  accounts: { address: string; amount: bigint }[];
  /** Module parameters as strings, by module then genesis name. */
  parameters: { flat: Record<string, string>; perModule: Record<string, Record<string, string>> };
  /** Multiaddrs with /p2p/<id> for a public network; empty = the first nodes bootstrap the rest (local launch). */
  bootstrapNodes: string[];
  /** First port of node 0; node i uses basePort + 10·i … + 9. */
  basePort: number;
  host: string;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/;
const CHAIN_ID = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,49}$/;

function fail(path: string, msg: string): never {
  throw ErrTestnetConfig.wrap(`${path}: ${msg}`);
}

function mapping(v: unknown, path: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) fail(path, 'expected a mapping');
  return v as Record<string, unknown>;
}

function list(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, 'expected a list');
  return v;
}

function text(v: unknown, path: string, re?: RegExp): string {
  if (typeof v !== 'string' || v === '') fail(path, `expected a non-empty string, got ${JSON.stringify(v)}`);
  if (re && !re.test(v)) fail(path, `${JSON.stringify(v)} does not match ${re}`);
  return v;
}

function amount(v: unknown, path: string): bigint {
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,30}$/.test(s)) fail(path, `expected a non-negative integer, got ${JSON.stringify(v)}`);
  return BigInt(s);
}

function scalar(v: unknown, path: string): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  return fail(path, `expected a number, string or boolean, got ${JSON.stringify(v)}`);
}

function region(v: unknown, path: string): Region {
  if (typeof v !== 'string' || !(REGIONS as readonly string[]).includes(v)) fail(path, `expected one of ${REGIONS.join(', ')}, got ${JSON.stringify(v)}`);
  return v as Region;
}

export function parseTestnetConfig(yamlText: string, source = 'config.yml'): TestnetConfig {
  let raw: unknown;
  try {
    raw = parse(yamlText);
  } catch (e) {
    return fail(source, `not valid YAML: ${(e as Error).message}`);
  }
  const root = mapping(raw, source);
  const network = mapping(root.network, 'network');
  const genesis = mapping(root.genesis, 'genesis');
  const name = text(network.name, 'network.name', NAME);
  const chainId = network.chain_id === undefined ? name : text(network.chain_id, 'network.chain_id', CHAIN_ID);
  const defaultStake = genesis.default_stake === undefined ? 1_000_000n : amount(genesis.default_stake, 'genesis.default_stake');
  const validators: TestnetValidator[] = list(genesis.validators, 'genesis.validators').map((v, i) => {
    const p = `genesis.validators[${i}]`;
    const m = mapping(v, p);
    if (m.pubkey !== undefined) fail(`${p}.pubkey`, 'operator-supplied keys are not supported by the local generator: leave it out and a key is generated in the node home');
    return {
      name: text(m.name, `${p}.name`, NAME),
      stake: m.stake === undefined ? defaultStake : amount(m.stake, `${p}.stake`),
      region: m.region === undefined ? REGIONS[i % REGIONS.length]! : region(m.region, `${p}.region`),
    };
  });
  const regions = list(root.regions, 'regions').map((r, i) => {
    const m = mapping(r, `regions[${i}]`);
    const nodes = m.nodes;
    if (typeof nodes !== 'number' || !Number.isSafeInteger(nodes) || nodes < 0 || nodes > 200) fail(`regions[${i}].nodes`, `expected an integer 0..200, got ${JSON.stringify(nodes)}`);
    return { name: region(m.name, `regions[${i}].name`), nodes };
  });
  if (validators.length === 0) {
    // no list: one validator per node of each region, named <region>-<n>
    for (const r of regions) for (let n = 1; n <= r.nodes; n++) validators.push({ name: `${r.name}-${n}`, stake: defaultStake, region: r.name });
  } else if (regions.length > 0) {
    for (const r of regions) {
      const have = validators.filter((v) => v.region === r.name).length;
      if (have !== r.nodes) fail(`regions`, `${r.name} declares ${r.nodes} nodes but genesis.validators places ${have} there`);
    }
  }
  if (validators.length === 0) fail('genesis.validators', 'no validators: list them or give regions with node counts');
  if (validators.length > 200) fail('genesis.validators', `at most 200 local validators, got ${validators.length}`);
  const seen = new Set<string>();
  for (const [i, v] of validators.entries()) {
    if (seen.has(v.name)) fail(`genesis.validators[${i}].name`, `duplicate name ${v.name}`);
    seen.add(v.name);
    if (v.stake === 0n) fail(`genesis.validators[${i}].stake`, 'must be positive');
  }
  const accounts = list(genesis.accounts, 'genesis.accounts').map((a, i) => {
    const m = mapping(a, `genesis.accounts[${i}]`);
    return { address: text(m.address, `genesis.accounts[${i}].address`), amount: amount(m.amount, `genesis.accounts[${i}].amount`) };
  });
  const flat: Record<string, string> = {};
  const perModule: Record<string, Record<string, string>> = {};
  for (const [k, v] of Object.entries(mapping(genesis.parameters, 'genesis.parameters'))) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      perModule[k] = {};
      for (const [pk, pv] of Object.entries(v)) perModule[k][pk] = scalar(pv, `genesis.parameters.${k}.${pk}`);
    } else flat[k] = scalar(v, `genesis.parameters.${k}`);
  }
  const bootstrapNodes = list(root.bootstrap_nodes, 'bootstrap_nodes').map((b, i) => text(b, `bootstrap_nodes[${i}]`));
  const local = mapping(root.local, 'local');
  const basePort = local.base_port === undefined ? 27000 : Number(local.base_port);
  if (!Number.isSafeInteger(basePort) || basePort < 1024 || basePort + validators.length * 10 > 65535) fail('local.base_port', `expected a port ≥1024 leaving room for ${validators.length} nodes × 10 ports`);
  const host = local.host === undefined ? '127.0.0.1' : text(local.host, 'local.host');
  const operatorBalance = genesis.operator_balance === undefined ? 1_000_000_000n : amount(genesis.operator_balance, 'genesis.operator_balance');
  return { name, chainId, validators, operatorBalance, accounts, parameters: { flat, perModule }, bootstrapNodes, basePort, host };
}

/**
 * The genesis file: CometBFT's genesis document shape (chain_id, genesis_time,
 * initial_height, consensus_params, validators, app_hash) with per-module `app_state`.
 * `parseGenesis` validates untrusted JSON and names the offending path; `genesisToJson`
 * writes the canonical form, so export → import → export gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { fromBase64, fromHex, toBase64, toHex } from '@cosmjs/encoding';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { AppModule } from '../app/chain/module.js';
import { GenesisError, expectArray, expectObject, expectString, expectUint, rejectUnknownKeys } from '../app/chain/genesis-error.js';
import { formatRfc3339, parseRfc3339 } from './time.js';

export interface GenesisValidator {
  address: Uint8Array;
  pubKey: Uint8Array;
  power: bigint;
  name: string;
}

export interface ConsensusParamsDoc {
  blockMaxBytes: bigint;
  /** -1 = unlimited */
  blockMaxGas: bigint;
  evidenceMaxAgeNumBlocks: bigint;
  evidenceMaxAgeDuration: bigint;
  evidenceMaxBytes: bigint;
  pubKeyTypes: string[];
  appVersion: bigint;
}

export interface Genesis {
  genesisTime: Timestamp;
  chainId: string;
  initialHeight: bigint;
  consensusParams: ConsensusParamsDoc;
  validators: GenesisValidator[];
  appState: Record<string, unknown>;
}

const CHAIN_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,49}$/;

export function defaultConsensusParams(): ConsensusParamsDoc {
  return {
    blockMaxBytes: 22020096n,
    blockMaxGas: -1n,
    evidenceMaxAgeNumBlocks: 100000n,
    evidenceMaxAgeDuration: 172800000000000n,
    evidenceMaxBytes: 1048576n,
    pubKeyTypes: ['ed25519'],
    appVersion: 0n,
  };
}

/** CometBFT validator address: first 20 bytes of sha256(ed25519 pubkey). */
export function validatorAddress(pubKey: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(pubKey).digest().subarray(0, 20));
}

function parseConsensusParams(raw: unknown, path: string): ConsensusParamsDoc {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['block', 'evidence', 'validator', 'version', 'abci'], path);
  const block = expectObject(o.block, `${path}.block`);
  const maxGasRaw = expectString(block.max_gas, `${path}.block.max_gas`);
  if (!/^(-1|0|[1-9][0-9]*)$/.test(maxGasRaw)) throw new GenesisError(`${path}.block.max_gas`, 'expected -1 (unlimited) or a positive integer string');
  const ev = expectObject(o.evidence, `${path}.evidence`);
  const val = expectObject(o.validator, `${path}.validator`);
  const types = expectArray(val.pub_key_types, `${path}.validator.pub_key_types`).map((t, i) => expectString(t, `${path}.validator.pub_key_types[${i}]`));
  if (types.length !== 1 || types[0] !== 'ed25519') throw new GenesisError(`${path}.validator.pub_key_types`, 'only ["ed25519"] is supported');
  const version = o.version === undefined ? { app: '0' } : expectObject(o.version, `${path}.version`);
  return {
    blockMaxBytes: expectUint(block.max_bytes, `${path}.block.max_bytes`, { min: 1024n, max: 104857600n }),
    blockMaxGas: BigInt(maxGasRaw),
    evidenceMaxAgeNumBlocks: expectUint(ev.max_age_num_blocks, `${path}.evidence.max_age_num_blocks`, { min: 1n }),
    evidenceMaxAgeDuration: expectUint(ev.max_age_duration, `${path}.evidence.max_age_duration`, { min: 1n }),
    evidenceMaxBytes: expectUint(ev.max_bytes ?? '1048576', `${path}.evidence.max_bytes`),
    pubKeyTypes: types,
    appVersion: expectUint(version.app ?? '0', `${path}.version.app`),
  };
}

function parseValidator(raw: unknown, path: string): GenesisValidator {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['address', 'pub_key', 'power', 'name'], path);
  const pk = expectObject(o.pub_key, `${path}.pub_key`);
  if (pk.type !== 'tendermint/PubKeyEd25519') throw new GenesisError(`${path}.pub_key.type`, 'expected "tendermint/PubKeyEd25519"');
  let pubKey: Uint8Array;
  try {
    pubKey = fromBase64(expectString(pk.value, `${path}.pub_key.value`));
  } catch {
    throw new GenesisError(`${path}.pub_key.value`, 'not valid base64');
  }
  if (pubKey.length !== 32) throw new GenesisError(`${path}.pub_key.value`, `expected a 32-byte ed25519 key, got ${pubKey.length} bytes`);
  const address = validatorAddress(pubKey);
  if (o.address !== undefined && o.address !== '') {
    const given = expectString(o.address, `${path}.address`);
    let bytes: Uint8Array;
    try {
      bytes = fromHex(given);
    } catch {
      throw new GenesisError(`${path}.address`, 'not valid hex');
    }
    if (toHex(bytes) !== toHex(address)) throw new GenesisError(`${path}.address`, `does not match the pub_key (expected ${toHex(address).toUpperCase()})`);
  }
  const power = expectUint(o.power, `${path}.power`, { min: 1n, max: (1n << 60n) });
  return { address, pubKey, power, name: o.name === undefined ? '' : expectString(o.name, `${path}.name`) };
}

/** Validate an untrusted genesis document (already JSON-parsed). Module app_state is validated by each module. */
export function parseGenesis(raw: unknown, modules: AppModule[]): Genesis {
  const o = expectObject(raw, 'genesis');
  rejectUnknownKeys(o, ['genesis_time', 'chain_id', 'initial_height', 'consensus_params', 'validators', 'app_hash', 'app_state'], 'genesis');
  const chainId = expectString(o.chain_id, 'chain_id');
  if (!CHAIN_ID.test(chainId)) throw new GenesisError('chain_id', `must be 1-50 characters of [a-zA-Z0-9_.-], got ${JSON.stringify(chainId)}`);
  const genesisTime = parseRfc3339(expectString(o.genesis_time, 'genesis_time'));
  if (!genesisTime) throw new GenesisError('genesis_time', 'expected an RFC 3339 time such as 2026-11-25T00:00:00Z');
  const initialHeight = expectUint(o.initial_height ?? '1', 'initial_height', { min: 1n, max: 1n << 53n });
  const consensusParams = parseConsensusParams(o.consensus_params ?? consensusParamsToJson(defaultConsensusParams()), 'consensus_params');
  const validators = expectArray(o.validators, 'validators').map((v, i) => parseValidator(v, `validators[${i}]`));
  if (validators.length === 0) throw new GenesisError('validators', 'at least one genesis validator is required');
  const seen = new Set<string>();
  validators.forEach((v, i) => {
    const k = toHex(v.pubKey);
    if (seen.has(k)) throw new GenesisError(`validators[${i}].pub_key`, 'duplicate validator key');
    seen.add(k);
  });
  if (o.app_hash !== undefined && o.app_hash !== '') throw new GenesisError('app_hash', 'must be empty: the app hash is computed from app_state');
  const stateRaw = expectObject(o.app_state ?? {}, 'app_state');
  rejectUnknownKeys(stateRaw, modules.map((m) => m.name), 'app_state');
  const appState: Record<string, unknown> = {};
  for (const m of modules) {
    appState[m.name] = stateRaw[m.name] === undefined ? m.defaultGenesis() : m.validateGenesis(stateRaw[m.name], `app_state.${m.name}`);
  }
  for (const m of modules) {
    const source = (m as Partial<GenesisConsensusSource>).genesisConsensus;
    if (typeof source === 'function') checkConsensusValidators(validators, source(appState[m.name]), `app_state.${m.name}`);
  }
  return { genesisTime, chainId, initialHeight, consensusParams, validators, appState };
}

/**
 * A module whose genesis decides validators (staking): InitChain returns none, so
 * consensus starts from `validators` and the two must agree.
 */
export interface GenesisConsensusSource {
  genesisConsensus(genesis: unknown): { validators: { pubKey: Uint8Array; power: bigint; name: string }[]; keys: Uint8Array[] };
}

/**
 * Every validator the module bonds at genesis is in `validators` with the same power, and
 * no key the module knows but does not bond is. Keys the module does not know at all are
 * consensus validators it does not manage (the default single-validator home).
 */
function checkConsensusValidators(validators: GenesisValidator[], implied: ReturnType<GenesisConsensusSource['genesisConsensus']>, source: string): void {
  if (implied.validators.length === 0) return;
  const index = new Map(validators.map((v, i) => [toHex(v.pubKey), i]));
  const bonded = new Set<string>();
  for (const e of implied.validators) {
    const key = toHex(e.pubKey);
    bonded.add(key);
    const i = index.get(key);
    const b64 = Buffer.from(e.pubKey).toString('base64');
    if (i === undefined) {
      throw new GenesisError('validators', `${source} bonds ${e.name ? `${JSON.stringify(e.name)} ` : ''}(pub_key ${b64}) with power ${e.power} at genesis, but validators does not list it; add {"pub_key": {"type": "tendermint/PubKeyEd25519", "value": "${b64}"}, "power": "${e.power}"}`);
    }
    if (validators[i]!.power !== e.power) {
      throw new GenesisError(`validators[${i}].power`, `is ${validators[i]!.power} but ${source} gives pub_key ${b64} power ${e.power} (self-stake / power_reduction)`);
    }
  }
  for (const k of implied.keys) {
    const key = toHex(k);
    const i = index.get(key);
    if (i !== undefined && !bonded.has(key)) throw new GenesisError(`validators[${i}]`, `pub_key ${Buffer.from(k).toString('base64')} belongs to a ${source} validator that is not bonded at genesis; remove it or bond it`);
  }
}

export function consensusParamsToJson(p: ConsensusParamsDoc): unknown {
  return {
    block: { max_bytes: p.blockMaxBytes.toString(), max_gas: p.blockMaxGas.toString() },
    evidence: {
      max_age_num_blocks: p.evidenceMaxAgeNumBlocks.toString(),
      max_age_duration: p.evidenceMaxAgeDuration.toString(),
      max_bytes: p.evidenceMaxBytes.toString(),
    },
    validator: { pub_key_types: p.pubKeyTypes },
    version: { app: p.appVersion.toString() },
  };
}

export function genesisToJson(g: Genesis, modules: AppModule[]): Record<string, unknown> {
  const appState: Record<string, unknown> = {};
  // a module missing from app_state gets its default genesis, as parseGenesis does
  for (const m of modules) appState[m.name] = m.genesisToJson(g.appState[m.name] ?? m.defaultGenesis());
  return {
    genesis_time: formatRfc3339(g.genesisTime),
    chain_id: g.chainId,
    initial_height: g.initialHeight.toString(),
    consensus_params: consensusParamsToJson(g.consensusParams),
    validators: g.validators.map((v) => ({
      address: toHex(v.address).toUpperCase(),
      pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(v.pubKey) },
      power: v.power.toString(),
      name: v.name,
    })),
    app_hash: '',
    app_state: appState,
  };
}

/** The bytes written to genesis.json: 2-space indented, trailing newline. */
export function genesisFileBytes(g: Genesis, modules: AppModule[]): string {
  return `${JSON.stringify(genesisToJson(g, modules), null, 2)}\n`;
}

/** Read and validate a genesis file's text; JSON syntax errors become GenesisError too. */
export function parseGenesisText(text: string, modules: AppModule[]): Genesis {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GenesisError('genesis', `not valid JSON: ${(e as Error).message}`);
  }
  return parseGenesis(raw, modules);
}

/**
 * A node's home folder, laid out like CometBFT's:
 *   config/config.yaml            node-local settings
 *   config/genesis.json           the chain's genesis
 *   config/priv_validator_key.json, config/node_key.json   (0600)
 *   data/priv_validator_state.json                         last signed height/round/step
 *   data/chain/                   LevelDB: state tree, block store, indexes (one atomic batch per block)
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toBase64, toHex } from '@cosmjs/encoding';
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { generateFilePV, loadFilePV, writeFileAtomic } from '../consensus/privval.js';
import { registerError } from '../errors.js';
import { defaultConfig, writeConfig, type NodeConfig } from './config.js';
import { defaultConsensusParams, genesisFileBytes, type Genesis } from '../../genesis/doc.js';
import { parseRfc3339 } from '../../genesis/time.js';
import { createModules } from '../chain/modules.js';
import { genesisValidatorSet } from '../../modules/staking/genesis.js';

export const ErrHome = registerError('node', 3, 'invalid node home');

export interface HomePaths {
  home: string;
  config: string;
  genesis: string;
  privValidatorKey: string;
  nodeKey: string;
  privValidatorState: string;
  chainData: string;
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    config: join(home, 'config', 'config.yaml'),
    genesis: join(home, 'config', 'genesis.json'),
    privValidatorKey: join(home, 'config', 'priv_validator_key.json'),
    nodeKey: join(home, 'config', 'node_key.json'),
    privValidatorState: join(home, 'data', 'priv_validator_state.json'),
    chainData: join(home, 'data', 'chain'),
  };
}

export function isInitialised(home: string): boolean {
  return existsSync(homePaths(home).genesis);
}

/** Node id = hex of the first 20 bytes of sha256(ed25519 node public key), as CometBFT. */
async function writeNodeKey(path: string): Promise<string> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'jwk' }).d!;
  const pub = new Uint8Array(Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url'));
  const priv = new Uint8Array([...Buffer.from(seed, 'base64url'), ...pub]);
  await writeFileAtomic(path, JSON.stringify({ priv_key: { type: 'tendermint/PrivKeyEd25519', value: toBase64(priv) } }, null, 2));
  return nodeIdFromPubKey(pub);
}

export function nodeIdFromPubKey(pub: Uint8Array): string {
  return toHex(createHash('sha256').update(pub).digest().subarray(0, 20));
}

export async function readNodeId(path: string): Promise<string> {
  const j = JSON.parse(await readFile(path, 'utf8')) as { priv_key?: { value?: string } };
  const raw = Buffer.from(j.priv_key?.value ?? '', 'base64');
  if (raw.length !== 64) throw ErrHome.wrap(`${path}: expected a 64-byte ed25519 key`);
  return nodeIdFromPubKey(new Uint8Array(raw.subarray(32)));
}

export interface InitHomeOptions {
  home: string;
  moniker: string;
  chainId: string;
  overwrite?: boolean;
  /** Genesis balances (their accounts are created with consecutive numbers). */
  accounts?: { address: string; coins: Coin[] }[];
  configure?: (c: NodeConfig) => void;
  /** Genesis time; defaults to now (the only clock read, and it happens before the chain exists). */
  genesisTime?: string;
  /**
   * Make this node's validator a staking validator at genesis: `operator` (a funded genesis
   * account) bonds `selfStake` of the bond denom, and the consensus power is what staking
   * gives it. Without it the validator has power 10 and is not managed by staking.
   */
  stakingValidator?: { operator: string; selfStake: bigint };
  /** Adjust the parsed default app_state (module name → that module's genesis) before it is written. */
  editAppState?: (appState: Record<string, unknown>) => void;
}

/** Commission of a genesis staking validator made by `initHome`: 10%, at most 20%, ≤ 1% a day. */
const GENESIS_COMMISSION = { rateBp: 1000, maxRateBp: 2000, maxChangeRateBp: 100 };

/**
 * Create a home with a fresh validator key, node key, config and a genesis in which
 * this node is the only validator (power 10).
 */
export async function initHome(opts: InitHomeOptions): Promise<{ home: string; nodeId: string; validatorAddress: string; genesisPath: string }> {
  const paths = homePaths(opts.home);
  if (isInitialised(opts.home) && !opts.overwrite) {
    throw ErrHome.wrap(`${paths.genesis} already exists: this home is initialised (use a new --home, or --overwrite to replace genesis and config)`);
  }
  await mkdir(join(opts.home, 'config'), { recursive: true, mode: 0o700 });
  await mkdir(join(opts.home, 'data'), { recursive: true, mode: 0o700 });
  const pv = existsSync(paths.privValidatorKey)
    ? loadFilePV(paths.privValidatorKey, paths.privValidatorState)
    : generateFilePV(paths.privValidatorKey, paths.privValidatorState);
  const validator = await pv;
  const nodeId = existsSync(paths.nodeKey) ? await readNodeId(paths.nodeKey) : await writeNodeKey(paths.nodeKey);
  const config = defaultConfig(opts.moniker);
  opts.configure?.(config);
  await writeConfig(paths.config, config);

  const modules = createModules();
  const appState: Record<string, unknown> = {};
  for (const m of modules.list) appState[m.name] = m.defaultGenesis();
  const bank = modules.bank.defaultGenesis();
  const sorted = [...(opts.accounts ?? [])].sort((a, b) => (a.address < b.address ? -1 : 1));
  bank.balances = sorted.map((a) => ({ address: a.address, coins: a.coins }));
  appState.bank = modules.bank.validateGenesis(modules.bank.genesisToJson(bank), 'app_state.bank');
  opts.editAppState?.(appState);
  const genesisTime = parseRfc3339(opts.genesisTime ?? new Date().toISOString());
  if (!genesisTime) throw ErrHome.wrap(`invalid genesis time ${opts.genesisTime}`);
  let validators: Genesis['validators'] = [{ address: validator.address, pubKey: validator.pubKey, power: 10n, name: opts.moniker }];
  if (opts.stakingValidator) {
    const { operator, selfStake } = opts.stakingValidator;
    const staking = modules.staking.defaultGenesis();
    staking.genesisValidators = [
      { operatorAddress: operator, consensusPubkey: validator.pubKey, description: { moniker: opts.moniker, website: '', details: '' }, commission: GENESIS_COMMISSION, selfStake: selfStake.toString() },
    ];
    appState.staking = modules.staking.validateGenesis(modules.staking.genesisToJson(staking), 'app_state.staking');
    // consensus starts from the set staking bonds (genesis/doc.ts checks they agree)
    validators = genesisValidatorSet(staking).map((v) => ({ address: validator.address, pubKey: v.pubKey, power: v.power, name: opts.moniker }));
    if (validators.length !== 1) throw ErrHome.wrap(`self-stake ${selfStake} does not make ${operator} a bonded validator (min_stake ${staking.params.minStake})`);
  }
  const genesis: Genesis = {
    genesisTime,
    chainId: opts.chainId,
    initialHeight: 1n,
    consensusParams: defaultConsensusParams(),
    validators,
    appState,
  };
  await writeFileAtomic(paths.genesis, genesisFileBytes(genesis, modules.list), 0o644);
  return { home: opts.home, nodeId, validatorAddress: toHex(validator.address).toUpperCase(), genesisPath: paths.genesis };
}

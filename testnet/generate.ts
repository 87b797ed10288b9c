/**
 * `guts testnet init`: turn a testnet config (testnet/config.ts) into one node home per
 * validator under an output folder, all sharing one genesis:
 *
 *   <out>/testnet.json            manifest: every node's name, region, home, ports, peer id, addresses
 *   <out>/<name>/config/...       keys, config.yaml (ports, p2p bootstrap), the shared genesis.json
 *   <out>/<name>/keyring-test/    the validator's operator account key (`--from operator --keyring-backend test`)
 *
 * Staking genesis lists each validator with its self-stake (taken from its operator's
 * genesis balance), and the consensus validator set is derived from it
 * (`genesisValidatorSet`), so the two always agree.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { toHex } from '@cosmjs/encoding';
import { privateKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { createModules } from '../app/chain/modules.js';
import { loadFilePV } from '../app/consensus/privval.js';
import { openKeyring } from '../app/keyring/index.js';
import { initHome, homePaths } from '../app/node/home.js';
import { readConfig, writeConfig } from '../app/node/config.js';
import { defaultConsensusParams, genesisFileBytes, type Genesis } from '../genesis/doc.js';
import { formatRfc3339, parseRfc3339 } from '../genesis/time.js';
import { genesisValidatorSet, type StakingGenesis } from '../modules/staking/genesis.js';
import type { AppModule } from '../app/chain/module.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ErrTestnetConfig, type Region, type TestnetConfig } from './config.js';

export interface TestnetNode {
  name: string;
  region: Region;
  home: string;
  rpc: string;
  p2p: string;
  ws: string;
  /** Prometheus metrics endpoint (tcp://host:port, GET /metrics). */
  metrics: string;
  peerId: string;
  /** multiaddr with /p2p/<peer id> */
  multiaddr: string;
  validatorAddress: string;
  operatorAddress: string;
  stake: string;
}

export interface TestnetManifest {
  chainId: string;
  genesisTime: string;
  nodes: TestnetNode[];
}

export interface GenerateOptions {
  config: TestnetConfig;
  out: string;
  /** Genesis time (RFC 3339); defaults to now: the only clock read, before the chain exists. */
  genesisTime?: string;
  /** Config tweaks applied to every node (tests shorten timeouts). */
  configure?: Parameters<typeof initHome>[0]['configure'];
}

/** How many nodes the others bootstrap from when the config lists no bootstrap nodes. */
const LOCAL_BOOTSTRAP = 3;

async function peerIdOf(nodeKeyFile: string): Promise<string> {
  const j = JSON.parse(await readFile(nodeKeyFile, 'utf8')) as { priv_key: { value: string } };
  return peerIdFromPrivateKey(privateKeyFromRaw(new Uint8Array(Buffer.from(j.priv_key.value, 'base64')))).toString();
}

function moduleParams(modules: AppModule[], appJson: Record<string, Record<string, unknown>>, cfg: TestnetConfig): void {
  const set = (module: string, key: string, value: string, path: string) => {
    const params = appJson[module]?.params as Record<string, unknown> | undefined;
    if (!params || !(key in params)) throw ErrTestnetConfig.wrap(`${path}: module ${module} has no parameter ${key}`);
    params[key] = typeof params[key] === 'boolean' ? value === 'true' : typeof params[key] === 'number' ? Number(value) : value;
  };
  for (const [key, value] of Object.entries(cfg.parameters.flat)) {
    const owners = modules.filter((m) => key in ((appJson[m.name]?.params as Record<string, unknown> | undefined) ?? {})).map((m) => m.name);
    if (owners.length !== 1) {
      throw ErrTestnetConfig.wrap(
        `genesis.parameters.${key}: ${owners.length === 0 ? 'no module has this parameter' : `several modules have it (${owners.join(', ')}): write it as <module>: { ${key}: … }`}`,
      );
    }
    set(owners[0]!, key, value, `genesis.parameters.${key}`);
  }
  for (const [module, entries] of Object.entries(cfg.parameters.perModule)) {
    for (const [key, value] of Object.entries(entries)) set(module, key, value, `genesis.parameters.${module}.${key}`);
  }
}

export async function generateTestnet(opts: GenerateOptions): Promise<TestnetManifest> {
  const out = resolve(opts.out);
  if (existsSync(out) && (await readdir(out)).length > 0) throw ErrTestnetConfig.wrap(`${out} is not empty: choose a new output folder`);
  try {
    return await generate(opts, out);
  } catch (err) {
    // nothing half-made is left behind: the folder was absent or empty
    await rm(out, { recursive: true, force: true });
    throw err;
  }
}

async function generate(opts: GenerateOptions, out: string): Promise<TestnetManifest> {
  const cfg = opts.config;
  await mkdir(out, { recursive: true });
  const genesisTime = parseRfc3339(opts.genesisTime ?? new Date().toISOString());
  if (!genesisTime) throw ErrTestnetConfig.wrap(`invalid genesis time ${opts.genesisTime}`);
  const modules = createModules();
  // parameters first: a bad one fails before any home is written
  const appJson: Record<string, Record<string, unknown>> = {};
  for (const m of modules.list) appJson[m.name] = m.genesisToJson(m.defaultGenesis()) as Record<string, unknown>;
  moduleParams(modules.list, appJson, cfg);
  const stakingDefaults = modules.staking.defaultGenesis() as StakingGenesis;
  const bondDenom = stakingDefaults.params.bondDenom;

  const nodes: TestnetNode[] = [];
  const consensusKeys: Uint8Array[] = [];
  for (const [i, v] of cfg.validators.entries()) {
    const home = join(out, v.name);
    const port = cfg.basePort + 10 * i;
    await initHome({ home, moniker: v.name, chainId: cfg.chainId, genesisTime: formatRfc3339(genesisTime) });
    const paths = homePaths(home);
    const pv = await loadFilePV(paths.privValidatorKey, paths.privValidatorState);
    const operator = await openKeyring({ home, backend: 'test' }).add('operator');
    const peerId = await peerIdOf(paths.nodeKey);
    const p2p = `/ip4/${cfg.host}/tcp/${port + 1}`;
    nodes.push({
      name: v.name,
      region: v.region,
      home,
      rpc: `tcp://${cfg.host}:${port}`,
      p2p,
      ws: `/ip4/${cfg.host}/tcp/${port + 2}/ws`,
      metrics: `tcp://${cfg.host}:${port + 3}`,
      peerId,
      multiaddr: `${p2p}/p2p/${peerId}`,
      validatorAddress: toHex(pv.address).toUpperCase(),
      operatorAddress: operator.address,
      stake: v.stake.toString(),
    });
    consensusKeys.push(pv.pubKey);
  }

  // the shared genesis
  const balances = new Map<string, bigint>();
  for (const [i, n] of nodes.entries()) balances.set(n.operatorAddress, cfg.validators[i]!.stake + cfg.operatorBalance);
  for (const a of cfg.accounts) balances.set(a.address, (balances.get(a.address) ?? 0n) + a.amount);
  appJson.bank!.balances = [...balances.entries()].map(([address, amount]) => ({ address, coins: [{ denom: bondDenom, amount: amount.toString() }] }));
  appJson.staking!.genesis_validators = nodes.map((n, i) => ({
    operator_address: n.operatorAddress,
    consensus_pubkey: Buffer.from(consensusKeys[i]!).toString('base64'),
    description: { moniker: n.name, website: '', details: `${n.region} validator` },
    commission: { rate_bp: '1000', max_rate_bp: '2000', max_change_rate_bp: '100' },
    self_stake: n.stake,
  }));
  const appState: Record<string, unknown> = {};
  for (const m of modules.list) appState[m.name] = m.validateGenesis(appJson[m.name], `app_state.${m.name}`);
  const set = genesisValidatorSet(appState.staking as StakingGenesis);
  const genesis: Genesis = {
    genesisTime,
    chainId: cfg.chainId,
    initialHeight: 1n,
    consensusParams: defaultConsensusParams(),
    validators: set.map((v) => ({ address: sha256(v.pubKey).subarray(0, 20), pubKey: v.pubKey, power: v.power, name: v.name })),
    appState,
  };
  const genesisBytes = genesisFileBytes(genesis, modules.list);

  const bootstrap = cfg.bootstrapNodes.length > 0 ? cfg.bootstrapNodes : nodes.slice(0, LOCAL_BOOTSTRAP).map((n) => n.multiaddr);
  const loopback = cfg.host.startsWith('127.');
  for (const n of nodes) {
    const paths = homePaths(n.home);
    await writeFile(paths.genesis, genesisBytes, { mode: 0o644 });
    const c = await readConfig(paths.config);
    c.rpc.laddr = n.rpc;
    c.p2p.enabled = true;
    c.p2p.listen = [n.p2p, n.ws];
    c.p2p.bootstrap = bootstrap.filter((b) => !b.endsWith(`/p2p/${n.peerId}`));
    if (loopback) c.p2p.allow = ['127.0.0.0/8'];
    c.faucet.enabled = false;
    c.instrumentation.prometheus = true;
    c.instrumentation.laddr = n.metrics;
    opts.configure?.(c);
    await writeConfig(paths.config, c);
  }
  const manifest: TestnetManifest = { chainId: cfg.chainId, genesisTime: formatRfc3339(genesisTime), nodes };
  await writeFile(join(out, 'testnet.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

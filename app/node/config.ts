/**
 * Node configuration: `<home>/config/config.yaml`. Only node-local behaviour lives here
 * (addresses, timeouts, mempool sizes, minimum gas prices, logging); nothing in it can
 * change state transitions (DESIGN §1).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { registerError } from '../errors.js';

export const ErrConfig = registerError('node', 2, 'invalid node configuration');

/** Section `faucet`: the faucet HTTP front end (app/node/faucet-http.ts). */
export interface FaucetConfig {
  enabled: boolean;
  laddr: string;
  /** Operator key file, relative to the home unless absolute. */
  keyFile: string;
  ratePerIp: number;
  rateWindowSeconds: number;
}

export const FAUCET_OPERATOR_KEY_FILE = 'config/faucet_operator_key.json';

/** Section `p2p`: the libp2p host and gossip (app/p2p/host). */
export interface P2PConfig {
  /** false: no peer-to-peer layer at all (a single-validator chain such as `guts devnet`). */
  enabled: boolean;
  /** libp2p listen multiaddrs, e.g. /ip4/0.0.0.0/tcp/26656 and /ip4/0.0.0.0/tcp/26659/ws. */
  listen: string[];
  /** Multiaddrs announced to peers instead of the listen ones (NAT-ed hosts); empty = listen addrs. */
  announce: string[];
  /** Multiaddrs with /p2p/<peer id>, dialled only when the persisted peer store is empty. */
  bootstrap: string[];
  /** Multicast DNS discovery on the local network (`_guts._tcp.local`). */
  mdns: boolean;
  /** Connection limits: inbound connections accepted, and dials this node makes on its own. */
  maxInbound: number;
  maxOutbound: number;
  /** CIDRs exempt from per-IP limits and diversity rules (loopback testnets). */
  allow: string[];
}

/** Section `api`: the REST gateway on 1317 (app/rest). */
export interface ApiConfig {
  /** Off by default (as cosmos-sdk's app.toml); `guts devnet` turns it on. */
  enabled: boolean;
  laddr: string;
  corsAllowedOrigins: string[];
}

/** Section `instrumentation`: Prometheus metrics (app/node/metrics.ts; CometBFT's section name). */
export interface InstrumentationConfig {
  /** Serve GET /metrics (off by default, as CometBFT; on in `guts devnet`). */
  prometheus: boolean;
  /** tcp://host:port of the metrics endpoint (default tcp://127.0.0.1:26660). */
  laddr: string;
  /** Metric name prefix (default `guts`; CometBFT uses `cometbft`). */
  namespace: string;
}

/** Section `consensus`: Tendermint timeouts (ms) and block production. */
export interface ConsensusConfig {
  timeoutProposeMs: number;
  timeoutProposeDeltaMs: number;
  timeoutPrevoteMs: number;
  timeoutPrevoteDeltaMs: number;
  timeoutPrecommitMs: number;
  timeoutPrecommitDeltaMs: number;
  timeoutCommitMs: number;
  createEmptyBlocks: boolean;
  /** A node in consensus more than this many blocks behind a third of its peers switches to blocksync (`blocksync_switch_margin`). */
  blocksyncSwitchMargin: number;
}

export interface NodeConfig {
  moniker: string;
  rpc: { laddr: string; corsAllowedOrigins: string[]; maxBodyBytes: number; timeoutBroadcastTxCommitMs: number };
  /** The REST gateway (app/rest). */
  api: ApiConfig;
  consensus: ConsensusConfig;
  p2p: P2PConfig;
  mempool: { size: number; maxTxsBytes: number; maxTxBytes: number; cacheSize: number };
  app: { minimumGasPrices: string; pruningKeepRecent: number; verifyThreads: number };
  log: { level: string; format: 'json' | 'pretty' | 'auto' };
  /** The faucet HTTP front end (app/node/faucet-http.ts); on by default only in `guts devnet`. */
  faucet: FaucetConfig;
  /** Prometheus metrics (app/node/metrics.ts). */
  instrumentation: InstrumentationConfig;
}

export function defaultConfig(moniker: string): NodeConfig {
  return {
    moniker,
    rpc: { laddr: 'tcp://127.0.0.1:26657', corsAllowedOrigins: [], maxBodyBytes: 1_000_000, timeoutBroadcastTxCommitMs: 10_000 },
    api: { enabled: false, laddr: 'tcp://127.0.0.1:1317', corsAllowedOrigins: [] },
    consensus: {
      timeoutProposeMs: 3000,
      timeoutProposeDeltaMs: 500,
      timeoutPrevoteMs: 1000,
      timeoutPrevoteDeltaMs: 500,
      timeoutPrecommitMs: 1000,
      timeoutPrecommitDeltaMs: 500,
      timeoutCommitMs: 1000,
      createEmptyBlocks: true,
      blocksyncSwitchMargin: 30,
    },
    p2p: {
      enabled: true,
      listen: ['/ip4/0.0.0.0/tcp/26656', '/ip4/0.0.0.0/tcp/26659/ws'],
      announce: [],
      bootstrap: [],
      mdns: false,
      maxInbound: 40,
      maxOutbound: 10,
      allow: [],
    },
    mempool: { size: 5000, maxTxsBytes: 1 << 30, maxTxBytes: 1 << 20, cacheSize: 10_000 },
    app: { minimumGasPrices: '0.025ugut', pruningKeepRecent: 0, verifyThreads: 2 },
    log: { level: 'info', format: 'auto' },
    faucet: { enabled: false, laddr: 'tcp://127.0.0.1:8000', keyFile: FAUCET_OPERATOR_KEY_FILE, ratePerIp: 5, rateWindowSeconds: 60 },
    instrumentation: { prometheus: false, laddr: 'tcp://127.0.0.1:26660', namespace: 'guts' },
  };
}

function toYaml(c: NodeConfig): unknown {
  return {
    moniker: c.moniker,
    rpc: { laddr: c.rpc.laddr, cors_allowed_origins: c.rpc.corsAllowedOrigins, max_body_bytes: c.rpc.maxBodyBytes, timeout_broadcast_tx_commit_ms: c.rpc.timeoutBroadcastTxCommitMs },
    api: { enabled: c.api.enabled, laddr: c.api.laddr, cors_allowed_origins: c.api.corsAllowedOrigins },
    consensus: {
      timeout_propose_ms: c.consensus.timeoutProposeMs,
      timeout_propose_delta_ms: c.consensus.timeoutProposeDeltaMs,
      timeout_prevote_ms: c.consensus.timeoutPrevoteMs,
      timeout_prevote_delta_ms: c.consensus.timeoutPrevoteDeltaMs,
      timeout_precommit_ms: c.consensus.timeoutPrecommitMs,
      timeout_precommit_delta_ms: c.consensus.timeoutPrecommitDeltaMs,
      timeout_commit_ms: c.consensus.timeoutCommitMs,
      create_empty_blocks: c.consensus.createEmptyBlocks,
      blocksync_switch_margin: c.consensus.blocksyncSwitchMargin,
    },
    p2p: {
      enabled: c.p2p.enabled,
      listen: c.p2p.listen,
      announce: c.p2p.announce,
      bootstrap: c.p2p.bootstrap,
      mdns: c.p2p.mdns,
      max_inbound: c.p2p.maxInbound,
      max_outbound: c.p2p.maxOutbound,
      allow: c.p2p.allow,
    },
    mempool: { size: c.mempool.size, max_txs_bytes: c.mempool.maxTxsBytes, max_tx_bytes: c.mempool.maxTxBytes, cache_size: c.mempool.cacheSize },
    app: { minimum_gas_prices: c.app.minimumGasPrices, pruning_keep_recent: c.app.pruningKeepRecent, verify_threads: c.app.verifyThreads },
    log: { level: c.log.level, format: c.log.format },
    faucet: { enabled: c.faucet.enabled, laddr: c.faucet.laddr, key_file: c.faucet.keyFile, rate_per_ip: c.faucet.ratePerIp, rate_window_seconds: c.faucet.rateWindowSeconds },
    instrumentation: { prometheus: c.instrumentation.prometheus, laddr: c.instrumentation.laddr, namespace: c.instrumentation.namespace },
  };
}

export async function writeConfig(path: string, c: NodeConfig): Promise<void> {
  const header = '# Guts node configuration. Node-local settings only; chain rules live in genesis.json.\n';
  await writeFile(path, header + stringify(toYaml(c)), { mode: 0o644 });
}

function section(raw: Record<string, unknown>, name: string): Record<string, unknown> {
  const v = raw[name];
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw ErrConfig.wrap(`${name}: expected a mapping`);
  return v as Record<string, unknown>;
}

function int(v: unknown, fallback: number, path: string, min = 0): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw ErrConfig.wrap(`${path}: expected an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v;
}

function str(v: unknown, fallback: string, path: string): string {
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw ErrConfig.wrap(`${path}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function strings(v: unknown, fallback: string[], path: string): string[] {
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw ErrConfig.wrap(`${path}: expected a list of strings, got ${JSON.stringify(v)}`);
  return v as string[];
}

function bool(v: unknown, fallback: boolean, path: string): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw ErrConfig.wrap(`${path}: expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

export async function readConfig(path: string): Promise<NodeConfig> {
  let raw: unknown;
  try {
    raw = parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw ErrConfig.wrap(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw ErrConfig.wrap(`${path}: expected a YAML mapping`);
  const r = raw as Record<string, unknown>;
  const d = defaultConfig(str(r.moniker, 'node', 'moniker'));
  const rpc = section(r, 'rpc');
  const api = section(r, 'api');
  const cons = section(r, 'consensus');
  const p2p = section(r, 'p2p');
  const mp = section(r, 'mempool');
  const app = section(r, 'app');
  const log = section(r, 'log');
  const faucet = section(r, 'faucet');
  const instr = section(r, 'instrumentation');
  const namespace = str(instr.namespace, d.instrumentation.namespace, 'instrumentation.namespace');
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(namespace)) throw ErrConfig.wrap(`instrumentation.namespace: expected a Prometheus name ([a-zA-Z_][a-zA-Z0-9_]*), got ${JSON.stringify(namespace)}`);
  const metricsLaddr = str(instr.laddr, d.instrumentation.laddr, 'instrumentation.laddr');
  parseListenAddress(metricsLaddr);
  const format = str(log.format, d.log.format, 'log.format');
  if (!['json', 'pretty', 'auto'].includes(format)) throw ErrConfig.wrap(`log.format: expected json, pretty or auto, got ${format}`);
  const cors = rpc.cors_allowed_origins ?? d.rpc.corsAllowedOrigins;
  if (!Array.isArray(cors) || !cors.every((o) => typeof o === 'string')) throw ErrConfig.wrap('rpc.cors_allowed_origins: expected a list of strings');
  return {
    moniker: d.moniker,
    rpc: {
      laddr: str(rpc.laddr, d.rpc.laddr, 'rpc.laddr'),
      corsAllowedOrigins: cors as string[],
      maxBodyBytes: int(rpc.max_body_bytes, d.rpc.maxBodyBytes, 'rpc.max_body_bytes', 1024),
      timeoutBroadcastTxCommitMs: int(rpc.timeout_broadcast_tx_commit_ms, d.rpc.timeoutBroadcastTxCommitMs, 'rpc.timeout_broadcast_tx_commit_ms', 100),
    },
    api: {
      enabled: bool(api.enabled, d.api.enabled, 'api.enabled'),
      laddr: str(api.laddr, d.api.laddr, 'api.laddr'),
      corsAllowedOrigins: strings(api.cors_allowed_origins, d.api.corsAllowedOrigins, 'api.cors_allowed_origins'),
    },
    consensus: {
      timeoutProposeMs: int(cons.timeout_propose_ms, d.consensus.timeoutProposeMs, 'consensus.timeout_propose_ms', 10),
      timeoutProposeDeltaMs: int(cons.timeout_propose_delta_ms, d.consensus.timeoutProposeDeltaMs, 'consensus.timeout_propose_delta_ms'),
      timeoutPrevoteMs: int(cons.timeout_prevote_ms, d.consensus.timeoutPrevoteMs, 'consensus.timeout_prevote_ms', 10),
      timeoutPrevoteDeltaMs: int(cons.timeout_prevote_delta_ms, d.consensus.timeoutPrevoteDeltaMs, 'consensus.timeout_prevote_delta_ms'),
      timeoutPrecommitMs: int(cons.timeout_precommit_ms, d.consensus.timeoutPrecommitMs, 'consensus.timeout_precommit_ms', 10),
      timeoutPrecommitDeltaMs: int(cons.timeout_precommit_delta_ms, d.consensus.timeoutPrecommitDeltaMs, 'consensus.timeout_precommit_delta_ms'),
      timeoutCommitMs: int(cons.timeout_commit_ms, d.consensus.timeoutCommitMs, 'consensus.timeout_commit_ms', 10),
      createEmptyBlocks: bool(cons.create_empty_blocks, d.consensus.createEmptyBlocks, 'consensus.create_empty_blocks'),
      blocksyncSwitchMargin: int(cons.blocksync_switch_margin, d.consensus.blocksyncSwitchMargin, 'consensus.blocksync_switch_margin', 2),
    },
    p2p: {
      enabled: bool(p2p.enabled, d.p2p.enabled, 'p2p.enabled'),
      listen: strings(p2p.listen, d.p2p.listen, 'p2p.listen'),
      announce: strings(p2p.announce, d.p2p.announce, 'p2p.announce'),
      bootstrap: strings(p2p.bootstrap, d.p2p.bootstrap, 'p2p.bootstrap'),
      mdns: bool(p2p.mdns, d.p2p.mdns, 'p2p.mdns'),
      maxInbound: int(p2p.max_inbound, d.p2p.maxInbound, 'p2p.max_inbound', 1),
      maxOutbound: int(p2p.max_outbound, d.p2p.maxOutbound, 'p2p.max_outbound', 1),
      allow: strings(p2p.allow, d.p2p.allow, 'p2p.allow'),
    },
    mempool: {
      size: int(mp.size, d.mempool.size, 'mempool.size', 1),
      maxTxsBytes: int(mp.max_txs_bytes, d.mempool.maxTxsBytes, 'mempool.max_txs_bytes', 1024),
      maxTxBytes: int(mp.max_tx_bytes, d.mempool.maxTxBytes, 'mempool.max_tx_bytes', 256),
      cacheSize: int(mp.cache_size, d.mempool.cacheSize, 'mempool.cache_size', 0),
    },
    app: {
      minimumGasPrices: str(app.minimum_gas_prices, d.app.minimumGasPrices, 'app.minimum_gas_prices'),
      pruningKeepRecent: int(app.pruning_keep_recent, d.app.pruningKeepRecent, 'app.pruning_keep_recent'),
      verifyThreads: int(app.verify_threads, d.app.verifyThreads, 'app.verify_threads', 0),
    },
    log: { level: str(log.level, d.log.level, 'log.level'), format: format as NodeConfig['log']['format'] },
    faucet: {
      enabled: bool(faucet.enabled, d.faucet.enabled, 'faucet.enabled'),
      laddr: str(faucet.laddr, d.faucet.laddr, 'faucet.laddr'),
      keyFile: str(faucet.key_file, d.faucet.keyFile, 'faucet.key_file'),
      ratePerIp: int(faucet.rate_per_ip, d.faucet.ratePerIp, 'faucet.rate_per_ip', 1),
      rateWindowSeconds: int(faucet.rate_window_seconds, d.faucet.rateWindowSeconds, 'faucet.rate_window_seconds', 1),
    },
    instrumentation: { prometheus: bool(instr.prometheus, d.instrumentation.prometheus, 'instrumentation.prometheus'), laddr: metricsLaddr, namespace },
  };
}

/** `tcp://127.0.0.1:26657` → host and port. */
export function parseListenAddress(laddr: string): { host: string; port: number } {
  const m = /^(?:tcp:\/\/)?(\[[0-9a-fA-F:]+\]|[^:/]+):(\d{1,5})$/.exec(laddr);
  if (!m || Number(m[2]) > 65535) throw ErrConfig.wrap(`listen address ${JSON.stringify(laddr)}: expected tcp://HOST:PORT`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

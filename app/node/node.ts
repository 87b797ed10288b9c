/**
 * A running node: one LevelDB home, the app over the Merkle state store, the mempool,
 * the block store, consensus (the Tendermint engine through its host, with the WAL in
 * `<home>/data/cs.wal/wal`) and the CometBFT-compatible RPC server, started and
 * stopped as one. Without a transport (p2p disabled) the node decides alone, which a
 * one-validator chain such as `guts devnet` does.
 */
import '../polyfill.js';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toHex } from '@cosmjs/encoding';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { GutsApp } from '../chain/app.js';
import { ModuleManager } from '../chain/manager.js';
import { createModules } from '../chain/modules.js';
import { createTxPipeline } from '../chain/pipeline.js';
import { createBlockStore, blockStoreSublevels } from '../consensus/blockstore.js';
import { createMempool, type GutsMempool } from '../consensus/mempool.js';
import type { ChainBlockStore } from '../consensus/blockstore.js';
import { loadFilePV } from '../consensus/privval.js';
import { createConsensusHost, type ConsensusHost, type ConsensusTransport } from '../consensus/host/index.js';
import { createRpcBackend } from './backend.js';
import { startRpcServer } from '../rpc/index.js';
import { createStateStore, openChainDB } from '../store/index.js';
import { createVerifyPool } from '../tx/verify-pool.js';
import { parseGenesisText, type Genesis } from '../../genesis/doc.js';
import { readConfig, parseListenAddress, type NodeConfig } from './config.js';
import { ErrHome, homePaths, isInitialised, readNodeId } from './home.js';
import { createLogger, type LogFormat, type Logger } from './logger.js';
import { startNodeFaucet } from './faucet-http.js';
import { createSyncingConsensus, serveBlockSync, type SyncingConsensus } from './blocksync-runner.js';
import { createNodeMetrics, startMetricsServer } from './metrics.js';
import { startNodeRest } from '../rest/index.js';
import { ErrPartitioned, refusedCheckTx, rpcPeers, startNodeP2P, type NodeP2P } from './p2p-wiring.js';

export interface StartNodeOptions {
  home: string;
  logFormat?: LogFormat;
  logLevel?: string;
  /** Overrides config rpc.laddr, e.g. tcp://127.0.0.1:26657 */
  rpcListen?: string;
  /** Overrides config instrumentation.laddr and turns Prometheus metrics on, e.g. tcp://127.0.0.1:26660 */
  metricsListen?: string;
  /** Overrides consensus.timeout_commit_ms. */
  blockTimeMs?: number;
  /** Called if block production halts (the CLI exits non-zero). */
  onFatal?: (err: Error) => void;
  logger?: Logger;
  /**
   * The peer layer consensus talks through (the p2p integration passes its libp2p
   * transport), or a factory given the node's parts it needs (mempool for tx gossip,
   * block store, chain id). Without one the node decides alone: fine for a chain whose
   * only validator it is, and the only choice when `p2p.enabled` is false (then it is
   * neither used nor built).
   */
  transport?: ConsensusTransport | ((parts: TransportParts) => ConsensusTransport | Promise<ConsensusTransport>);
}

/** What a transport factory gets from `startNode`. */
export interface TransportParts {
  chainId: string;
  config: NodeConfig;
  mempool: GutsMempool;
  blockStore: ChainBlockStore;
  logger: Logger;
  /** Run `fn` when the node stops (after consensus has stopped): close the peer layer here. */
  onStop(fn: () => Promise<unknown>): void;
}

export interface RunningNode {
  stop(): Promise<void>;
  rpcAddress: string;
  /** tcp://host:port of GET /metrics, when Prometheus metrics are served. */
  metricsAddress?: string;
  chainId: string;
  height(): number;
  logger: Logger;
  /** http://host:port of the faucet front end, when it runs (config `faucet`). */
  faucetAddress?: string;
  /** The consensus host (round state, evidence pool, block events). */
  consensus: ConsensusHost;
}

/** The package version, reported by the REST gateway's node_info. */
const NODE_VERSION: string = packageVersion();

/** The version in package.json, found from dist/app/node (built) or app/node (tests run the sources). */
function packageVersion(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const j = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (j.name === 'guts-chain' && typeof j.version === 'string') return j.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** True when this node's validator holds more than 2/3 of the power deciding the next block: no peer can be ahead of it. */
async function decidesAlone(blockStore: ChainBlockStore, genesis: Genesis, address: Uint8Array): Promise<boolean> {
  const stored = await blockStore.loadValidators(blockStore.height() + 1);
  const set = stored ? stored.validators.map((v) => ({ address: v.address, power: v.votingPower })) : genesis.validators;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const total = set.reduce((n, v) => n + v.power, 0n);
  const own = set.filter((v) => hex(v.address) === hex(address)).reduce((n, v) => n + v.power, 0n);
  return own * 3n > total * 2n;
}

export function consensusParamsOf(g: Genesis): ConsensusParams {
  const p = g.consensusParams;
  return {
    block: { maxBytes: p.blockMaxBytes, maxGas: p.blockMaxGas },
    evidence: { maxAgeNumBlocks: p.evidenceMaxAgeNumBlocks, maxAgeDuration: { seconds: p.evidenceMaxAgeDuration / 1_000_000_000n, nanos: Number(p.evidenceMaxAgeDuration % 1_000_000_000n) }, maxBytes: p.evidenceMaxBytes },
    validator: { pubKeyTypes: p.pubKeyTypes },
    version: { app: p.appVersion },
    abci: { voteExtensionsEnableHeight: 0n },
  };
}

export async function loadGenesis(path: string, modules = createModules()): Promise<{ genesis: Genesis; json: unknown }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw ErrHome.wrap(`cannot read genesis ${path}: ${(e as Error).message}`);
  }
  const genesis = parseGenesisText(text, modules.list);
  return { genesis, json: JSON.parse(text) };
}

export async function startNode(opts: StartNodeOptions): Promise<RunningNode> {
  if (!isInitialised(opts.home)) throw ErrHome.wrap(`${opts.home} has no config/genesis.json: run \`guts init <moniker> --home ${opts.home}\` first`);
  const paths = homePaths(opts.home);
  const config: NodeConfig = await readConfig(paths.config);
  if (opts.rpcListen) config.rpc.laddr = opts.rpcListen;
  if (opts.metricsListen) Object.assign(config.instrumentation, { prometheus: true, laddr: opts.metricsListen });
  if (opts.blockTimeMs !== undefined) config.consensus.timeoutCommitMs = opts.blockTimeMs;
  const format = opts.logFormat ?? (config.log.format === 'auto' ? undefined : config.log.format);
  const log = opts.logger ?? createLogger({ level: opts.logLevel ?? config.log.level, format });
  const modules = createModules();
  const { genesis, json: genesisJson } = await loadGenesis(paths.genesis, modules);
  const rpcAddr = parseListenAddress(config.rpc.laddr);

  const db = await openChainDB(paths.chainData);
  const cleanups: (() => Promise<unknown>)[] = [() => db.close()];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch((err) => log.error({ err: (err as Error).message }, 'shutdown step failed'));
  };
  try {
    const store = await createStateStore(db, { keepRecent: config.app.pruningKeepRecent });
    cleanups.push(() => store.close());
    const verifier = createVerifyPool({ threads: config.app.verifyThreads });
    cleanups.push(() => verifier.close());
    const manager = new ModuleManager(modules.list);
    const pipeline = createTxPipeline({
      chainId: genesis.chainId,
      modules,
      manager,
      verifier,
      minGasPrices: config.app.minimumGasPrices,
      maxTxBytes: config.mempool.maxTxBytes,
      maxBlockGas: genesis.consensusParams.blockMaxGas,
    });
    const app = new GutsApp({ store, genesis, manager, pipeline });
    await app.init();
    const blockStore = await createBlockStore(blockStoreSublevels(db));
    const tip = blockStore.height() > 0 ? await blockStore.loadBlock(blockStore.height()) : undefined;
    if (tip?.block.header?.time) app.setLastBlockTime(tip.block.header.time);
    const mempool = createMempool({ app, precheck: (tx) => app.precheckTx(tx), maxTxs: config.mempool.size, maxBytes: config.mempool.maxTxsBytes, maxTxBytes: config.mempool.maxTxBytes, cacheSize: config.mempool.cacheSize });
    const pv = await loadFilePV(paths.privValidatorKey, paths.privValidatorState);
    const maxTxBytes = config.mempool.maxTxBytes;
    let transport: ConsensusTransport | undefined;
    let p2p: NodeP2P | undefined;
    if (config.p2p.enabled && opts.transport) {
      transport = typeof opts.transport === 'function' ? await opts.transport({ chainId: genesis.chainId, config, mempool, blockStore, logger: log.child({ module: 'p2p' }), onStop: (fn) => cleanups.push(fn) }) : opts.transport;
    } else if (config.p2p.enabled) {
      const started = await startNodeP2P({ config, nodeKeyFile: paths.nodeKey, db, chainId: genesis.chainId, mempool, pv, height: () => BigInt(blockStore.height()), logger: log });
      p2p = started;
      cleanups.push(() => started.stop());
      transport = started.bridge.transport;
      serveBlockSync(started.host, blockStore);
    }
    // while partitioned (DESIGN §7) the node is read-only: queries answer, new txs are refused
    const rpcMempool: GutsMempool = !p2p
      ? mempool
      : {
          ...mempool,
          add: (tx) => (p2p!.readOnly() ? Promise.resolve(refusedCheckTx(ErrPartitioned.wrap(`hearing from ${p2p!.host.partitionState().shareBps / 100}% of the stake; new txs wait until the network heals`))) : mempool.add(tx)),
        };
    const makeHost = (): ConsensusHost => createConsensusHost({
      app,
      blockStore,
      mempool,
      privValidator: pv,
      chainId: genesis.chainId,
      initialHeight: Number(genesis.initialHeight),
      genesisTime: genesis.genesisTime,
      consensusParams: consensusParamsOf(genesis),
      walPath: join(paths.home, 'data', 'cs.wal', 'wal'),
      evidenceDb: db.sublevel('evidence'),
      transport,
      engineConfig: {
        timeoutPropose: config.consensus.timeoutProposeMs,
        timeoutProposeDelta: config.consensus.timeoutProposeDeltaMs,
        timeoutPrevote: config.consensus.timeoutPrevoteMs,
        timeoutPrevoteDelta: config.consensus.timeoutPrevoteDeltaMs,
        timeoutPrecommit: config.consensus.timeoutPrecommitMs,
        timeoutPrecommitDelta: config.consensus.timeoutPrecommitDeltaMs,
        timeoutCommit: config.consensus.timeoutCommitMs,
      },
      createEmptyBlocks: config.consensus.createEmptyBlocks,
      processProposal: (txs) => {
        // ProcessProposal: every tx must decode and fit; execution waits for the decision.
        for (const [i, tx] of txs.entries()) {
          if (tx.length > maxTxBytes) return `tx #${i} is ${tx.length} bytes, the limit is ${maxTxBytes}`;
          try {
            pipeline.decode(tx, { simulate: false });
          } catch (err) {
            return `tx #${i} does not decode: ${(err as Error).message}`;
          }
        }
        return undefined;
      },
      logger: log.child({ module: 'consensus' }),
      onFatal: opts.onFatal,
    });
    // with peers: blocksync first when behind, and again whenever consensus falls behind them
    const consensus: ConsensusHost = p2p
      ? createSyncingConsensus({
          makeHost,
          p2p: p2p.host,
          // a validator holding more than 2/3 of the power decides alone: no peer can be ahead of it
          syncFirst: !(await decidesAlone(blockStore, genesis, pv.address)),
          switchMargin: config.consensus.blocksyncSwitchMargin,
          sync: { chainId: genesis.chainId, app, blockStore, mempool, genesis, consensusParams: consensusParamsOf(genesis), precheck: (tx) => app.precheckTx(tx), log: log.child({ module: 'blocksync' }) },
          log: log.child({ module: 'blocksync' }),
          onFatal: opts.onFatal,
        })
      : makeHost();
    const backend = createRpcBackend({
      nodeId: await readNodeId(paths.nodeKey),
      moniker: config.moniker,
      genesis,
      genesisJson,
      app,
      blockStore,
      mempool: rpcMempool,
      consensus,
      pv,
      catchingUp: () => consensus.catchingUp(),
      p2pListen: p2p?.host.addresses()[0],
      peers: p2p ? () => rpcPeers(p2p!.host) : undefined,
    });
    const rpc = await startRpcServer({
      backend,
      host: rpcAddr.host,
      port: rpcAddr.port,
      logger: log.child({ module: 'rpc' }),
      maxBodyBytes: config.rpc.maxBodyBytes,
      corsAllowedOrigins: config.rpc.corsAllowedOrigins,
      timeoutBroadcastTxCommitMs: config.rpc.timeoutBroadcastTxCommitMs,
    });
    cleanups.push(() => rpc.close());
    const rest = await startNodeRest({
      config: config.api,
      app,
      mempool: rpcMempool,
      blockStore,
      nodeInfo: () => backend.nodeInfo(),
      version: NODE_VERSION,
      logger: log.child({ module: 'rest' }),
    });
    if (rest) cleanups.push(() => rest.close());
    const faucet = await startNodeFaucet({
      home: opts.home,
      config: config.faucet,
      chainId: genesis.chainId,
      gasPrices: config.app.minimumGasPrices,
      app,
      state: store,
      accounts: modules.auth.keeper,
      mempool,
      logger: log.child({ module: 'faucet' }),
    });
    if (faucet) cleanups.push(() => faucet.close());
    const metrics = createNodeMetrics(
      { chainId: genesis.chainId, consensus, mempool, p2p: p2p?.host, syncing: () => 'syncing' in consensus && (consensus as SyncingConsensus).syncing() },
      config.instrumentation.namespace,
    );
    cleanups.push(async () => metrics.close());
    const metricsServer = await startMetricsServer(config.instrumentation, metrics, log.child({ module: 'metrics' }));
    if (metricsServer) cleanups.push(() => metricsServer.close());
    // stopping the node during the first blocksync aborts it
    cleanups.push(() => consensus.stop());
    await consensus.start();
    if (p2p) {
      const node = p2p;
      const update = () => {
        const set = consensus.validators();
        if (set) node.bridge.setValidators(set);
      };
      update();
      consensus.onBlock(update);
    }
    log.info({ chainId: genesis.chainId, height: consensus.height(), appHash: toHex(store.committedRoot).toUpperCase(), rpc: rpc.address, validator: toHex(pv.address).toUpperCase() }, 'node started');
    let stopped = false;
    return {
      rpcAddress: rpc.address,
      metricsAddress: metricsServer?.address,
      chainId: genesis.chainId,
      height: () => consensus.height(),
      consensus,
      logger: log,
      faucetAddress: faucet?.address,
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanup();
        log.info({ height: store.height }, 'node stopped');
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

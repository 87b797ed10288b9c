/**
 * Prometheus metrics of a running node (config `instrumentation`, DESIGN §8: port 26660).
 * Names follow CometBFT's (`<namespace>_consensus_height`, `_mempool_size`,
 * `_p2p_peers`, ...) under the namespace `guts`, so a CometBFT dashboard works after a
 * prefix change; every series carries the `chain_id` label. Values are read from the
 * node's parts when Prometheus scrapes, or updated on each committed block; nothing here
 * feeds back into consensus or state.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { NewBlockEvent } from '../consensus/types.js';
import { parseListenAddress, type InstrumentationConfig } from './config.js';

/** CometBFT's BlockIDFlag values in a commit's signatures. */
const FLAG_ABSENT = 1;

/** What the metrics read from the node; every part is optional except the chain id. */
export interface MetricsSources {
  chainId: string;
  consensus?: {
    height(): number;
    roundState(): { round: number } | undefined;
    validators(): { validators: readonly { votingPower: bigint }[] } | undefined;
    onBlock(listener: (ev: NewBlockEvent) => void): () => void;
  };
  mempool?: { size(): number; bytes(): number };
  p2p?: {
    peers(): readonly { direction: 'inbound' | 'outbound'; gossip: 'active' | 'passive' | 'none' }[];
    partitionState(): { shareBps: number; partitioned: boolean };
  };
  /** True while the node catches up by blocksync. */
  syncing?: () => boolean;
}

export interface NodeMetrics {
  readonly registry: Registry;
  /** Text exposition (what GET /metrics returns). */
  text(): Promise<string>;
  /** Stop listening to the node's events. */
  close(): void;
}

const seconds = (t: { seconds: bigint; nanos: number } | undefined): number | undefined => (t ? Number(t.seconds) + t.nanos / 1e9 : undefined);

export function createNodeMetrics(src: MetricsSources, namespace = 'guts'): NodeMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ chain_id: src.chainId });
  const name = (n: string) => `${namespace}_${n}`;
  collectDefaultMetrics({ register: registry, prefix: `${namespace}_` });

  const c = src.consensus;
  const height = new Gauge({ name: name('consensus_height'), help: 'Height of the last committed block.', registers: [registry], collect() { if (c) this.set(c.height()); } });
  new Gauge({
    name: name('consensus_rounds'),
    help: 'Round of the height being decided (0 = decided in its first round).',
    registers: [registry],
    collect() {
      const r = c?.roundState();
      if (r) this.set(r.round);
    },
  });
  new Gauge({
    name: name('consensus_validators'),
    help: 'Validators in the set deciding the current height.',
    registers: [registry],
    collect() {
      const set = c?.validators();
      if (set) this.set(set.validators.length);
    },
  });
  new Gauge({
    name: name('consensus_validators_power'),
    help: 'Total voting power of the set deciding the current height.',
    registers: [registry],
    collect() {
      const set = c?.validators();
      if (set) this.set(Number(set.validators.reduce((s, v) => s + v.votingPower, 0n)));
    },
  });
  const missing = new Gauge({ name: name('consensus_missing_validators'), help: 'Validators absent from the last commit of the latest block.', registers: [registry] });
  const byzantine = new Gauge({ name: name('consensus_byzantine_validators'), help: 'Evidence items (misbehaving validators) in the latest block.', registers: [registry] });
  const numTxs = new Gauge({ name: name('consensus_num_txs'), help: 'Txs in the latest block.', registers: [registry] });
  const totalTxs = new Counter({ name: name('consensus_total_txs'), help: 'Txs committed since the node started.', registers: [registry] });
  const blockSize = new Gauge({ name: name('consensus_block_size_bytes'), help: 'Size of the latest block (proto-encoded).', registers: [registry] });
  const interval = new Histogram({
    name: name('consensus_block_interval_seconds'),
    help: 'Time between the headers of consecutive blocks (block time, not local time).',
    buckets: [0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30],
    registers: [registry],
  });
  const failedTxs = new Counter({ name: name('consensus_failed_txs'), help: 'Committed txs whose execution failed (non-zero code).', registers: [registry] });
  new Gauge({
    name: name('consensus_block_syncing'),
    help: '1 while the node catches up by blocksync, else 0.',
    registers: [registry],
    collect() {
      this.set(src.syncing?.() ? 1 : 0);
    },
  });

  const m = src.mempool;
  new Gauge({ name: name('mempool_size'), help: 'Txs waiting in the mempool.', registers: [registry], collect() { if (m) this.set(m.size()); } });
  new Gauge({ name: name('mempool_size_bytes'), help: 'Bytes of the txs waiting in the mempool.', registers: [registry], collect() { if (m) this.set(m.bytes()); } });

  const p = src.p2p;
  new Gauge({
    name: name('p2p_peers'),
    help: 'Connected peers by direction.',
    labelNames: ['direction'],
    registers: [registry],
    collect() {
      if (!p) return;
      const peers = p.peers();
      this.set({ direction: 'inbound' }, peers.filter((x) => x.direction === 'inbound').length);
      this.set({ direction: 'outbound' }, peers.filter((x) => x.direction === 'outbound').length);
    },
  });
  new Gauge({
    name: name('p2p_gossip_active_view'),
    help: 'Peers in the HyParView active view (the gossip tree links).',
    registers: [registry],
    collect() {
      if (p) this.set(p.peers().filter((x) => x.gossip === 'active').length);
    },
  });
  new Gauge({
    name: name('p2p_heard_stake_bps'),
    help: 'Share of the total stake whose validators were heard from in the partition window (basis points).',
    registers: [registry],
    collect() {
      if (p) this.set(p.partitionState().shareBps);
    },
  });
  new Gauge({
    name: name('p2p_partitioned'),
    help: '1 while the node is partitioned (read-only mode), else 0.',
    registers: [registry],
    collect() {
      if (p) this.set(p.partitionState().partitioned ? 1 : 0);
    },
  });

  let lastTime: number | undefined;
  const off = c?.onBlock(({ block, results }) => {
    const header = block.block.header;
    const t = seconds(header?.time);
    if (t !== undefined && lastTime !== undefined && t >= lastTime) interval.observe(t - lastTime);
    lastTime = t;
    const txs = block.block.data?.txs.length ?? 0;
    numTxs.set(txs);
    totalTxs.inc(txs);
    failedTxs.inc(results.txResults.filter((r) => r.code !== 0).length);
    blockSize.set(block.size);
    missing.set(block.block.lastCommit?.signatures.filter((s) => s.blockIdFlag === FLAG_ABSENT).length ?? 0);
    byzantine.set(block.block.evidence?.evidence.length ?? 0);
    height.set(Number(header?.height ?? 0n));
  });

  return {
    registry,
    text: () => registry.metrics(),
    close() {
      off?.();
    },
  };
}

export interface MetricsServer {
  /** tcp://host:port actually bound. */
  readonly address: string;
  close(): Promise<void>;
}

/** Serve GET /metrics. A port in use is logged and skipped (as for REST and the faucet): the node runs on without metrics. */
export async function startMetricsServer(
  config: InstrumentationConfig,
  metrics: NodeMetrics,
  logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void },
): Promise<MetricsServer | undefined> {
  if (!config.prometheus) return undefined;
  const { host, port } = parseListenAddress(config.laddr);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      logger.warn({ laddr: config.laddr }, 'metrics port in use: running without Prometheus metrics (set instrumentation.laddr)');
      return undefined;
    }
    throw err;
  }
  const bound = server.address() as AddressInfo;
  const address = `tcp://${bound.address}:${bound.port}`;
  logger.info({ address }, 'Prometheus metrics at /metrics');
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

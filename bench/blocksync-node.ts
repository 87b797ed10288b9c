/**
 * Blocksync with real nodes: a validator holding 15/16 of the power (a real `guts start`
 * process, loopback) commits `blocks` blocks carrying bank sends, then a second validator
 * (another real process, 1/16 of the power, empty home) starts, finds it is behind and
 * blocksyncs the chain from the first over libp2p: every commit verified, every block
 * executed (FinalizeBlock, the app's batch, fsync) and stored. Its `blocksync done` log
 * line gives the figures; the sans-IO core alone (bench/blocksync.ts, node:crypto
 * verifier, no execution) runs in the same process for comparison. Issue 5's goal:
 * ≥ 50 blocks/s from local peers.
 *
 *   npm run build && node dist/bench/blocksync-node.js [blocks=300] [txs|empty]
 *   BENCH_CPU_PROF=<dir> … also writes a V8 CPU profile of the syncing node to <dir>
 */
import '../app/polyfill.js';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SigningStargateClient, GasPrice } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { openKeyring } from '../app/keyring/index.js';
import { parseTestnetConfig } from '../testnet/config.js';
import { generateTestnet, type TestnetNode } from '../testnet/generate.js';
import { NODE_FLAGS } from '../app/node/heap.js';
import { freePortRange, httpRpc, nodeStatus, startTestnetNode, stopTestnetNodes, type RunningTestnetNode } from '../testnet/launch.js';
import { runBlocksyncBench } from './blocksync.js';
import type { BlockSyncResult } from '../app/node/blocksync-runner.js';

const ROOT = new URL(import.meta.url).pathname.replace(/\/dist\/bench\/[^/]*$/, '/');
/** Bounds: the whole run gives up after this long. */
const DEADLINE_MS = 10 * 60_000;

/** Processes whose exit ends the run (with their log named) instead of waiting for the deadline. */
const watched: { child: { exitCode: number | null; signalCode: NodeJS.Signals | null }; log: string }[] = [];

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, deadline: number): Promise<T> {
  for (;;) {
    const gone = watched.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
    if (gone) throw new Error(`a node exited while waiting for ${what}; log: ${gone.log}`);
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The node's `blocksync done` log line: the runner's result plus pino's message. */
type SyncedLine = BlockSyncResult & { msg: string };

/** Keep the producer's mempool fed with bank sends (signed offline, consecutive sequences) until `stop()`. */
function feedTxs(node: TestnetNode, deadline: number) {
  let stopped = false;
  let sent = 0;
  const done = (async () => {
    const signer = await openKeyring({ home: node.home, backend: 'test' }).signer('operator');
    const client = await SigningStargateClient.connectWithSigner(httpRpc(node), signer, { gasPrice: GasPrice.fromString('0.025ugut') });
    const chainId = await client.getChainId();
    const { accountNumber, sequence } = await client.getSequence(node.operatorAddress);
    const fee = { amount: [{ denom: 'ugut', amount: '5000' }], gas: '200000' };
    let seq = sequence;
    while (!stopped && Date.now() < deadline) {
      const msg = { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: node.operatorAddress, toAddress: node.operatorAddress, amount: [{ denom: 'ugut', amount: '1' }] } };
      const raw = await client.sign(node.operatorAddress, [msg], fee, `bench ${seq}`, { accountNumber, sequence: seq, chainId });
      try {
        await client.broadcastTxSync(TxRaw.encode(raw).finish());
        seq++;
        sent++;
      } catch {
        // mempool full or a sequence race after a refusal: re-read the sequence and go on
        await new Promise((r) => setTimeout(r, 50));
        seq = (await client.getSequence(node.operatorAddress)).sequence;
      }
    }
    client.disconnect();
  })();
  return {
    sent: () => sent,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

export async function runBlocksyncNodeBench(blocks: number, withTxs = true) {
  const deadline = Date.now() + DEADLINE_MS;
  const dir = mkdtempSync(join(tmpdir(), 'guts-bench-blocksync-'));
  const running: RunningTestnetNode[] = [];
  let syncer: ReturnType<typeof spawn> | undefined;
  try {
    const base = await freePortRange(20, 30_000);
    const manifest = await generateTestnet({
      config: parseTestnetConfig(`
network: { name: bsync, chain_id: guts-bsync }
genesis:
  validators:
    - { name: producer, stake: 15000000 }
    - { name: syncer, stake: 1000000 }
local: { base_port: ${base} }
`),
      out: join(dir, 'net'),
      configure: (c) => {
        c.consensus.timeoutCommitMs = 10;
        c.consensus.timeoutProposeMs = 500;
        c.app.minimumGasPrices = '0.025ugut';
        c.log.level = 'info';
      },
    });
    const [producer, syncNode] = manifest.nodes as [TestnetNode, TestnetNode];
    running.push(startTestnetNode(producer));
    watched.push({ child: running[0]!.child, log: join(producer.home, 'node.log') });
    // cosmjs refuses a status without a latest block hash: wait for the first block
    await waitFor('the first block', async () => ((await nodeStatus(producer)).height >= 1 ? true : undefined), deadline);

    const t0 = Date.now();
    const feed = withTxs ? feedTxs(producer, deadline) : { sent: () => 0, stop: async () => undefined };
    await waitFor(`${blocks} blocks`, async () => ((await nodeStatus(producer)).height >= blocks ? true : undefined), deadline);
    await feed.stop();
    const produceMs = Date.now() - t0;
    // restart the producer with a block a minute, so the syncer catches up to a fixed tip
    watched.length = 0;
    await stopTestnetNodes(running.splice(0));
    running.push(startTestnetNode(producer, ['--block-time', '60s']));
    watched.push({ child: running[0]!.child, log: join(producer.home, 'node.log') });
    const tip = await waitFor('the producer back', async () => {
      const st = await nodeStatus(producer);
      return st.error || st.height === 0 ? undefined : st.height;
    }, deadline);

    // the syncer: a real process, optionally under the V8 profiler
    const prof = process.env.BENCH_CPU_PROF;
    const log = createWriteStream(join(syncNode.home, 'node.log'), { flags: 'a' });
    syncer = spawn(process.execPath, [...NODE_FLAGS, ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), join(ROOT, 'bin', 'run.js'), 'start', '--home', syncNode.home, '--log-format', 'json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    syncer.stdout!.pipe(log);
    syncer.stderr!.pipe(log);
    const exited = new Promise((r) => syncer!.once('exit', r));
    watched.push({ child: syncer, log: join(syncNode.home, 'node.log') });
    const synced = await waitFor(
      'the syncer to finish blocksync',
      async () =>
        (existsSync(join(syncNode.home, 'node.log')) ? readFileSync(join(syncNode.home, 'node.log'), 'utf8') : '')
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as SyncedLine)
          .find((l) => l.msg === 'blocksync done' && l.applied > 0),
      deadline,
    );
    watched.length = 0;
    syncer.kill('SIGTERM');
    await exited;

    const txs = feed.sent();
    const steadyMs = synced.firstAppliedMs !== undefined && synced.lastAppliedMs !== undefined ? synced.lastAppliedMs - synced.firstAppliedMs : undefined;
    const core = runBlocksyncBench(Math.max(blocks, 100)).node_crypto.blocksync;
    return {
      real_nodes: {
        validators: 2,
        chain_height: tip,
        txs_in_chain: txs,
        produce_ms: produceMs,
        applied: synced.applied,
        sync_ms: synced.ms,
        // from the first block stored to the last: the rate once peers answer (the rest is finding peers and the 1 s caught-up check)
        steady_ms: steadyMs,
        blocks_per_s: Math.round((synced.applied * 1000) / synced.ms),
        // when the first block was stored (finding the peer, the first request) and the rate from
        // the start to the last block stored: sync_ms less the 1 s caught-up check at the end
        first_block_ms: synced.firstAppliedMs,
        to_tip_blocks_per_s: synced.lastAppliedMs ? Math.round((synced.applied * 1000) / synced.lastAppliedMs) : undefined,
        steady_blocks_per_s: steadyMs ? Math.round(((synced.applied - 1) * 1000) / steadyMs) : undefined,
        txs_per_s: steadyMs ? Math.round((txs * 1000) / steadyMs) : undefined,
        syncer_cpu_ms: synced.cpuMs,
        syncer_cpu_ms_per_block: Number((synced.cpuMs / synced.applied).toFixed(2)),
      },
      core_only_node_crypto_20_validators: core,
      goal_blocks_per_s: 50,
      cores: availableParallelism(),
      load_avg: Number(loadavg()[0].toFixed(2)),
      cpu_profile_dir: prof,
    };
  } finally {
    if (syncer && syncer.exitCode === null) syncer.kill('SIGKILL');
    await stopTestnetNodes(running);
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const blocks = Number(process.argv[2] ?? 300);
  if (!Number.isSafeInteger(blocks) || blocks < 10 || blocks > 100_000) throw new Error(`blocks must be an integer in 10..100000, got ${process.argv[2]}`);
  const txs = process.argv[3] ?? 'txs';
  if (txs !== 'txs' && txs !== 'empty') throw new Error(`the second argument is txs (default: blocks carry bank sends) or empty, got ${txs}`);
  console.log(JSON.stringify(await runBlocksyncNodeBench(blocks, txs === 'txs'), null, 2));
}

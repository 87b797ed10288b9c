/**
 * Transaction throughput of one node: pre-signed `MsgSend` txs from many accounts go
 * through the mempool's CheckTx, then through block production (FinalizeBlock with
 * parallel signature preverification, the precommit signature, block store and state
 * commit in one batch) until the mempool is empty. The raw signature-verification rate
 * is measured in the same run as the baseline: the chain cannot beat it, and the ratio
 * says how much of the budget the rest of the pipeline takes (DESIGN §10).
 *
 *   npm run build && npm run bench:exec            (10k senders; then 100k accounts in state)
 *
 * `phases` runs CheckTx and blocks in turn to give each its CPU figure; `base` and `large`
 * overlap them as a node under sustained load does, and their `tx_per_s` is the headline.
 *   node dist/bench/exec.js --accounts 10000 --txs 20000 --large 100000 [--skip-phases] [--repeat 3] [--profile DIR]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { GutsApp } from '../app/chain/app.js';
import { ModuleManager } from '../app/chain/manager.js';
import { createModules } from '../app/chain/modules.js';
import { createTxPipeline } from '../app/chain/pipeline.js';
import { blockStoreSublevels, createBlockStore } from '../app/consensus/blockstore.js';
import { createMempool } from '../app/consensus/mempool.js';
import { generateFilePV } from '../app/consensus/privval.js';
import { createProducer } from '../app/consensus/producer.js';
import { createStateStore, openChainDB } from '../app/store/index.js';
import { pubkeyToAddress, SECP256K1_BACKEND } from '../app/tx/secp256k1.js';
import { createVerifyPool } from '../app/tx/verify-pool.js';
import { consensusParamsOf } from '../app/node/node.js';
import { defaultConsensusParams, parseGenesis, validatorAddress, genesisToJson, type Genesis } from '../genesis/doc.js';

interface Account {
  sk: Uint8Array;
  pubkey: Uint8Array;
  address: string;
}

export type RunMode = 'phases' | 'pipelined';

export interface ExecBenchOptions {
  /** Accounts that send (each sends txs/accounts txs in sequence order). */
  senders?: number;
  /** Accounts in state (≥ senders); the rest only exist. */
  accounts?: number;
  txs?: number;
  /** Approximate txs per block. */
  blockTxs?: number;
  threads?: number;
  /** Leave out the phases run (quicker A/B runs of the headline figure). */
  skipPhases?: boolean;
  /** Write V8 CPU profiles here (main thread only): each CheckTx and block phase of the phases run, and the whole pipelined base run. */
  profileDir?: string;
  /**
   * Pipelined base runs (default 3): the headline is their median, every run is listed.
   * Wall rates on the 2-core VM vary by ±10% from run to run; one run is not a figure.
   */
  repeat?: number;
}

export interface ExecRun {
  accounts_in_state: number;
  senders: number;
  txs: number;
  blocks: number;
  genesis_init_s: number;
  /** `phases`: CheckTx and blocks take turns (per-phase figures); `pipelined`: they overlap as in a node under load. */
  mode: RunMode;
  /** Phases mode only: txs / time in each phase. */
  checktx_per_s?: number;
  block_exec_commit_per_s?: number;
  /** txs / wall time from the first submission to the last commit: what one node sustains end to end. */
  tx_per_s: number;
  failed_txs: number;
  stages_s: Record<string, number>;
  /**
   * CPU time of the whole process (main thread, verify workers, LevelDB threads) per tx, by
   * phase (phases mode): robust to other load on the machine, unlike the wall rates above.
   */
  cpu_ms_per_tx: { checktx?: number; block?: number; total: number };
  /** Share of the wall time the main thread was busy (event-loop utilization): near 1 means it is the bottleneck. */
  main_thread_busy: number;
  /** What `cores` fully used would sustain at this CPU cost per tx (a quiet-machine estimate). */
  tx_per_s_from_cpu: number;
  /** Signature verifications per tx (CheckTx + block preverification; more means repeated work). */
  signature_checks_per_tx: number;
}

function makeAccounts(n: number, seed: string): Account[] {
  const out: Account[] = [];
  for (let i = 0; i < n; i++) {
    const sk = sha256(new TextEncoder().encode(`${seed}-${i}`));
    const pubkey = secp256k1.getPublicKey(sk, true);
    out.push({ sk, pubkey, address: pubkeyToAddress(pubkey) });
  }
  return out;
}

function signSend(from: Account, to: string, accountNumber: bigint, sequence: bigint, chainId: string): Uint8Array {
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({
      messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: MsgSend.encode({ fromAddress: from.address, toAddress: to, amount: [{ denom: 'ugut', amount: '1' }] }).finish() }],
    }),
  ).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ publicKey: { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: from.pubkey }).finish() }, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence }],
      fee: { amount: [{ denom: 'ugut', amount: '5000' }], gasLimit: 200000n },
    }),
  ).finish();
  const doc = SignDoc.encode({ bodyBytes, authInfoBytes, chainId, accountNumber }).finish();
  const sig = secp256k1.sign(sha256(doc), from.sk, { prehash: false, lowS: true });
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [sig] }).finish();
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000;
const ms3 = (v: number): number => Math.round(v * 1000) / 1000;

/** CPU profiles of the main thread, one file per phase, for `--profile DIR` (read with any .cpuprofile viewer). */
async function createPhaseProfiler(dir: string | undefined) {
  if (!dir) return { start: async () => undefined, stop: async (_name: string) => undefined, close: async () => undefined };
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  return {
    start: async () => {
      await session.post('Profiler.start');
    },
    stop: async (name: string) => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    },
    close: async () => session.disconnect(),
  };
}

async function runOnce(all: Account[], senders: number, txCount: number, blockTxs: number, threads: number, mode: RunMode, profileDir?: string): Promise<ExecRun> {
  const dir = mkdtempSync(join(tmpdir(), 'guts-bench-exec-'));
  const modules = createModules();
  const bank = modules.bank.defaultGenesis();
  bank.balances = all.map((a) => ({ address: a.address, coins: [{ denom: 'ugut', amount: '1000000000' }] }));
  const valKey = new Uint8Array(32).fill(1);
  const genesisDoc: Genesis = {
    genesisTime: { seconds: 1_790_000_000n, nanos: 0 },
    chainId: 'guts-bench-1',
    initialHeight: 1n,
    consensusParams: { ...defaultConsensusParams(), blockMaxBytes: BigInt(blockTxs * 330) },
    validators: [{ address: validatorAddress(valKey), pubKey: valKey, power: 10n, name: 'bench' }],
    appState: { auth: modules.auth.defaultGenesis(), bank },
  };
  const pv = await generateFilePV(join(dir, 'pv_key.json'), join(dir, 'pv_state.json'));
  genesisDoc.validators = [{ address: pv.address, pubKey: pv.pubKey, power: 10n, name: 'bench' }];
  const genesis = parseGenesis(genesisToJson(genesisDoc, modules.list), modules.list);

  const db = await openChainDB(join(dir, 'chain'));
  const store = await createStateStore(db);
  const pool = createVerifyPool({ threads });
  const verifier = pool;
  const manager = new ModuleManager(modules.list);
  const pipeline = createTxPipeline({ chainId: genesis.chainId, modules, manager, verifier, minGasPrices: '0.025ugut', maxTxBytes: 1 << 20, maxBlockGas: -1n });
  const app = new GutsApp({ store, genesis, manager, pipeline });
  let t = performance.now();
  await app.init();
  const genesisInit = seconds(t);

  const view = { store: await store.readAt() };
  const numbers: bigint[] = [];
  for (let i = 0; i < senders; i++) numbers.push((await modules.auth.keeper.getAccount(view, all[i]!.address))!.accountNumber);
  const txs: Uint8Array[] = [];
  for (let k = 0; k < txCount; k++) {
    const s = k % senders;
    txs.push(signSend(all[s]!, all[(k * 7919 + 1) % all.length]!.address, numbers[s]!, BigInt(Math.floor(k / senders)), genesis.chainId));
  }

  const blockStore = await createBlockStore(blockStoreSublevels(db));
  const mempool = createMempool({ app, precheck: (tx) => app.precheckTx(tx), maxTxs: txCount + 1, maxBytes: 1 << 30 });
  const producer = createProducer({ app, blockStore, mempool, privValidator: pv, chainId: genesis.chainId, genesisTime: genesis.genesisTime, consensusParams: consensusParamsOf(genesis) });

  // Time spent in each stage, measured by wrapping the node's own objects.
  const stages = { checktx_s: 0, finalize_block_s: 0, commit_s: 0, recheck_s: 0 };
  const timed = <A extends unknown[], R>(fn: (...a: A) => Promise<R>, stage: keyof typeof stages) =>
    async (...a: A): Promise<R> => {
      const t0 = performance.now();
      try {
        return await fn(...a);
      } finally {
        stages[stage] += seconds(t0);
      }
    };
  app.finalizeBlock = timed(app.finalizeBlock.bind(app), 'finalize_block_s');
  app.commit = timed(app.commit.bind(app), 'commit_s');
  const lockForCommit = mempool.lockForCommit.bind(mempool);
  mempool.lockForCommit = (fn) => lockForCommit((locked) => fn({ update: timed(locked.update.bind(locked), 'recheck_s') }));

  let rejected = 0;
  let failed = 0;
  let blocks = 0;
  const admit = async (batch: Uint8Array[]) => {
    const admitted = await Promise.all(batch.map((tx) => mempool.add(tx)));
    rejected += admitted.filter((r) => r.code !== 0).length;
  };
  const produce = async () => {
    const { results } = await producer.produceBlock();
    failed += results.txResults.filter((r) => r.code !== 0).length;
    blocks++;
  };
  const profiler = await createPhaseProfiler(profileDir);
  const tStart = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const cpuStart = process.cpuUsage();
  let cpuCheck = 0;
  if (mode === 'phases') {
    // A block's worth of txs arrives, CheckTx admits it, then the next block takes it (and
    // rechecks whatever is left): the two phases never overlap, so each has its own CPU figure.
    for (let next = 0; next < txs.length || mempool.size() > 0; next += blockTxs) {
      const t0 = performance.now();
      await profiler.start();
      const c0 = process.cpuUsage();
      // many clients submit at once: the stateless precheck (signature on the pool) overlaps
      await admit(txs.slice(next, next + blockTxs));
      stages.checktx_s += seconds(t0);
      const dc = process.cpuUsage(c0);
      cpuCheck += (dc.user + dc.system) / 1000;
      await profiler.stop(`checktx-${blocks}`);
      await profiler.start();
      await produce();
      await profiler.stop(`block-${blocks}`);
    }
  } else {
    // Sustained load as a node meets it: clients keep sending while blocks are produced
    // back to back, so the next block's CheckTx (signatures on the worker pool, state
    // checks between the block's awaits) overlaps this block's execution. Each block takes
    // what was admitted before it started; the rest is rechecked after its commit.
    await admit(txs.slice(0, blockTxs));
    await profiler.start();
    for (let next = blockTxs; next < txs.length || mempool.size() > 0; next += blockTxs) {
      const arriving = next < txs.length ? admit(txs.slice(next, next + blockTxs)) : undefined;
      await produce();
      await arriving;
    }
    await profiler.stop('pipelined');
  }
  const totalS = seconds(tStart);
  const mainBusy = performance.eventLoopUtilization(elu0).utilization;
  const cpuAll = process.cpuUsage(cpuStart);
  const cpuTotal = (cpuAll.user + cpuAll.system) / 1000;
  await profiler.close();
  const blockS = totalS - stages.checktx_s;
  const verifyStats = pool.stats();
  await pool.close();
  await store.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    accounts_in_state: all.length,
    senders,
    txs: txCount,
    blocks,
    genesis_init_s: Math.round(genesisInit * 10) / 10,
    mode,
    ...(mode === 'phases' ? { checktx_per_s: Math.round(txCount / stages.checktx_s), block_exec_commit_per_s: Math.round(txCount / blockS) } : {}),
    tx_per_s: Math.round(txCount / totalS),
    failed_txs: failed + rejected,
    // CPU time of the whole process (all threads) per tx: robust to other load on the machine
    cpu_ms_per_tx: {
      ...(mode === 'phases' ? { checktx: ms3(cpuCheck / txCount), block: ms3((cpuTotal - cpuCheck) / txCount) } : {}),
      total: ms3(cpuTotal / txCount),
    },
    main_thread_busy: Math.round(mainBusy * 100) / 100,
    tx_per_s_from_cpu: Math.round((availableParallelism() * 1000 * txCount) / cpuTotal),
    signature_checks_per_tx: Math.round(((verifyStats.inThread + verifyStats.onWorkers) / txCount) * 100) / 100,
    // in pipelined mode CheckTx is not timed apart: it runs inside the block stages
    stages_s: Object.fromEntries(Object.entries(stages).filter(([k]) => mode === 'phases' || k !== 'checktx_s').map(([k, v]) => [k, Math.round(v * 100) / 100])),
  };
}

/** Baseline measured in the same run: verify the same number of signatures on the same pool size. */
async function rawVerifyRate(n: number, threads: number): Promise<{ perS: number; cpuMs: number }> {
  const keys = makeAccounts(200, 'verify');
  const items = Array.from({ length: n }, (_, i) => {
    const a = keys[i % keys.length]!;
    const msg = new Uint8Array(230).fill(i & 0xff);
    msg[1] = i >>> 8;
    return { pubkey: a.pubkey, msg, sig: secp256k1.sign(sha256(msg), a.sk, { prehash: false }) };
  });
  const pool = createVerifyPool({ threads });
  await pool.verify(items.slice(0, 100));
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i += 2000) await pool.verify(items.slice(i, i + 2000));
  const rate = n / seconds(t);
  const dc = process.cpuUsage(c0);
  await pool.close();
  return { perS: Math.round(rate), cpuMs: Math.round(((dc.user + dc.system) / 1000 / n) * 1000) / 1000 };
}

export async function runExecBench(opts: ExecBenchOptions & { large?: number } = {}) {
  const senders = opts.senders ?? 10_000;
  const txCount = opts.txs ?? 20_000;
  const blockTxs = opts.blockTxs ?? 2_000;
  const threads = opts.threads ?? availableParallelism();
  const loadAvg = loadavg()[0];
  const baseAccounts = makeAccounts(Math.max(senders, opts.accounts ?? senders), 'bench');
  const verify = await rawVerifyRate(txCount, threads);
  const verifyPerS = verify.perS;
  // the same txs twice: phases apart (CPU per phase, profiles), then overlapped (the headline rate)
  const phases = opts.skipPhases ? undefined : await runOnce(baseAccounts, senders, txCount, blockTxs, threads, 'phases', opts.profileDir);
  const runs: ExecRun[] = [];
  for (let r = 0; r < Math.max(1, opts.repeat ?? 3); r++) runs.push(await runOnce(baseAccounts, senders, txCount, blockTxs, threads, 'pipelined', r === 0 ? opts.profileDir : undefined));
  const base = [...runs].sort((a, b) => a.tx_per_s - b.tx_per_s)[Math.floor((runs.length - 1) / 2)];
  const result: Record<string, unknown> = {
    bench: 'exec',
    cores: availableParallelism(),
    verify_threads: threads,
    load_avg_at_start: Math.round(loadAvg * 100) / 100,
    node_options: process.env.NODE_OPTIONS ?? '',
    exec_argv: process.execArgv.join(' '),
    signature_backend: SECP256K1_BACKEND,
    raw_signature_verify_per_s: verifyPerS,
    /** CPU per verification on the pool: the floor of cpu_ms_per_tx (one signature per tx). */
    raw_signature_verify_cpu_ms: verify.cpuMs,
    phases,
    /** The median pipelined run (the headline figure); `base_runs_tx_per_s` lists every run. */
    base,
    base_runs_tx_per_s: runs.map((r) => r.tx_per_s),
    ratio_tx_to_verify: Math.round((base.tx_per_s / verifyPerS) * 1000) / 1000,
    ratio_verify_cpu_to_tx_cpu: Math.round((verify.cpuMs / base.cpu_ms_per_tx.total) * 1000) / 1000,
    target_tx_per_s: 1500,
  };
  result.load_avg_after_base = Math.round(loadavg()[0] * 100) / 100;
  if (opts.large && opts.large > baseAccounts.length) {
    const more = [...baseAccounts, ...makeAccounts(opts.large - baseAccounts.length, 'bench-extra')];
    const large = await runOnce(more, senders, txCount, blockTxs, threads, 'pipelined');
    result.large = large;
    result.load_avg_after_large = Math.round(loadavg()[0] * 100) / 100;
    result.slowdown_large_vs_base = Math.round((base.tx_per_s / large.tx_per_s) * 100) / 100;
    // the same ratio in CPU per tx, which other load on the machine disturbs far less
    result.slowdown_cpu_large_vs_base = Math.round((large.cpu_ms_per_tx.total / base.cpu_ms_per_tx.total) * 100) / 100;
  }
  return result;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function strArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await runExecBench({ senders: arg('accounts', 10_000), txs: arg('txs', 20_000), blockTxs: arg('block-txs', 2_000), large: arg('large', 100_000), threads: arg('threads', availableParallelism()), profileDir: strArg('profile'), skipPhases: process.argv.includes('--skip-phases'), repeat: arg('repeat', 3) });
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}

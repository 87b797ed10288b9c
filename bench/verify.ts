/**
 * Signature verification throughput: in-thread `verifySecp256k1` (the baseline) against
 * the worker pool, on SIGN_MODE_DIRECT-sized messages from a set of recurring accounts
 * (as in a block). DESIGN §10 budgets ~2.8k verifies/s per core.
 *
 *   npm run build && node dist/bench/verify.js [n] [threads]
 */
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { KeyCache, verifySecp256k1, type VerifyItem } from '../app/tx/secp256k1.js';
import { createVerifyPool } from '../app/tx/verify-pool.js';

export interface VerifyBenchOptions {
  /** Signatures per measurement; default 6000. */
  n?: number;
  /** Pool threads; default os.availableParallelism(). */
  threads?: number;
  /** Distinct signing accounts; default 500. */
  accounts?: number;
  /** Items per pool call, like a block; default 1000. */
  batch?: number;
  /** Alternating baseline/pool measurements; the median is reported. Default 3. */
  rounds?: number;
}

export interface VerifyBenchResult {
  n: number;
  threads: number;
  batch: number;
  single_thread_per_s: number;
  pool_per_s: number;
  /** pool_per_s / single_thread_per_s (medians of alternating rounds) */
  speedup: number;
  /** Verifies per CPU-second (all threads), robust to other load on the machine. */
  single_thread_per_cpu_s: number;
  pool_per_cpu_s: number;
  cores: number;
  /** 1-minute load average when the run started; above `cores` the wall-clock rates are depressed. */
  load_avg: number;
}

function makeItems(n: number, accounts: number): VerifyItem[] {
  const keys = Array.from({ length: accounts }, () => {
    const sk = secp256k1.utils.randomSecretKey();
    return { sk, pubkey: secp256k1.getPublicKey(sk, true) };
  });
  return Array.from({ length: n }, (_, i) => {
    const { sk, pubkey } = keys[i % accounts];
    const msg = new Uint8Array(230).fill(i & 0xff); // a one-MsgSend SignDoc is ~230 bytes
    msg[0] = i >>> 8;
    return { pubkey, msg, sig: secp256k1.sign(sha256(msg), sk, { prehash: false }) };
  });
}

const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000);
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

export async function runVerifyBench(opts: VerifyBenchOptions = {}): Promise<VerifyBenchResult> {
  const n = opts.n ?? 6000;
  const threads = opts.threads ?? availableParallelism();
  const batch = opts.batch ?? 1000;
  const rounds = Math.max(1, opts.rounds ?? 3);
  const load = loadavg()[0];
  const items = makeItems(n, opts.accounts ?? 500);
  const cache = new KeyCache();
  const pool = createVerifyPool({ threads });

  const single = async (): Promise<boolean[]> => items.map((it) => verifySecp256k1(it.pubkey, it.msg, it.sig, cache));
  const pooled = async (): Promise<boolean[]> => {
    const out: boolean[] = [];
    for (let i = 0; i < n; i += batch) out.push(...(await pool.verify(items.slice(i, i + batch))));
    return out;
  };
  const measure = async (run: () => Promise<boolean[]>): Promise<{ wall: number; cpu: number }> => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const ok = (await run()).filter(Boolean).length;
    if (ok !== n) throw new Error(`${n - ok} valid signatures were rejected`);
    return { wall: rate(n, performance.now() - t), cpu: rate(n, cpuMs(cpu)) };
  };
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  try {
    // Warm both paths over every key first: steady state is hot KeyObject caches in every thread.
    await single();
    await pooled();
    // Alternate the baseline and the pool so that load from other processes hits both alike.
    const s: { wall: number; cpu: number }[] = [];
    const p: { wall: number; cpu: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      s.push(await measure(single));
      p.push(await measure(pooled));
    }
    const sw = median(s.map((x) => x.wall));
    const pw = median(p.map((x) => x.wall));
    return {
      n,
      threads,
      batch,
      single_thread_per_s: sw,
      pool_per_s: pw,
      speedup: Math.round((pw / sw) * 100) / 100,
      single_thread_per_cpu_s: median(s.map((x) => x.cpu)),
      pool_per_cpu_s: median(p.map((x) => x.cpu)),
      cores: availableParallelism(),
      load_avg: Math.round(load * 100) / 100,
    };
  } finally {
    await pool.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [n, threads] = process.argv.slice(2).map(Number);
  console.log(JSON.stringify(await runVerifyBench({ n: n || undefined, threads: threads >= 0 ? threads : undefined })));
}

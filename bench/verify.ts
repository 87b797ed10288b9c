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
}

export interface VerifyBenchResult {
  n: number;
  threads: number;
  batch: number;
  single_thread_per_s: number;
  pool_per_s: number;
  /** pool_per_s / single_thread_per_s */
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
  const load = loadavg()[0];
  const items = makeItems(n, opts.accounts ?? 500);

  const cache = new KeyCache();
  const warm = items.slice(0, Math.min(n, 500));
  for (const it of warm) verifySecp256k1(it.pubkey, it.msg, it.sig, cache);
  let t = performance.now();
  let cpu = process.cpuUsage();
  let ok = 0;
  for (const it of items) if (verifySecp256k1(it.pubkey, it.msg, it.sig, cache)) ok++;
  const single = rate(n, performance.now() - t);
  const singleCpu = rate(n, cpuMs(cpu));
  if (ok !== n) throw new Error(`in-thread verification rejected ${n - ok} valid signatures`);

  const pool = createVerifyPool({ threads });
  try {
    await pool.verify(warm);
    t = performance.now();
    cpu = process.cpuUsage();
    let good = 0;
    for (let i = 0; i < n; i += batch) good += (await pool.verify(items.slice(i, i + batch))).filter(Boolean).length;
    const pooled = rate(n, performance.now() - t);
    const pooledCpu = rate(n, cpuMs(cpu));
    if (good !== n) throw new Error(`pool rejected ${n - good} valid signatures`);
    return { n, threads, batch, single_thread_per_s: single, pool_per_s: pooled, speedup: Math.round((pooled / single) * 100) / 100,
      single_thread_per_cpu_s: singleCpu,
      pool_per_cpu_s: pooledCpu,
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

/**
 * State store throughput on a populated store (default 100k entries): live reads, sets with
 * block commits, a tx-shaped workload (checkpoint, 6 reads, 4 writes per tx), proofs. The
 * same-run baseline is @ethereumjs/mpt's own put (hashing per put), which the store's
 * deferred-hashing writer replaces. Prints JSON when run directly:
 *   npm run build && node --max-semi-space-size=64 dist/bench/store.js   (ENTRIES=… to resize)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMPT } from '@ethereumjs/mpt';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { keccak256 } from '../app/store/trie/keccak.js';
import { openChainDB } from '../app/store/db.js';
import { createStateStore } from '../app/store/state.js';
import type { StateStore } from '../app/store/types.js';
import { verifyStoreProof } from '../sdk/proof.js';

export interface StoreBenchOptions {
  /** Entries in the store before measuring (half accounts, half balances). */
  entries?: number;
  setsPerCommit?: number;
  commits?: number;
  txsPerBlock?: number;
  blocks?: number;
  gets?: number;
  proofs?: number;
}

export interface StoreBenchResult {
  entries: number;
  populate_s: number;
  /** V8 heap after the measurements (store caches and decoded branches included). */
  heap_mb: number;
  get_per_s: number;
  get_past_height_per_s: number;
  set_commit_per_s: number;
  tx_per_s: number;
  proof_create_per_s: number;
  proof_verify_per_s: number;
  /** Process CPU (all threads, incl. LevelDB) per measured set+commit, in µs. */
  set_commit_cpu_us: number;
  baseline: { ethereumjs_mpt_put_per_s: number; note: string; keccak_532B_per_s: { guts: number; noble: number } };
}

const enc = new TextEncoder();
/** Deterministic pseudo-random 20-byte address for account n (keys hold raw address bytes, as modules/auth does). */
function addr(n: number): Uint8Array {
  const out = new Uint8Array(20);
  let x = (n + 1) >>> 0;
  for (let i = 0; i < 20; i++) {
    x = Math.imul(x ^ (x >>> 15), 2246822519) >>> 0;
    x = (x ^ (x >>> 13)) >>> 0;
    out[i] = x & 0xff;
  }
  return out;
}
const key = (prefix: string, n: number, suffix = '') => {
  const p = enc.encode(prefix);
  const s = enc.encode(suffix);
  const out = new Uint8Array(p.length + 20 + s.length);
  out.set(p);
  out.set(addr(n), p.length);
  out.set(s, p.length + 20);
  return out;
};
const accountKey = (n: number) => key('auth/accounts/', n);
const balanceKey = (n: number) => key('bank/balances/', n, '/ustake');
/** Sizes of a protobuf BaseAccount with a pubkey (~90 bytes) and a Coin (~20 bytes). */
const accountValue = (n: number, seq: number) => enc.encode(`acct:${n}:${seq}:${'p'.repeat(70)}`);
const coinValue = (amount: number) => enc.encode(`ustake:${amount}`);

function rate(count: number, startMs: number): number {
  return Math.round((count / (performance.now() - startMs)) * 1000);
}

export async function runStoreBench(opts: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const entries = opts.entries ?? 100_000;
  const accounts = Math.floor(entries / 2);
  const dir = await mkdtemp(join(tmpdir(), 'guts-bench-store-'));
  const db = await openChainDB(dir);
  try {
    const store = await createStateStore(db);
    let height = 0;
    const t0 = performance.now();
    for (let n = 0; n < accounts; n++) {
      await store.set(accountKey(n), accountValue(n, 0));
      await store.set(balanceKey(n), coinValue(1_000_000 + n));
      if ((n + 1) % 10_000 === 0) await store.commit(++height);
    }
    await store.commit(++height);
    const populate_s = (performance.now() - t0) / 1000;
    let seed = 1;
    const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % m);

    const gets = opts.gets ?? 20_000;
    let t = performance.now();
    for (let i = 0; i < gets; i++) await store.get(balanceKey(rnd(accounts)));
    const get_per_s = rate(gets, t);

    const setsPerCommit = opts.setsPerCommit ?? 1000;
    const commits = opts.commits ?? 10;
    t = performance.now();
    const cpu = process.cpuUsage();
    for (let c = 0; c < commits; c++) {
      for (let i = 0; i < setsPerCommit; i++) await store.set(balanceKey(rnd(accounts)), coinValue(i * 1000 + c));
      await store.commit(++height);
    }
    const set_commit_per_s = rate(setsPerCommit * commits, t);
    const used = process.cpuUsage(cpu);
    const set_commit_cpu_us = Math.round((used.user + used.system) / (setsPerCommit * commits));

    const tx_per_s = await txWorkload(store, accounts, opts.txsPerBlock ?? 1500, opts.blocks ?? 3, () => ++height, rnd);

    const past = await store.readAt(height - 1);
    t = performance.now();
    const pastGets = Math.min(gets, 5000);
    for (let i = 0; i < pastGets; i++) await past.get(balanceKey(rnd(accounts)));
    const get_past_height_per_s = rate(pastGets, t);

    const proofCount = opts.proofs ?? 2000;
    const proofs = [];
    t = performance.now();
    for (let i = 0; i < proofCount; i++) proofs.push(await store.prove(balanceKey(rnd(accounts))));
    const proof_create_per_s = rate(proofCount, t);
    t = performance.now();
    for (const p of proofs) if (!(await verifyStoreProof(p))) throw new Error('proof failed to verify');
    const proof_verify_per_s = rate(proofCount, t);

    return {
      entries: accounts * 2,
      populate_s: Math.round(populate_s * 10) / 10,
      heap_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      get_per_s,
      get_past_height_per_s,
      set_commit_per_s,
      set_commit_cpu_us,
      tx_per_s,
      proof_create_per_s,
      proof_verify_per_s,
      baseline: await baseline(),
    };
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Blocks of txs as block execution runs them: a checkpoint per tx, sender/recipient/fee reads and writes. */
async function txWorkload(store: StateStore, accounts: number, txsPerBlock: number, blocks: number, nextHeight: () => number, rnd: (m: number) => number): Promise<number> {
  const fees = enc.encode('bank/balances/fee_collector/ustake');
  const t = performance.now();
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < txsPerBlock; i++) {
      const from = rnd(accounts);
      const to = rnd(accounts);
      store.checkpoint();
      try {
        for (const k of [accountKey(from), balanceKey(from), balanceKey(to), fees, accountKey(to), balanceKey(from)]) await store.get(k);
        await store.set(accountKey(from), accountValue(from, i + 1));
        await store.set(balanceKey(from), coinValue(b * 1_000_000 + i));
        await store.set(balanceKey(to), coinValue(b * 2_000_000 + i));
        await store.set(fees, coinValue(i + 1));
      } finally {
        await store.commitCheckpoint();
      }
    }
    await store.commit(nextHeight());
  }
  return rate(txsPerBlock * blocks, t);
}

/** @ethereumjs/mpt put (hashes every node on the path per put) into an in-memory 20k-entry trie; keccak of a branch node. */
async function baseline(): Promise<StoreBenchResult['baseline']> {
  const trie = await createMPT({ useKeyHashing: false });
  for (let n = 0; n < 10_000; n++) {
    await trie.put(accountKey(n), accountValue(n, 0));
    await trie.put(balanceKey(n), coinValue(n));
  }
  const count = 2000;
  const t = performance.now();
  for (let i = 0; i < count; i++) await trie.put(balanceKey((i * 7919) % 10_000), coinValue(i));
  const node = new Uint8Array(532).fill(7); // a full branch node
  const hashRate = (f: (b: Uint8Array) => Uint8Array) => {
    const s = performance.now();
    for (let i = 0; i < 20_000; i++) f(node);
    return rate(20_000, s);
  };
  return {
    ethereumjs_mpt_put_per_s: rate(count, t),
    note: 'ethereumjs: in-memory MapDB, 20k entries, no commit or disk: an upper bound for the library path',
    keccak_532B_per_s: { guts: hashRate(keccak256), noble: hashRate(keccak_256) },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entries = process.env.ENTRIES ? Number(process.env.ENTRIES) : undefined;
  console.log(JSON.stringify(await runStoreBench({ entries }), null, 2));
}

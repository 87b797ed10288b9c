/**
 * Parallel secp256k1 verification on worker threads (DESIGN §10: signature checks are
 * the throughput limit, ~3k/s per core). `verify` calls made in the same event-loop
 * turn are coalesced into one batch, split evenly over the workers, one message per
 * worker. Batches smaller than `inlineBelow` run on the calling thread, where a round
 * trip to a worker would cost more than it saves. A worker that dies has its batch
 * verified in-thread and is replaced (or dropped, if it never answered, so a worker that
 * cannot start does not crash-loop), so a caller never sees a pool failure.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { isCompressedPubkey, KeyCache, LIBSECP256K1_PATH, verifySecp256k1, type SignatureVerifier, type VerifyItem } from './secp256k1.js';
import { packBatch, VERIFY_WORKER_SOURCE } from './verify-worker.js';

export interface VerifyPoolInit {
  /** Worker threads; default `os.availableParallelism()`. 0 verifies everything in-thread. */
  threads?: number;
  /** Coalesced batches with fewer items run in-thread; default 4. */
  inlineBelow?: number;
  /** KeyObjects cached per thread; default 10,000. */
  cacheSize?: number;
}

export interface VerifyPool extends SignatureVerifier {
  /** Live worker threads. */
  readonly threads: number;
  /** One boolean per item, in order. Malformed items are `false`, never an exception. */
  verify(items: VerifyItem[]): Promise<boolean[]>;
  /**
   * Items verified so far on the calling thread and on workers, and the library each worker
   * that has answered verifies with (for benchmarks and tests).
   */
  stats(): { inThread: number; onWorkers: number; workerBackends: string[] };
  /** Stop the workers. Later calls (and batches in flight) are verified in-thread. */
  close(): Promise<void>;
}

interface Job {
  items: VerifyItem[];
  resolve(out: boolean[]): void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  queued: number;
  /** Whether this worker has ever answered; one that dies before that is not respawned. */
  answered: boolean;
  /** The library it verifies with, from its answers. */
  backend?: string;
}

interface Request {
  items: VerifyItem[];
  resolve(out: boolean[]): void;
}

export function createVerifyPool(init: VerifyPoolInit = {}): VerifyPool {
  const threads = Math.max(0, Math.floor(init.threads ?? availableParallelism()));
  const inlineBelow = init.inlineBelow ?? 4;
  const cacheSize = init.cacheSize ?? 10_000;
  const cache = new KeyCache(cacheSize);
  const inline = (items: readonly VerifyItem[]): boolean[] => items.map((it) => verifySecp256k1(it.pubkey, it.msg, it.sig, cache));

  let closed = false;
  let nextId = 1;
  let queue: Request[] = [];
  let scheduled = false;
  const counts = { inThread: 0, onWorkers: 0 };

  function drain(slot: Slot): void {
    for (const job of slot.jobs.values()) {
      counts.onWorkers -= job.items.length;
      counts.inThread += job.items.length;
      job.resolve(inline(job.items));
    }
    slot.jobs.clear();
    slot.queued = 0;
  }

  function spawn(): Slot {
    const worker = new Worker(VERIFY_WORKER_SOURCE, { eval: true, workerData: { cacheSize, libsecp256k1Path: LIBSECP256K1_PATH } });
    const slot: Slot = { worker, jobs: new Map(), queued: 0, answered: false };
    worker.unref(); // only outstanding jobs keep the process alive
    worker.on('message', ({ id, out, backend }: { id: number; out: Uint8Array; backend: string }) => {
      const job = slot.jobs.get(id);
      if (!job) return;
      slot.answered = true;
      slot.backend = backend;
      slot.jobs.delete(id);
      slot.queued -= job.items.length;
      if (slot.jobs.size === 0) worker.unref();
      job.resolve(Array.from(out, (b) => b === 1));
    });
    const replace = (): void => {
      const i = slots.indexOf(slot);
      drain(slot);
      if (i < 0 || closed) return;
      // A worker that cannot even start would crash-loop; fall back to fewer threads (at worst in-thread).
      if (slot.answered) slots[i] = spawn();
      else slots.splice(i, 1);
    };
    worker.on('error', replace);
    worker.on('exit', replace);
    return slot;
  }

  const slots: Slot[] = Array.from({ length: threads }, spawn);

  function runOn(slot: Slot, items: VerifyItem[]): Promise<boolean[]> {
    return new Promise((resolve) => {
      const id = nextId++;
      slot.jobs.set(id, { items, resolve });
      slot.queued += items.length;
      if (slot.jobs.size === 1) slot.worker.ref();
      const buf = packBatch(items);
      slot.worker.postMessage({ id, buf }, [buf]);
    });
  }

  async function runBatch(items: VerifyItem[]): Promise<boolean[]> {
    const out = new Array<boolean>(items.length).fill(false);
    // Length checks here keep the wire format fixed-size; those items are false anyway.
    const idx: number[] = [];
    items.forEach((it, i) => {
      const wellFormed = it.pubkey instanceof Uint8Array && it.msg instanceof Uint8Array && it.sig instanceof Uint8Array;
      if (wellFormed && isCompressedPubkey(it.pubkey) && it.sig.length === 64) idx.push(i);
    });
    if (closed || slots.length === 0 || idx.length < inlineBelow) {
      counts.inThread += idx.length;
      for (const i of idx) out[i] = verifySecp256k1(items[i].pubkey, items[i].msg, items[i].sig, cache);
      return out;
    }
    counts.onWorkers += idx.length;
    const byLoad = [...slots].sort((a, b) => a.queued - b.queued);
    const chunks = Math.min(byLoad.length, Math.ceil(idx.length / inlineBelow));
    const per = Math.ceil(idx.length / chunks);
    await Promise.all(
      Array.from({ length: chunks }, async (_, c) => {
        const part = idx.slice(c * per, (c + 1) * per);
        const res = await runOn(byLoad[c], part.map((i) => items[i]));
        part.forEach((i, k) => (out[i] = res[k]));
      }),
    );
    return out;
  }

  function flush(): void {
    scheduled = false;
    const reqs = queue;
    queue = [];
    const all = reqs.flatMap((r) => r.items);
    // runBatch only fails on a bug; then the in-thread path still answers every caller.
    void runBatch(all).catch(() => inline(all)).then((out) => {
      let o = 0;
      for (const r of reqs) {
        r.resolve(out.slice(o, o + r.items.length));
        o += r.items.length;
      }
    });
  }

  return {
    get threads() {
      return slots.length;
    },
    stats: () => ({ ...counts, workerBackends: slots.flatMap((s) => (s.backend === undefined ? [] : [s.backend])) }),
    verify(items) {
      if (items.length === 0) return Promise.resolve([]);
      return new Promise((resolve) => {
        queue.push({ items, resolve });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

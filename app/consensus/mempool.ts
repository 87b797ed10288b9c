/**
 * The mempool (CometBFT mempool/clist_mempool.go semantics): txs admitted by the
 * app's CheckTx, kept in arrival order, deduplicated by hash with a bounded cache of
 * recently seen txs, reaped for blocks within byte and gas limits, and re-checked
 * against the new state after each commit. CheckTx calls are serialised: the app's
 * check state is not safe for concurrent use.
 *
 * Size, duplicate and fullness refusals resolve as CheckTx responses in codespace
 * `sdk` (ErrTxTooLarge 21, ErrMempoolIsFull 20, ErrTxInMempoolCache 19) so clients
 * see the same codes a Cosmos SDK node reports.
 */
import { CheckTxType, type ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import type { Application } from '../abci.js';
import { abciError, ErrMempoolIsFull, ErrTxInMempoolCache, ErrTxTooLarge, type RegisteredError } from '../errors.js';
import { txHashOf } from './txindex.js';
import type { LockableMempool, MempoolTx } from './types.js';

export interface MempoolInit {
  app: Pick<Application, 'checkTx'>;
  /** Most txs held (CometBFT mempool.size, default 5000). */
  maxTxs?: number;
  /** Most total tx bytes held (mempool.max_txs_bytes, default 1 GiB). */
  maxBytes?: number;
  /** Largest single tx (mempool.max_tx_bytes, default 1 MiB). */
  maxTxBytes?: number;
  /** Recently seen tx hashes remembered to refuse duplicates (mempool.cache_size, default 10000). */
  cacheSize?: number;
  /**
   * Stateless work run concurrently before the serialised CheckTx (e.g. verifying the
   * signature on the worker pool so the serial part finds it memoised). Errors are ignored:
   * CheckTx itself decides.
   */
  precheck?: (tx: Uint8Array) => Promise<void>;
  /** Who sent a tx and with which sequence; by default read from the Cosmos SDK `tx.acc_seq` event (`addr/seq`). */
  senderOf?: (tx: Uint8Array, res: ResponseCheckTx) => { sender: string; sequence: bigint } | undefined;
}

export interface GutsMempool extends LockableMempool {
  /** Called for every tx admitted by `add` (for gossip); returns an unsubscribe function. */
  onTx(listener: (tx: MempoolTx) => void): () => void;
  /** Txs in admission order (for `unconfirmed_txs`). */
  txs(limit?: number): MempoolTx[];
  /** Drop every pending tx and forget the cache (`unsafe_flush_mempool`). */
  flush(): void;
}

export const MEMPOOL_DEFAULTS = { maxTxs: 5000, maxBytes: 1024 ** 3, maxTxBytes: 1024 ** 2, cacheSize: 10_000 } as const;

const toHexUpper = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex').toUpperCase();

function refusal(err: RegisteredError, detail: string): ResponseCheckTx {
  const e = err.wrap(detail);
  return { code: e.code, codespace: e.codespace, log: e.message, data: new Uint8Array(0), info: '', gasWanted: 0n, gasUsed: 0n, events: [] };
}

function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Bytes a tx adds to the block's `Data` message (CometBFT `ComputeProtoSizeForTxs`). */
export function protoSizeInData(tx: Uint8Array): number {
  return 1 + uvarintSize(tx.length) + tx.length;
}

function accSeqSender(_tx: Uint8Array, res: ResponseCheckTx): { sender: string; sequence: bigint } | undefined {
  for (const ev of res.events) {
    if (ev.type !== 'tx') continue;
    for (const a of ev.attributes) {
      if (a.key !== 'acc_seq') continue;
      const slash = a.value.lastIndexOf('/');
      if (slash > 0 && /^\d+$/.test(a.value.slice(slash + 1))) return { sender: a.value.slice(0, slash), sequence: BigInt(a.value.slice(slash + 1)) };
    }
  }
  return undefined;
}

/** A bounded LRU set of tx hashes (CometBFT `LRUTxCache`). */
class TxCache {
  private readonly keys = new Map<string, true>();
  constructor(private readonly size: number) {}
  /** Adds the key; false if it was already present. */
  push(key: string): boolean {
    if (this.keys.has(key)) {
      this.keys.delete(key);
      this.keys.set(key, true);
      return false;
    }
    this.keys.set(key, true);
    if (this.keys.size > this.size) this.keys.delete(this.keys.keys().next().value as string);
    return true;
  }
  remove(key: string): void {
    this.keys.delete(key);
  }
  clear(): void {
    this.keys.clear();
  }
}

export function createMempool(init: MempoolInit): GutsMempool {
  const maxTxs = init.maxTxs ?? MEMPOOL_DEFAULTS.maxTxs;
  const maxBytes = init.maxBytes ?? MEMPOOL_DEFAULTS.maxBytes;
  const maxTxBytes = init.maxTxBytes ?? MEMPOOL_DEFAULTS.maxTxBytes;
  const cache = new TxCache(init.cacheSize ?? MEMPOOL_DEFAULTS.cacheSize);
  const senderOf = init.senderOf ?? accSeqSender;
  const pool = new Map<string, MempoolTx>(); // insertion order = admission order
  const listeners = new Set<(tx: MempoolTx) => void>();
  let totalBytes = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const fullReason = (size: number): string | undefined =>
    pool.size >= maxTxs || totalBytes + size > maxBytes
      ? `mempool holds ${pool.size}/${maxTxs} txs and ${totalBytes}/${maxBytes} bytes; retry after the next block`
      : undefined;

  const remove = (key: string) => {
    const entry = pool.get(key);
    if (!entry) return;
    pool.delete(key);
    totalBytes -= entry.tx.length;
  };

  async function check(tx: Uint8Array, type: CheckTxType): Promise<ResponseCheckTx> {
    try {
      return await init.app.checkTx(tx, type);
    } catch (err) {
      const { code, codespace, log } = abciError(err);
      return { code, codespace, log, data: new Uint8Array(0), info: '', gasWanted: 0n, gasUsed: 0n, events: [] };
    }
  }

  async function updateLocked(_height: number, committed: Uint8Array[]): Promise<void> {
    for (const tx of committed) {
      const key = toHexUpper(txHashOf(tx));
      remove(key);
      cache.push(key); // committed txs stay in the cache so a replay is refused early
    }
    for (const [key, entry] of [...pool]) {
      const res = await check(entry.tx, CheckTxType.RECHECK);
      if (res.code !== 0) {
        remove(key);
        cache.remove(key);
      } else entry.gasWanted = res.gasWanted;
    }
  }

  return {
    add(tx: Uint8Array): Promise<ResponseCheckTx> {
      if (tx.length > maxTxBytes) return Promise.resolve(refusal(ErrTxTooLarge, `tx is ${tx.length} bytes, the limit is ${maxTxBytes}`));
      const full = fullReason(tx.length);
      if (full) return Promise.resolve(refusal(ErrMempoolIsFull, full));
      const hash = txHashOf(tx);
      const key = toHexUpper(hash);
      if (!cache.push(key)) return Promise.resolve(refusal(ErrTxInMempoolCache, `tx ${key} was already received`));
      const pre = init.precheck ? init.precheck(tx).catch(() => undefined) : undefined;
      return serial(async () => {
        await pre;
        const res = await check(tx, CheckTxType.NEW);
        if (res.code !== 0) {
          cache.remove(key);
          return res;
        }
        const stillFull = fullReason(tx.length);
        if (stillFull) {
          cache.remove(key);
          return refusal(ErrMempoolIsFull, stillFull);
        }
        if (pool.has(key)) return refusal(ErrTxInMempoolCache, `tx ${key} is already in the mempool`);
        const who = senderOf(tx, res);
        const entry: MempoolTx = { tx, hash, gasWanted: res.gasWanted, sender: who?.sender ?? '', sequence: who?.sequence ?? 0n };
        pool.set(key, entry);
        totalBytes += tx.length;
        for (const l of listeners) {
          try {
            l(entry);
          } catch {
            // A listener's failure (e.g. gossip) must not undo the admission.
          }
        }
        return res;
      });
    },

    reap(maxBlockBytes: number, maxGas: bigint): Uint8Array[] {
      const out: Uint8Array[] = [];
      let bytes = 0;
      let gas = 0n;
      for (const entry of pool.values()) {
        const size = protoSizeInData(entry.tx);
        if (maxBlockBytes > -1 && bytes + size > maxBlockBytes) break;
        if (maxGas > -1n && gas + entry.gasWanted > maxGas) break;
        bytes += size;
        gas += entry.gasWanted;
        out.push(entry.tx);
      }
      return out;
    },

    update: (height: number, committed: Uint8Array[]) => serial(() => updateLocked(height, committed)),

    lockForCommit: <T>(fn: (locked: { update(height: number, committed: Uint8Array[]): Promise<void> }) => Promise<T>) =>
      serial(() => fn({ update: updateLocked })),

    size: () => pool.size,
    bytes: () => totalBytes,
    has: (hash: Uint8Array) => pool.has(toHexUpper(hash)),

    onTx(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    txs: (limit?: number) => [...pool.values()].slice(0, limit ?? pool.size),

    flush() {
      pool.clear();
      totalBytes = 0;
      cache.clear();
    },
  };
}

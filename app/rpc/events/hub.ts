/**
 * Fans committed blocks out to event subscriptions and to `broadcast_tx_commit`
 * callers waiting for their tx. One consensus listener for the whole server; a
 * subscriber that throws is logged and never reaches consensus.
 */
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { NewBlockEvent } from '../../consensus/types.js';
import type { RpcBackend } from '../backend.js';
import { RpcError } from '../jsonrpc.js';
import type { RpcLogger } from '../options.js';
import { hex } from '../encoding/primitives.js';
import { blockEvents, type PublishedEvent } from './block-events.js';
import type { EventQuery } from './query.js';

export interface CommittedTx {
  height: number;
  result: ExecTxResult;
}

interface Waiter {
  resolve(tx: CommittedTx): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

export interface TxWait {
  promise: Promise<CommittedTx>;
  cancel(): void;
}

export class EventHub {
  private readonly subscriptions = new Set<{ query: EventQuery; onEvent: (ev: PublishedEvent) => void }>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private waiterCount = 0;
  private closed = false;
  private readonly unsubscribeConsensus: () => void;

  constructor(
    consensus: RpcBackend['consensus'],
    private readonly maxTxWaiters: number,
    private readonly logger: RpcLogger,
  ) {
    // Encoding and sending happen off the consensus call stack; setImmediate keeps block order.
    this.unsubscribeConsensus = consensus.onBlock((ev) => void setImmediate(() => this.publish(ev)));
  }

  subscribe(query: EventQuery, onEvent: (ev: PublishedEvent) => void): () => void {
    const sub = { query, onEvent };
    this.subscriptions.add(sub);
    return () => void this.subscriptions.delete(sub);
  }

  /**
   * Start waiting for `hash` to be committed, before the tx is submitted so a fast
   * block cannot slip past. Rejects with CometBFT's timeout error after `timeoutMs`.
   */
  waitForTx(hash: Uint8Array, timeoutMs: number): TxWait {
    if (this.waiterCount >= this.maxTxWaiters) {
      throw RpcError.internal(`max_subscription_clients ${this.maxTxWaiters} reached`);
    }
    const key = hex(hash);
    let waiter!: Waiter;
    const promise = new Promise<CommittedTx>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.removeWaiter(key, waiter);
        reject(RpcError.internal('timed out waiting for tx to be included in a block'));
      }, timeoutMs);
      waiter = { resolve, reject, timer };
    });
    // A wait cancelled or rejected by close() before anyone awaits it must not surface as unhandled.
    promise.catch(() => undefined);
    let set = this.waiters.get(key);
    if (!set) this.waiters.set(key, (set = new Set()));
    set.add(waiter);
    this.waiterCount++;
    return {
      promise,
      cancel: () => {
        clearTimeout(waiter.timer);
        this.removeWaiter(key, waiter);
      },
    };
  }

  close(): void {
    this.closed = true;
    this.unsubscribeConsensus();
    this.subscriptions.clear();
    for (const [key, set] of this.waiters) {
      for (const w of set) {
        clearTimeout(w.timer);
        w.reject(RpcError.internal('RPC server is shutting down'));
      }
      this.waiters.delete(key);
    }
    this.waiterCount = 0;
  }

  private removeWaiter(key: string, w: Waiter): void {
    const set = this.waiters.get(key);
    if (set?.delete(w)) {
      this.waiterCount--;
      if (set.size === 0) this.waiters.delete(key);
    }
  }

  private publish(ev: NewBlockEvent): void {
    let published: PublishedEvent[];
    try {
      if (this.closed || (this.subscriptions.size === 0 && this.waiterCount === 0)) return;
      published = blockEvents(ev);
    } catch (err) {
      this.logger.error({ err }, 'rpc: cannot build events for committed block');
      return;
    }
    for (const p of published) {
      if (p.tx && this.waiterCount > 0) this.settleWaiters(p.tx);
      for (const sub of this.subscriptions) {
        try {
          if (sub.query.matches(p.events)) sub.onEvent(p);
        } catch (err) {
          this.logger.warn({ err }, 'rpc: event subscriber failed');
        }
      }
    }
  }

  private settleWaiters(tx: NonNullable<PublishedEvent['tx']>): void {
    const key = hex(tx.hash);
    const set = this.waiters.get(key);
    if (!set) return;
    this.waiters.delete(key);
    for (const w of set) {
      clearTimeout(w.timer);
      this.waiterCount--;
      w.resolve({ height: tx.height, result: tx.result });
    }
  }
}

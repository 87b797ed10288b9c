/**
 * Websocket: stock cosmjs subscriptions (NewBlock, NewBlockHeader, Tx with extra
 * conditions) and the per-client limits, seen by a raw websocket client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { toHex, toUtf8 } from '@cosmjs/encoding';
import { WebSocket } from 'ws';
import type { Stream } from 'xstream';
import { startRpcServer, type RpcServer } from '../../app/rpc/index.js';
import { FAIL_DELIVER, FakeChain, sha256 } from './fake-chain.js';

let chain: FakeChain;
let server: RpcServer;

beforeAll(async () => {
  chain = new FakeChain();
  chain.commitBlock([]);
  server = await startRpcServer({ backend: chain, port: 0, maxSubscriptionsPerClient: 3 });
});

afterAll(async () => {
  await server?.close();
});

function collect<T>(stream: Stream<T>): { items: T[]; errors: unknown[]; stop(): void } {
  const items: T[] = [];
  const errors: unknown[] = [];
  const sub = stream.subscribe({ next: (x) => items.push(x), error: (e) => errors.push(e), complete: () => undefined });
  return { items, errors, stop: () => sub.unsubscribe() };
}

async function until(cond: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('websocket with stock cosmjs', () => {
  it('delivers NewBlock, NewBlockHeader and filtered Tx events that decode', async () => {
    const client = Comet38Client.create(new WebsocketClient(server.address.replace(/^http/, 'ws')));
    try {
      const blocks = collect(client.subscribeNewBlock());
      const headers = collect(client.subscribeNewBlockHeader());
      const txs = collect(client.subscribeTx("transfer.recipient='guts1recipient'"));
      // Requests on one socket are answered in order: once status returns, the subscriptions are live.
      expect((await client.status()).syncInfo.latestBlockHeight).toBe(1);

      const good = toUtf8('pay bob');
      const failing = new Uint8Array([FAIL_DELIVER, 9]);
      chain.commitBlock([good, failing]);
      await until(() => blocks.items.length === 1 && headers.items.length === 1 && txs.items.length === 1);

      expect(blocks.items[0].header.height).toBe(2);
      expect(blocks.items[0].txs).toEqual([good, failing]);
      expect(blocks.items[0].lastCommit?.height).toBe(1);
      expect(headers.items[0].height).toBe(2);
      const tx = txs.items[0];
      expect(tx.height).toBe(2);
      expect(tx.tx).toEqual(good);
      expect(toHex(tx.hash)).toBe(toHex(sha256(good)));
      expect(tx.result.code).toBe(0);
      expect(tx.result.events.map((e) => e.type)).toEqual(['transfer', 'message']);
      expect([...blocks.errors, ...headers.errors, ...txs.errors]).toEqual([]);

      // The failing tx emitted no transfer event, so the filtered stream never saw it.
      txs.stop();
      blocks.stop();
      headers.stop();
    } finally {
      client.disconnect();
    }
  });

  it('answers ordinary methods over the websocket', async () => {
    const client = Comet38Client.create(new WebsocketClient(server.address.replace(/^http/, 'ws')));
    try {
      const b = await client.block(1);
      expect(b.block.header.height).toBe(1);
      expect((await client.abciInfo()).lastBlockHeight).toBe(chain.height());
    } finally {
      client.disconnect();
    }
  });
});

interface RawClient {
  call(method: string, params?: unknown): Promise<Record<string, unknown>>;
  messages: Record<string, unknown>[];
  close(): void;
}

async function rawClient(): Promise<RawClient> {
  const ws = new WebSocket(server.address.replace(/^http/, 'ws') + '/websocket');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const messages: Record<string, unknown>[] = [];
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as Record<string, unknown>;
    messages.push(m);
    const w = waiting.get(m.id as number);
    if (w) {
      waiting.delete(m.id as number);
      w(m);
    }
  });
  let nextId = 1;
  return {
    messages,
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
    },
    close: () => ws.close(),
  };
}

describe('websocket subscriptions, raw', () => {
  it('enforces the per-client cap, rejects duplicates and unknown unsubscribes', async () => {
    const c = await rawClient();
    try {
      for (const q of ["tm.event='NewBlock'", "tm.event='Tx'", "tm.event='NewBlockHeader'"]) {
        expect((await c.call('subscribe', { query: q })).result).toEqual({});
      }
      const dup = await c.call('subscribe', { query: "tm.event='Tx'" });
      expect(dup.error).toMatchObject({ code: -32603, data: 'already subscribed' });
      const over = await c.call('subscribe', { query: "tm.event='NewBlockEvents'" });
      expect(over.error).toMatchObject({ code: -32603, data: 'max_subscriptions_per_client 3 reached' });
      expect((await c.call('unsubscribe', { query: "tm.event='Tx'" })).result).toEqual({});
      const gone = await c.call('unsubscribe', { query: "tm.event='Tx'" });
      expect(gone.error).toMatchObject({ data: 'subscription not found' });
      const bad = await c.call('subscribe', { query: "tm.event = = 'x'" });
      expect(bad.error).toMatchObject({ code: -32602 });
      expect((await c.call('unsubscribe_all')).result).toEqual({});
    } finally {
      c.close();
    }
  });

  it('sends events with the subscribe request id, the query and the composite-key map', async () => {
    const c = await rawClient();
    try {
      const sub = await c.call('subscribe', { query: "tm.event = 'Tx' AND transfer.amount >= 700" });
      expect(sub.result).toEqual({});
      const small = toUtf8('tiny'); // amount 400stake: filtered out
      const big = toUtf8('a bigger tx'); // amount 1100stake
      chain.commitBlock([small, big]);
      await until(() => c.messages.some((m) => m.id === sub.id && (m.result as { data?: unknown }).data !== undefined));
      const events = c.messages.filter((m) => m.id === sub.id && (m.result as { data?: unknown }).data !== undefined);
      expect(events).toHaveLength(1);
      const result = events[0].result as { query: string; data: { type: string; value: { TxResult: Record<string, unknown> } }; events: Record<string, string[]> };
      expect(result.query).toBe("tm.event = 'Tx' AND transfer.amount >= 700");
      expect(result.data.type).toBe('tendermint/event/Tx');
      expect(result.data.value.TxResult).toMatchObject({ height: String(chain.height()), index: 1, tx: Buffer.from(big).toString('base64') });
      expect(result.events['tm.event']).toEqual(['Tx']);
      expect(result.events['tx.hash']).toEqual([toHex(sha256(big)).toUpperCase()]);
      expect(result.events['tx.height']).toEqual([String(chain.height())]);
      expect(result.events['transfer.amount']).toEqual(['1100stake']);
    } finally {
      c.close();
    }
  });

  it('refuses subscribe over plain HTTP', async () => {
    const res = await fetch(server.address, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'subscribe', params: { query: "tm.event='Tx'" } }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 7, error: { code: -32601 } });
  });
});

/** Server lifecycle and back-pressure: slow websocket readers, shutdown with work in flight. */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Socket } from 'node:net';
import { startRpcServer } from '../../app/rpc/index.js';
import { FakeChain } from './fake-chain.js';

async function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

describe('RPC server lifecycle', () => {
  it('cancels the subscriptions of a client that stops reading, with an error on the subscription id', async () => {
    const chain = new FakeChain();
    chain.commitBlock([]);
    const server = await startRpcServer({ backend: chain, port: 0, maxWebsocketBufferedBytes: 64 * 1024 });
    const ws = await open(server.address.replace(/^http/, 'ws') + '/websocket');
    try {
      const messages: { id?: unknown; result?: unknown; error?: { code: number; data?: string } }[] = [];
      ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'sub', method: 'subscribe', params: { query: "tm.event='NewBlock'" } }));
      while (messages.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(messages[0]).toMatchObject({ id: 'sub', result: {} });

      // Stop reading, then publish far more than the socket buffers can hold.
      (ws as unknown as { _socket: Socket })._socket.pause();
      const bigTx = new Uint8Array(256 * 1024).fill(7);
      for (let i = 0; i < 200; i++) chain.commitBlock([bigTx]);
      (ws as unknown as { _socket: Socket })._socket.resume();

      const end = Date.now() + 10_000;
      while (!messages.some((m) => m.error !== undefined) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      const cancelled = messages.find((m) => m.error !== undefined);
      expect(cancelled).toMatchObject({ id: 'sub', error: { code: -32000, data: 'subscription was cancelled (reason: client is not pulling messages fast enough)' } });
      // Fewer events than blocks arrived: the rest were never queued.
      expect(messages.filter((m) => m.result !== undefined).length).toBeLessThan(200);
    } finally {
      ws.close();
      await server.close();
    }
  });

  it('closes with websocket clients connected and a broadcast_tx_commit pending', async () => {
    const chain = new FakeChain();
    chain.commitBlock([]);
    const server = await startRpcServer({ backend: chain, port: 0, timeoutBroadcastTxCommitMs: 60_000 });
    const ws = await open(server.address.replace(/^http/, 'ws') + '/websocket');
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const pending = fetch(server.address, {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'broadcast_tx_commit', params: { tx: 'AQID' } }),
    }).then(
      async (r) => (await r.json()) as { error?: { code: number } },
      () => 'connection closed',
    );
    while (chain.pending.length === 0) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    await closed;
    const outcome = await pending;
    expect(outcome === 'connection closed' || (typeof outcome === 'object' && outcome.error?.code === -32603)).toBe(true);
    await expect(fetch(server.address + '/health')).rejects.toThrow();
  });
});

/**
 * Fuzzing the endpoints with random bodies, envelopes, methods and params: every
 * answer is HTTP 200 with well-formed JSON-RPC (or an empty body for notifications),
 * no handler fails with a programming error, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { startRpcServer, type RpcLogger, type RpcServer } from '../../app/rpc/index.js';
import { FakeChain } from './fake-chain.js';

const METHOD_NAMES = [
  'status', 'health', 'net_info', 'abci_info', 'abci_query', 'broadcast_tx_sync', 'broadcast_tx_async',
  'broadcast_tx_commit', 'tx', 'tx_search', 'block', 'block_by_hash', 'block_results', 'block_search',
  'blockchain', 'header', 'header_by_hash', 'commit', 'validators', 'genesis', 'consensus_params',
  'num_unconfirmed_txs', 'unconfirmed_txs', 'subscribe', 'unsubscribe', 'unsubscribe_all',
];
const PARAM_NAMES = ['height', 'hash', 'prove', 'query', 'page', 'per_page', 'order_by', 'tx', 'path', 'data', 'minHeight', 'maxHeight', 'limit'];
const ERROR_CODES = new Set([-32700, -32600, -32601, -32602, -32603, -32000]);

/** Values that look like what the params want, and values that do not. */
const paramValue = fc.oneof(
  fc.jsonValue(),
  fc.integer({ min: -5, max: 10 }).map(String),
  fc.integer(),
  fc.constantFrom('0x', '0xZZ', '0x0102', 'AQI=', '', 'tx.height=2', "tm.event='Tx'", 'asc', 'desc', 'true', '-1', '1e3', '9007199254740993'),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
);

const params = fc.oneof(
  fc.dictionary(fc.constantFrom(...PARAM_NAMES), paramValue, { maxKeys: 5 }),
  fc.array(paramValue, { maxLength: 5 }),
  fc.jsonValue(),
  fc.constant(undefined),
);

const request = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('2.0'), fc.jsonValue()),
    id: fc.oneof(fc.nat(), fc.string({ maxLength: 8 }), fc.constant(null), fc.jsonValue()),
    method: fc.oneof(fc.constantFrom(...METHOD_NAMES), fc.string({ maxLength: 12 }), fc.jsonValue()),
    params,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  { weight: 6, arbitrary: request.map((r) => JSON.stringify(r)) },
  { weight: 2, arbitrary: fc.array(request, { minLength: 1, maxLength: 4 }).map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
);

interface Logged {
  msg?: string;
  obj: object;
}

let chain: FakeChain;
let server: RpcServer;
const problems: Logged[] = [];

/** Captures warnings/errors: a TypeError or ReferenceError there is a bug in a handler. */
const logger: RpcLogger = {
  debug() {},
  info() {},
  warn: (obj, msg) => void problems.push({ obj, msg }),
  error: (obj, msg) => void problems.push({ obj, msg }),
};

beforeAll(async () => {
  chain = new FakeChain();
  chain.commitBlock([]);
  chain.commitBlock([new TextEncoder().encode('tx one'), new TextEncoder().encode('tx two')]);
  chain.autoCommitMs = 5;
  server = await startRpcServer({ backend: chain, port: 0, logger, timeoutBroadcastTxCommitMs: 100, maxBodyBytes: 4_000 });
});

afterAll(async () => {
  await server?.close();
});

function assertResponse(r: unknown): void {
  expect(typeof r).toBe('object');
  const o = r as Record<string, unknown>;
  expect(o.jsonrpc).toBe('2.0');
  expect('id' in o).toBe(true);
  if ('error' in o) {
    expect('result' in o).toBe(false);
    const e = o.error as Record<string, unknown>;
    expect(ERROR_CODES.has(e.code as number)).toBe(true);
    expect(typeof e.message).toBe('string');
    if ('data' in e) expect(typeof e.data).toBe('string');
  } else {
    expect('result' in o).toBe(true);
  }
}

function isNotificationOnly(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    const items = Array.isArray(v) ? v : [v];
    return items.length > 0 && items.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x) && ((x as { id?: unknown }).id ?? null) === null);
  } catch {
    return false;
  }
}

function bugsLogged(): Logged[] {
  return problems.filter((p) => {
    const err = (p.obj as { err?: unknown }).err;
    return err instanceof TypeError || err instanceof ReferenceError || p.msg?.includes('unexpected');
  });
}

async function assertStillServing(): Promise<void> {
  const res = await fetch(server.address + '/status');
  expect(res.status).toBe(200);
  expect(((await res.json()) as { result: { sync_info: { latest_block_height: string } } }).result.sync_info.latest_block_height).toMatch(/^\d+$/);
}

describe('fuzzing the JSON-RPC endpoint', () => {
  it('POST: always HTTP 200 with JSON-RPC results or errors', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await fetch(server.address, { method: 'POST', body: text });
        expect(res.status).toBe(200);
        const out = await res.text();
        if (out === '') {
          expect(isNotificationOnly(text)).toBe(true);
          return;
        }
        const parsed: unknown = JSON.parse(out);
        if (Array.isArray(parsed)) parsed.forEach(assertResponse);
        else assertResponse(parsed);
      }),
      { numRuns: 400 },
    );
    expect(bugsLogged()).toEqual([]);
    await assertStillServing();
  });

  it('GET: every URI call is answered with id -1', async () => {
    const query = fc.dictionary(fc.constantFrom(...PARAM_NAMES, 'x'), fc.oneof(fc.string({ maxLength: 20 }), paramValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? ''))), { maxKeys: 4 });
    await fc.assert(
      // '.' and '..' are resolved away by the client's URL handling, leaving the index page.
      fc.asyncProperty(fc.oneof(fc.constantFrom(...METHOD_NAMES), fc.string({ minLength: 1, maxLength: 12 }).filter((n) => n !== '.' && n !== '..')), query, async (name, q) => {
        const qs = new URLSearchParams(q).toString();
        const res = await fetch(`${server.address}/${encodeURIComponent(name)}${qs ? '?' + qs : ''}`);
        expect(res.status).toBe(200);
        const parsed = (await res.json()) as Record<string, unknown>;
        assertResponse(parsed);
        expect(parsed.id).toBe(-1);
      }),
      { numRuns: 300 },
    );
    expect(bugsLogged()).toEqual([]);
    await assertStillServing();
  });

  it('websocket: random messages get valid answers and the connection survives', async () => {
    const ws = new WebSocket(server.address.replace(/^http/, 'ws') + '/websocket');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const received: unknown[] = [];
    ws.on('message', (d) => received.push(JSON.parse(d.toString())));
    try {
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          ws.send(text);
        }),
        { numRuns: 300 },
      );
      // A marker request, resent while the server sheds load (-32000 past 64 in flight).
      const markerAnswered = () => received.some((r) => (r as { id?: unknown; result?: unknown }).id === 'marker' && 'result' in (r as object));
      const end = Date.now() + 5_000;
      while (!markerAnswered() && Date.now() < end) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'marker', method: 'health' }));
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(markerAnswered()).toBe(true);
      for (const r of received) (Array.isArray(r) ? r : [r]).forEach(assertResponse);
      expect(ws.readyState).toBe(WebSocket.OPEN);
    } finally {
      ws.close();
    }
    expect(bugsLogged()).toEqual([]);
    await assertStillServing();
  });
});

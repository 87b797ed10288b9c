/**
 * The wire format seen by a plain HTTP client: URI calls, JSON-RPC envelopes and
 * errors, batches, limits, CORS, and CometBFT 0.38's exact JSON shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toUtf8 } from '@cosmjs/encoding';
import { startRpcServer, type RpcServer } from '../../app/rpc/index.js';
import { FakeChain, sha256 } from './fake-chain.js';
import { hex } from '../../app/rpc/encoding/primitives.js';

const TX = toUtf8('async-key=value');

let chain: FakeChain;
let server: RpcServer;

beforeAll(async () => {
  chain = new FakeChain();
  chain.commitBlock([]);
  chain.commitBlock([TX, toUtf8('second')]);
  chain.commitBlock([]);
  server = await startRpcServer({ backend: chain, port: 0, maxBodyBytes: 10_000, corsAllowedOrigins: ['https://wallet.example'] });
});

afterAll(async () => {
  await server?.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function get(path: string): Promise<Json> {
  const res = await fetch(server.address + path);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

async function post(body: string | unknown): Promise<{ status: number; text: string; json: () => Json }> {
  const res = await fetch(server.address, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Json };
}

async function call(method: string, params?: unknown): Promise<Json> {
  const r = await post({ jsonrpc: '2.0', id: 1, method, params });
  expect(r.status).toBe(200);
  return r.json();
}

describe('URI (GET) calls', () => {
  it('answer with id -1', async () => {
    const s = await get('/status');
    expect(s).toMatchObject({ jsonrpc: '2.0', id: -1 });
    expect(s.result.sync_info.latest_block_height).toBe('3');
  });

  it('take ints, 0x hex and quoted strings', async () => {
    expect((await get('/block?height=2')).result.block.header.height).toBe('2');
    const t = await get(`/tx?hash=0x${hex(sha256(TX))}`);
    expect(t.result.hash).toBe(hex(sha256(TX)));
    const q = await get('/abci_query?path="/store/bank/key"&data=0x0102');
    expect(q.result.response).toMatchObject({ key: 'AQI=', height: '3' });
    expect(Buffer.from(q.result.response.value, 'base64').toString()).toBe('value-of-/store/bank/key');
    const search = await get('/tx_search?query="tx.height=2"&per_page=1&page=2');
    expect(search.result.total_count).toBe('2');
    expect(search.result.txs[0].index).toBe(1);
  });

  it('report bad and out-of-range heights like CometBFT', async () => {
    expect((await get('/block?height=abc')).error).toMatchObject({ code: -32602, message: 'Invalid params' });
    expect((await get('/block?height=99')).error).toEqual({
      code: -32603,
      message: 'Internal error',
      data: 'height 99 must be less than or equal to the current blockchain height 3',
    });
    expect((await get('/block?height=0')).error.data).toBe('height must be greater than 0, but got 0');
    expect((await get('/tx?hash=0xZZ')).error.code).toBe(-32602);
  });

  it('answer an unknown method with -32601 and HTTP 200', async () => {
    expect((await get('/no_such_method')).error).toMatchObject({ code: -32601, message: 'Method not found' });
  });

  it('list the endpoints at /', async () => {
    const res = await fetch(server.address + '/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/broadcast_tx_sync');
  });
});

describe('JSON-RPC envelope', () => {
  it('rejects malformed JSON with -32700', async () => {
    const r = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
  });

  it('rejects invalid requests with -32600', async () => {
    expect((await post('[]')).json().error.code).toBe(-32600);
    expect((await post({ jsonrpc: '2.0', id: 1 })).json()).toMatchObject({ id: 1, error: { code: -32600 } });
    expect((await post({ jsonrpc: '1.0', id: 1, method: 'status' })).json().error.code).toBe(-32600);
    expect((await post({ jsonrpc: '2.0', id: { x: 1 }, method: 'status' })).json().error.code).toBe(-32600);
    expect((await post('"just a string"')).json().error.code).toBe(-32600);
  });

  it('echoes string and number ids', async () => {
    expect((await post({ jsonrpc: '2.0', id: 'abc-1', method: 'health' })).json()).toEqual({ jsonrpc: '2.0', id: 'abc-1', result: {} });
    expect((await post({ jsonrpc: '2.0', id: 0, method: 'health' })).json().id).toBe(0);
  });

  it('answers -32601 for unknown methods and -32602 for bad params', async () => {
    expect((await call('eth_blockNumber')).error).toMatchObject({ code: -32601, message: 'Method not found' });
    const badHex = await call('abci_query', { path: '/x', data: 'xyz' });
    expect(badHex.error.code).toBe(-32602);
    expect(badHex.error.data).toMatch(/invalid data: expected hex-encoded bytes/);
    expect((await call('tx_search', { query: 'tx.height=2', page: '-1' })).error.code).toBe(-32602);
    expect((await call('block', { height: 'ten' })).error.code).toBe(-32602);
    expect((await call('block', { height: 1.5 })).error.code).toBe(-32602);
    expect((await call('broadcast_tx_sync', {})).error).toMatchObject({ code: -32602, data: 'missing required parameter "tx"' });
    expect((await call('tx_search', { query: 'tx.height=2', order_by: 'sideways' })).error.code).toBe(-32602);
    expect((await call('status', 'not-structured')).error.code).toBe(-32602);
  });

  it('reports a page past the end like CometBFT', async () => {
    expect((await call('tx_search', { query: 'tx.height=2', page: '5' })).error).toMatchObject({
      code: -32603,
      data: 'page should be within [1, 1] range, given 5',
    });
  });

  it('takes positional params in CometBFT argument order', async () => {
    expect((await call('block', ['2'])).result.block.header.height).toBe('2');
    expect((await call('blockchain', ['1', '2'])).result.block_metas.map((m: Json) => m.header.height)).toEqual(['2', '1']);
    expect((await call('block', ['1', '2'])).error.code).toBe(-32602);
  });

  it('answers batches in order and skips notifications', async () => {
    const r = await post([
      { jsonrpc: '2.0', id: 1, method: 'health' },
      { jsonrpc: '2.0', method: 'health' },
      { jsonrpc: '2.0', id: 'two', method: 'nope' },
      { jsonrpc: '2.0', id: 3, method: 'block', params: { height: '1' } },
    ]);
    const out = r.json() as Json[];
    expect(out.map((x) => x.id)).toEqual([1, 'two', 3]);
    expect(out[1].error.code).toBe(-32601);
    expect(out[2].result.block.header.height).toBe('1');
    const onlyNotification = await post({ jsonrpc: '2.0', method: 'health' });
    expect(onlyNotification.status).toBe(200);
    expect(onlyNotification.text).toBe('');
  });

  it('refuses an oversized body with -32602 and keeps serving', async () => {
    const r = await post({ jsonrpc: '2.0', id: 9, method: 'broadcast_tx_sync', params: { tx: Buffer.alloc(20_000).toString('base64') } });
    expect(r.status).toBe(200);
    expect(r.json().error).toMatchObject({ code: -32602 });
    expect(r.json().error.data).toMatch(/exceeds the limit of 10000 bytes/);
    expect((await call('health')).result).toEqual({});
  });
});

describe('CORS', () => {
  it('allows the configured origin only', async () => {
    const ok = await fetch(server.address + '/health', { headers: { Origin: 'https://wallet.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://wallet.example');
    const other = await fetch(server.address + '/health', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(server.address, { method: 'OPTIONS', headers: { Origin: 'https://wallet.example' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

describe('CometBFT 0.38 JSON shapes', () => {
  it('status', async () => {
    const r = (await call('status')).result;
    expect(r.node_info).toEqual({
      protocol_version: { p2p: '8', block: '11', app: '0' },
      id: 'cf4a66aa29e5123abfdfbdf485da6788bb8e46d1',
      listen_addr: 'tcp://0.0.0.0:26656',
      network: 'guts-test-1',
      version: expect.stringMatching(/^0\.38\./),
      channels: '',
      moniker: 'test-node',
      other: { tx_index: 'on', rpc_address: server.address.replace('http://', 'tcp://') },
    });
    expect(Object.keys(r.sync_info).sort()).toEqual(
      [
        'catching_up',
        'earliest_app_hash',
        'earliest_block_hash',
        'earliest_block_height',
        'earliest_block_time',
        'latest_app_hash',
        'latest_block_hash',
        'latest_block_height',
        'latest_block_time',
      ].sort(),
    );
    expect(r.sync_info.latest_block_hash).toMatch(/^[0-9A-F]{64}$/);
    expect(r.validator_info).toEqual({
      address: 'AB'.repeat(20),
      pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.alloc(32, 0x11).toString('base64') },
      voting_power: '10',
    });
  });

  it('block at height 1 has an empty last_block_id and last_commit', async () => {
    const r = (await call('block', { height: '1' })).result;
    expect(r.block.header.last_block_id).toEqual({ hash: '', parts: { total: 0, hash: '' } });
    expect(r.block.last_commit).toEqual({ height: '0', round: 0, block_id: { hash: '', parts: { total: 0, hash: '' } }, signatures: [] });
    expect(r.block.data).toEqual({ txs: [] });
    expect(r.block.evidence).toEqual({ evidence: [] });
    expect(Object.keys(r.block.header).sort()).toEqual(
      [
        'version',
        'chain_id',
        'height',
        'time',
        'last_block_id',
        'last_commit_hash',
        'data_hash',
        'validators_hash',
        'next_validators_hash',
        'consensus_hash',
        'app_hash',
        'last_results_hash',
        'evidence_hash',
        'proposer_address',
      ].sort(),
    );
    expect(r.block.header.version).toEqual({ block: '11', app: '0' });
  });

  it('block at height 2: Go RFC 3339 times, commit signatures, base64 txs', async () => {
    const r = (await call('block', { height: 2 })).result;
    expect(r.block.header.time).toBe('2026-05-28T20:26:42Z');
    expect(r.block.last_commit.signatures).toEqual([
      { block_id_flag: 2, validator_address: 'AB'.repeat(20), timestamp: '2026-05-28T20:26:41.0000005Z', signature: Buffer.alloc(64, 0x77).toString('base64') },
      { block_id_flag: 1, validator_address: '', timestamp: '0001-01-01T00:00:00Z', signature: null },
    ]);
    expect(r.block.data.txs[0]).toBe(Buffer.from(TX).toString('base64'));
    expect(r.block_id.parts.total).toBe(1);
  });

  it('tx with proof, and tx results omit a zero code and empty strings', async () => {
    const r = (await call('tx', { hash: Buffer.from(sha256(TX)).toString('base64'), prove: true })).result;
    expect(r).toMatchObject({ hash: hex(sha256(TX)), height: '2', index: 0, tx: Buffer.from(TX).toString('base64') });
    expect(r.tx_result.code).toBeUndefined();
    expect(r.tx_result.log).toBeUndefined();
    expect(r.tx_result.codespace).toBeUndefined();
    expect(r.tx_result).toMatchObject({ gas_wanted: '200000', gas_used: '51234' });
    expect(r.tx_result.events[0]).toEqual({
      type: 'transfer',
      attributes: [
        { key: 'amount', value: '1500stake', index: true },
        { key: 'recipient', value: 'guts1recipient', index: true },
      ],
    });
    expect(r.proof.proof.total).toBe('2');
    expect(r.proof.proof.index).toBe('0');
    expect(r.proof.proof.aunts).toHaveLength(1);
    expect(r.proof.root_hash).toBe(hex(chain.blocks[1].block.header.dataHash));
  });

  it('block_results drops attributes with empty keys', async () => {
    const r = (await call('block_results', { height: '1' })).result;
    expect(r.height).toBe('1');
    expect(r.txs_results).toEqual([]);
    expect(r.finalize_block_events).toEqual([{ type: 'coin_spent', attributes: [{ key: 'amount', value: '1stake', index: true }] }]);
    expect(r.validator_updates).toEqual([
      { pub_key: { Sum: { type: 'tendermint.crypto.PublicKey_Ed25519', value: { ed25519: Buffer.alloc(32, 0x11).toString('base64') } } }, power: '10' },
    ]);
    expect(r.consensus_param_updates).toBeNull();
    expect(r.app_hash).toBe(Buffer.alloc(32, 0x51).toString('base64'));
  });

  it('block_search defaults to newest first', async () => {
    const r = (await call('block_search', { query: 'block.height > 0' })).result;
    expect(r.total_count).toBe('3');
    expect(r.blocks.map((b: Json) => b.block.header.height)).toEqual(['3', '2', '1']);
  });

  it('blockchain caps at 20 metas with string sizes', async () => {
    const r = (await call('blockchain', {})).result;
    expect(r.last_height).toBe('3');
    expect(r.block_metas[0]).toMatchObject({ block_size: '500', num_txs: '0', header: { height: '3' } });
  });

  it('validators, consensus_params, genesis, net_info, mempool counts', async () => {
    expect((await call('validators', { height: '2' })).result).toEqual({
      block_height: '2',
      validators: [
        {
          address: 'AB'.repeat(20),
          pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.alloc(32, 0x11).toString('base64') },
          voting_power: '10',
          proposer_priority: '0',
        },
      ],
      count: '1',
      total: '1',
    });
    expect((await call('consensus_params')).result).toEqual({
      block_height: '4',
      consensus_params: {
        block: { max_bytes: '22020096', max_gas: '-1' },
        evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
        validator: { pub_key_types: ['ed25519'] },
        version: { app: '0' },
        abci: { vote_extensions_enable_height: '0' },
      },
    });
    expect((await call('genesis')).result.genesis).toEqual(chain.genesis());
    expect((await call('net_info')).result).toEqual({ listening: true, listeners: ['Listener(@tcp://0.0.0.0:26656)'], n_peers: '0', peers: [] });
    expect((await call('num_unconfirmed_txs')).result).toEqual({ n_txs: '0', total: '0', total_bytes: '0', txs: null });
    expect((await call('abci_info')).result.response).toEqual({
      data: 'guts',
      version: '0.1.0',
      app_version: '1',
      last_block_height: '3',
      last_block_app_hash: Buffer.alloc(32, 0x53).toString('base64'),
    });
  });

  it('broadcast_tx_sync and unconfirmed_txs', async () => {
    const tx = toUtf8('pending one');
    expect((await call('broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') })).result).toEqual({
      code: 0,
      data: '',
      log: '',
      codespace: '',
      hash: hex(sha256(tx)),
    });
    expect((await call('unconfirmed_txs', { limit: '10' })).result).toEqual({
      n_txs: '1',
      total: '1',
      total_bytes: String(tx.length),
      txs: [Buffer.from(tx).toString('base64')],
    });
    const tooBig = await call('broadcast_tx_sync', { tx: Buffer.alloc(6_000).toString('base64') });
    expect(tooBig.error).toMatchObject({ code: -32603, data: 'error on broadcastTxSync: tx too large' });
    chain.pending.splice(0);
  });
});

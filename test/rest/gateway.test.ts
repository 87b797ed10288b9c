/**
 * The REST gateway over a real HTTP socket on 127.0.0.1, in front of the real app (real
 * LevelDB, modules, tx pipeline) and a real mempool: cosmos gateway paths wallets call,
 * every Guts module query, heights, coded errors, body limits and CORS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { sha256 } from '@noble/hashes/sha2.js';
import { createMempool, type GutsMempool } from '../../app/consensus/mempool.js';
import type { IndexedTx, StoredBlock } from '../../app/consensus/types.js';
import { startRestServer, type RestServer } from '../../app/rest/index.js';
import { bondValidator, FAUCET, gutsGenesis, makeAccounts, openGutsChain, type GutsChain, type TestAccount } from '../modules/sybil/chain.js';

let chain: GutsChain;
let mempool: GutsMempool;
let server: RestServer;
let alice: TestAccount;
let bob: TestAccount;
const txs = new Map<string, IndexedTx>();
const blocks = new Map<number, StoredBlock>();

/** Commit what the mempool holds as the next block, indexing its txs the way the node's block store does. */
async function commit(): Promise<void> {
  const batch = mempool.reap(-1, -1n);
  const res = await chain.block(batch);
  const height = chain.height();
  await mempool.update(height, batch);
  batch.forEach((tx, index) => txs.set(Buffer.from(sha256(tx)).toString('hex'), { hash: sha256(tx), height, index, tx, result: res.txResults[index]! }));
  const block = Block.fromPartial({ header: { chainId: chain.chainId, height: BigInt(height), time: { seconds: chain.time(), nanos: 0 } }, data: { txs: batch } });
  blocks.set(height, { block, blockId: { hash: chain.hashOf(height), partSetHeader: { total: 1, hash: new Uint8Array(32) } }, size: 0 });
}

async function get(path: string, headers: Record<string, string> = {}) {
  const r = await fetch(server.address + path, { headers });
  return { status: r.status, headers: r.headers, json: (await r.json()) as any };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(server.address + path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  return { status: r.status, json: (await r.json()) as any };
}

const sendMsg = (from: string, to: string, amount: string) => ({ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: from, toAddress: to, amount: [{ denom: 'ugut', amount }] } });

beforeAll(async () => {
  [alice, bob] = (await makeAccounts(2, 77)) as [TestAccount, TestAccount];
  chain = await openGutsChain(
    gutsGenesis({ accounts: [{ address: alice.address, amount: 10_000_000_000n }, { address: FAUCET, amount: 1_000_000n }], state: { sybil: (s) => Object.assign(s.params, { stake_validator: '1' }) } }),
    [alice, bob],
  );
  mempool = createMempool({ app: chain.app });
  server = await startRestServer({
    backend: {
      query: (req) => chain.app.query(req),
      broadcast: (tx) => mempool.add(tx),
      txByHash: async (hash) => txs.get(Buffer.from(hash).toString('hex')),
      loadBlock: async (h) => blocks.get(h),
      latestHeight: () => chain.height(),
      nodeInfo: () => ({ id: 'ab'.repeat(20), listenAddr: 'tcp://127.0.0.1:26656', network: chain.chainId, moniker: 'rest-test' }),
      appVersion: '0.1.0',
    },
    host: '127.0.0.1',
    port: 0,
    corsAllowedOrigins: ['https://wallet.example'],
    maxBodyBytes: 64 * 1024,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  await commit();
  await bondValidator(chain, alice, 2_000_000n);
});

afterAll(async () => {
  await server?.close();
  await chain?.close();
});

describe('cosmos gateway paths', () => {
  it('answers accounts, balances, by_denom and supply in proto3 JSON', async () => {
    const acc = await get(`/cosmos/auth/v1beta1/accounts/${alice.address}`);
    expect(acc.status).toBe(200);
    expect(acc.json.account['@type']).toBe('/cosmos.auth.v1beta1.BaseAccount');
    expect(acc.json.account.address).toBe(alice.address);
    expect(acc.json.account.sequence).toBe(String(alice.sequence));
    expect(typeof acc.json.account.account_number).toBe('string');
    expect(acc.json.account.pub_key['@type']).toBe('/cosmos.crypto.secp256k1.PubKey');
    expect(typeof acc.json.account.pub_key.key).toBe('string');

    const bal = await get(`/cosmos/bank/v1beta1/balances/${alice.address}`);
    expect(bal.status).toBe(200);
    expect(bal.json.balances).toEqual([{ denom: 'ugut', amount: expect.stringMatching(/^[0-9]+$/) }]);
    expect(bal.json.pagination).toEqual({ next_key: '', total: '1' });
    const one = await get(`/cosmos/bank/v1beta1/balances/${alice.address}/by_denom?denom=ugut`);
    expect(one.json.balance).toEqual(bal.json.balances[0]);
    const supply = await get('/cosmos/bank/v1beta1/supply');
    expect(supply.json.supply[0].denom).toBe('ugut');
    expect(BigInt(supply.json.supply[0].amount) >= 10_001_000_000n).toBe(true);
    expect(supply.headers.get('x-cosmos-block-height')).toBe(String(chain.height()));
    expect((await get('/cosmos/bank/v1beta1/supply/by_denom?denom=ugut')).json.amount).toEqual(supply.json.supply[0]);
    expect((await get('/cosmos/bank/v1beta1/params')).json.params).toEqual({ send_enabled: [], default_send_enabled: true });
    expect((await get('/cosmos/auth/v1beta1/params')).json.params).toMatchObject({ max_memo_characters: '256', tx_sig_limit: '7', sig_verify_cost_secp256k1: '1000' });
  });

  it('answers a past height with that height’s state', async () => {
    const h = chain.height();
    const before = (await get(`/cosmos/bank/v1beta1/balances/${bob.address}/by_denom?denom=ugut`)).json.balance.amount;
    expect(before).toBe('0');
    const r = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(await chain.sign(alice, [sendMsg(alice.address, bob.address, '12345')])).toString('base64'), mode: 'BROADCAST_MODE_SYNC' });
    expect(r.json.tx_response.code).toBe(0);
    await commit();
    expect((await get(`/cosmos/bank/v1beta1/balances/${bob.address}/by_denom?denom=ugut`)).json.balance.amount).toBe('12345');
    const past = await get(`/cosmos/bank/v1beta1/balances/${bob.address}/by_denom?denom=ugut&height=${h}`);
    expect(past.json.balance.amount).toBe('0');
    expect(past.headers.get('x-cosmos-block-height')).toBe(String(h));
    const header = await get(`/cosmos/bank/v1beta1/balances/${bob.address}/by_denom?denom=ugut`, { 'x-cosmos-block-height': String(h) });
    expect(header.json.balance.amount).toBe('0');
    const future = await get(`/cosmos/bank/v1beta1/supply?height=${h + 1000}`);
    expect(future.status).toBe(400);
    expect([future.json.codespace, future.json.code]).toEqual(['sdk', 26]);
  });

  it('simulates, broadcasts (sync and async) and finds the committed tx by hash', async () => {
    const tx = await chain.sign(alice, [sendMsg(alice.address, bob.address, '1')]);
    const sim = await post('/cosmos/tx/v1beta1/simulate', { tx_bytes: Buffer.from(tx).toString('base64') });
    expect(sim.status).toBe(200);
    expect(Number(sim.json.gas_info.gas_used)).toBeGreaterThan(0);
    expect(sim.json.result.events.some((e: any) => e.type === 'transfer')).toBe(true);

    const sync = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(tx).toString('base64'), mode: 'BROADCAST_MODE_SYNC' });
    expect(sync.status).toBe(200);
    const hash = Buffer.from(sha256(tx)).toString('hex').toUpperCase();
    expect(sync.json.tx_response).toMatchObject({ code: 0, txhash: hash, height: '0' });
    const dup = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(tx).toString('base64'), mode: 'BROADCAST_MODE_SYNC' });
    expect(dup.json.tx_response.code).not.toBe(0);

    const tx2 = await chain.sign(alice, [sendMsg(alice.address, bob.address, '2')]);
    const async = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(tx2).toString('base64'), mode: 'BROADCAST_MODE_ASYNC' });
    expect(async.json.tx_response).toMatchObject({ code: 0, txhash: Buffer.from(sha256(tx2)).toString('hex').toUpperCase() });
    await new Promise((r) => setTimeout(r, 50));
    await commit();

    const found = await get(`/cosmos/tx/v1beta1/txs/${hash.toLowerCase()}`);
    expect(found.status).toBe(200);
    expect(found.json.tx_response).toMatchObject({ code: 0, txhash: hash, height: String(chain.height()) });
    expect(found.json.tx_response.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(found.json.tx.body.messages[0]).toMatchObject({ '@type': '/cosmos.bank.v1beta1.MsgSend', from_address: alice.address, to_address: bob.address, amount: [{ denom: 'ugut', amount: '1' }] });
    expect(found.json.tx.auth_info.signer_infos[0].mode_info.single.mode).toBe('SIGN_MODE_DIRECT');
    expect(found.json.tx.auth_info.fee.gas_limit).toBe('400000');
    expect((await get(`/cosmos/tx/v1beta1/txs/${Buffer.from(sha256(tx2)).toString('hex')}`)).json.tx_response.code).toBe(0);

    const missing = await get(`/cosmos/tx/v1beta1/txs/${'0'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expect([missing.json.codespace, missing.json.code]).toEqual(['sdk', 38]);
  });

  it('reports a CheckTx refusal with its code and keeps the tx out of the mempool', async () => {
    const poor = (await makeAccounts(1, 78))[0]!;
    const tx = await chain.sign(poor, [sendMsg(poor.address, bob.address, '1')]);
    const r = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from(tx).toString('base64') });
    expect(r.status).toBe(200);
    expect(r.json.tx_response.code).not.toBe(0);
    expect(r.json.tx_response.codespace).toBe('sdk');
    expect(mempool.size()).toBe(0);
  });

  it('serves node_info and the latest block', async () => {
    const ni = await get('/cosmos/base/tendermint/v1beta1/node_info');
    expect(ni.json.default_node_info).toMatchObject({ network: chain.chainId, moniker: 'rest-test', default_node_id: 'ab'.repeat(20) });
    expect(ni.json.application_version.app_name).toBe('guts');
    const latest = await get('/cosmos/base/tendermint/v1beta1/blocks/latest');
    expect(latest.json.block.header).toMatchObject({ chain_id: chain.chainId, height: String(chain.height()) });
    expect(latest.json.block.header.time).toMatch(/Z$/);
  });
});

describe('guts module queries', () => {
  it('answers every module query route', async () => {
    const a = alice.address;
    const vals = await get('/guts/staking/v1/validators?status=bonded');
    expect(vals.status).toBe(200);
    expect(vals.json.validators[0].validator.status).toBe('BOND_STATUS_BONDED');
    expect(vals.json.validators[0].power).toBe('2000000');
    expect((await get(`/guts/staking/v1/validators/${a}`)).json.validator.validator.operator_address).toBe(a);
    expect((await get(`/guts/staking/v1/delegations/${a}`)).json.delegations[0].tokens).toBe('2000000');
    expect((await get('/guts/staking/v1/params')).json.params.bond_denom).toBe('ugut');
    expect((await get('/guts/staking/v1/pool')).json.bonded_tokens).toBe('2000000');
    expect((await get('/guts/slashing/v1/params')).json.params.signed_blocks_window).toBe('100');
    expect((await get('/guts/slashing/v1/signing_infos')).status).toBe(200);
    expect((await get('/guts/gov/v1/params')).json.params.quorum_bps).toBeDefined();
    expect((await get('/guts/gov/v1/proposals?status=voting_period&limit=10')).json).toEqual({ proposals: [], next_id: '0' });
    expect((await get('/guts/gov/v1/upgrade_plan')).json).toEqual({ plan: null, applied: [] });
    expect((await get('/guts/gov/v1/paused_modules')).json).toEqual({ paused: [] });
    expect((await get('/guts/sybil/v1/params')).json.params).toBeDefined();
    expect((await get(`/guts/sybil/v1/reputation/${a}`)).json.reputation.first_seen_height).toMatch(/^[0-9]+$/);
    const can = await get(`/guts/sybil/v1/can_perform/${a}/create_repo`);
    expect(can.json).toMatchObject({ allowed: false, free: false, stake: '2000000' });
    const pow = await get(`/guts/sybil/v1/pow_challenge/${a}/ACTION_PUSH`);
    expect(Buffer.from(pow.json.challenge, 'base64')).toHaveLength(32);
    expect((await get('/guts/faucet/v1/info')).json.balance).toEqual({ denom: 'ugut', amount: '1000000' });
    expect((await get('/guts/faucet/v1/params')).json.params.enabled).toBe(true);
    expect((await get(`/guts/faucet/v1/recipients/${a}`)).status).toBe(200);
    expect((await get('/guts/repo/v1/params')).json.params.max_collaborators).toBe(50);
    expect((await get(`/guts/repo/v1/repos/${a}`)).json).toEqual({ repos: [] });
  });

  it('answers not-found with 404 and the module’s registered code', async () => {
    const b = bob.address;
    const cases: [string, string, number][] = [
      [`/guts/staking/v1/validators/${b}`, 'staking', 2],
      ['/guts/gov/v1/proposals/7', 'gov', 2],
      [`/guts/gov/v1/proposals/7/votes`, 'gov', 2],
      [`/guts/repo/v1/repos/${b}/nothing`, 'repo', 3],
      [`/guts/repo/v1/repos/${b}/nothing/refs/refs/heads/main`, 'repo', 16],
      [`/guts/repo/v1/repos/${b}/nothing/anchors/issue/i-1`, 'repo', 17],
      [`/cosmos/auth/v1beta1/accounts/${(await makeAccounts(1, 79))[0]!.address}`, 'sdk', 22],
    ];
    for (const [path, codespace, code] of cases) {
      const r = await get(path);
      expect([path, r.status, r.json.codespace, r.json.code]).toEqual([path, 404, codespace, code]);
      expect(typeof r.json.message).toBe('string');
      expect(r.json.details).toEqual([]);
    }
  });
});

describe('bad input', () => {
  it('validates every path and query parameter with a coded 400', async () => {
    const a = alice.address;
    const cases: [string, string, number][] = [
      ['/cosmos/auth/v1beta1/accounts/cosmos1xyz', 'sdk', 7],
      [`/cosmos/bank/v1beta1/balances/${a.toUpperCase()}`, 'sdk', 7],
      [`/cosmos/bank/v1beta1/balances/${a}/by_denom`, 'rest', 5],
      [`/cosmos/bank/v1beta1/balances/${a}/by_denom?denom=%24%24`, 'sdk', 10],
      ['/cosmos/bank/v1beta1/supply?height=-1', 'rest', 5],
      ['/cosmos/bank/v1beta1/supply?height=1e3', 'rest', 5],
      ['/cosmos/tx/v1beta1/txs/XYZ', 'rest', 5],
      ['/guts/staking/v1/validators?status=sleeping', 'rest', 5],
      ['/guts/gov/v1/proposals/0', 'rest', 5],
      ['/guts/gov/v1/proposals/99999999999999999999999', 'rest', 5],
      ['/guts/gov/v1/proposals?limit=1000', 'rest', 5],
      [`/guts/gov/v1/proposals/1/votes/nope`, 'sdk', 7],
      [`/guts/sybil/v1/can_perform/${a}/fly`, 'rest', 5],
      [`/guts/sybil/v1/can_perform/${a}/unspecified`, 'rest', 5],
      [`/guts/repo/v1/repos/${a}/..bad`, 'repo', 6],
      [`/guts/repo/v1/repos/${a}/ok/refs/heads..x`, 'repo', 7],
      [`/guts/repo/v1/repos/${a}/ok/anchors/poem/i-1`, 'rest', 5],
      ['/guts/staking/v1/validators/%E0%A4%A', 'rest', 5],
    ];
    for (const [path, codespace, code] of cases) {
      const r = await get(path);
      expect([path, r.status, r.json.codespace, r.json.code]).toEqual([path, 400, codespace, code]);
    }
  });

  it('refuses unknown routes, wrong methods, bad bodies and oversized bodies', async () => {
    const unknown = await get('/cosmos/nothing/here');
    expect([unknown.status, unknown.json.codespace, unknown.json.code]).toEqual([404, 'rest', 2]);
    const wrong = await fetch(server.address + '/cosmos/tx/v1beta1/simulate');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST, OPTIONS');
    for (const body of ['not json', '[]', '{}', '{"tx_bytes": 5}', '{"tx_bytes": "!!!"}', '{"tx": {}}']) {
      const r = await post('/cosmos/tx/v1beta1/simulate', body);
      expect([body, r.status, r.json.codespace, r.json.code]).toEqual([body, 400, 'rest', 6]);
    }
    const junk = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: Buffer.from([0xff, 0xff, 0xff]).toString('base64') });
    expect([junk.status, junk.json.codespace, junk.json.code]).toEqual([400, 'sdk', 2]);
    const mode = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: 'CgA=', mode: 'BROADCAST_MODE_BLOCK' });
    expect([mode.status, mode.json.codespace]).toEqual([501, 'rest']);
    const big = await post('/cosmos/tx/v1beta1/txs', { tx_bytes: 'A'.repeat(100 * 1024) });
    expect([big.status, big.json.codespace, big.json.code]).toEqual([413, 'rest', 4]);
    // the server still answers afterwards
    expect((await get('/guts/staking/v1/params')).status).toBe(200);
  });

  it('sends CORS headers only for allowed origins and answers preflight', async () => {
    const ok = await fetch(server.address + '/cosmos/bank/v1beta1/supply', { headers: { origin: 'https://wallet.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://wallet.example');
    const other = await fetch(server.address + '/cosmos/bank/v1beta1/supply', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(server.address + '/cosmos/tx/v1beta1/txs', { method: 'OPTIONS', headers: { origin: 'https://wallet.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

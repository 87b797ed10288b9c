/**
 * The faucet HTTP front end over a real app and mempool: signs MsgFaucetRequest with the
 * operator key, answers JSON with codes, rate-limits per IP, and keeps serving through
 * fuzzed bodies, bad addresses and floods.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import { createMempool, type GutsMempool } from '../../../app/consensus/mempool.js';
import { startFaucetHttp, type FaucetHttpServer } from '../../../app/node/faucet-http.js';
import { FAUCET, gutsGenesis, makeAccounts, openGutsChain, type GutsChain, type TestAccount } from '../sybil/chain.js';

const open: { chain: GutsChain; server: FaucetHttpServer }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.server.close();
    await o.chain.close();
  }
});

async function setup(opts: { ratePerIp?: number; cooldown?: string } = {}) {
  const [operator, ...users] = await makeAccounts(6, 66);
  const genesis = gutsGenesis({
    accounts: [{ address: operator!.address, amount: 10_000_000n }, { address: FAUCET, amount: 10_000n }],
    state: { faucet: (f) => Object.assign(f.params, { amount_per_request: { denom: 'ugut', amount: '100' }, lifetime_limit: '1000', cooldown_seconds: opts.cooldown ?? '60' }) },
  });
  const chain = await openGutsChain(genesis, [operator!]);
  const mempool = createMempool({ app: chain.app });
  const server = await startFaucetHttp({
    chain: {
      chainId: chain.chainId,
      account: async (address) => chain.modules.auth.keeper.getAccount(await chain.read(), address),
      simulate: (tx) => chain.app.simulate(tx),
      broadcast: (tx) => mempool.add(tx),
      pending: (hash) => mempool.has(hash),
    },
    operatorKey: operator!.privkey,
    host: '127.0.0.1',
    port: 0,
    gasPrices: '0.025ugut',
    ratePerIp: opts.ratePerIp ?? 1_000_000,
  });
  open.push({ chain, server });
  expect(server.operator).toBe(operator!.address);
  return { chain, server, mempool, users: users as TestAccount[] };
}

async function commit(chain: GutsChain, mempool: GutsMempool) {
  const txs = mempool.reap(-1, -1n);
  const res = await chain.block(txs);
  await mempool.update(chain.height(), txs);
  return res;
}

async function post(server: FaucetHttpServer, body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const r = await fetch(`${server.address}/faucet`, { method: 'POST', body: typeof body === 'string' ? body : Buffer.from(body), headers });
  return { status: r.status, json: (await r.json()) as any };
}

async function balance(chain: GutsChain, address: string) {
  return chain.modules.bank.keeper.getBalance(await chain.read(), address, 'ugut');
}

describe('faucet HTTP', () => {
  it('dispenses to several addresses with consecutive sequences, then refuses a repeat inside the cooldown', async () => {
    const { chain, server, mempool, users } = await setup();
    for (const u of users.slice(0, 3)) {
      const r = await post(server, JSON.stringify({ address: u.address }));
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json).toMatchObject({ recipient: u.address, amount: '100ugut' });
      expect(r.json.txhash).toMatch(/^[0-9A-F]{64}$/);
    }
    expect(mempool.size()).toBe(3);
    // the same address again, before and after the block: cooldown, coded and 429
    const again = await post(server, JSON.stringify({ address: users[0]!.address }));
    expect(again.status).toBe(429);
    expect(again.json.error).toMatchObject({ codespace: 'faucet', code: 3 });
    const res = await commit(chain, mempool);
    expect(res.txResults.map((t) => t.code)).toEqual([0, 0, 0]);
    for (const u of users.slice(0, 3)) expect(await balance(chain, u.address)).toBe(100n);
    expect((await post(server, JSON.stringify({ address: users[0]!.address }))).json.error.code).toBe(3);
    expect((await post(server, JSON.stringify({ address: users[3]!.address }))).status).toBe(200);
    expect((await commit(chain, mempool)).txResults.map((t) => t.code)).toEqual([0]);
  });

  it('answers every malformed request with a JSON error and a code, and keeps serving', async () => {
    const { chain, server, mempool, users } = await setup();
    const cases: [string | Uint8Array, number, string, number][] = [
      ['not json', 400, 'sdk', 17],
      ['[]', 400, 'sdk', 18],
      ['{}', 400, 'sdk', 18],
      ['{"address": 5}', 400, 'sdk', 18],
      ['{"address": "guts1abc"}', 400, 'sdk', 7],
      ['{"address": "cosmos1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du"}', 400, 'sdk', 7],
      [JSON.stringify({ address: users[0]!.address.toUpperCase() }), 400, 'sdk', 7],
      [JSON.stringify({ address: FAUCET }), 400, 'faucet', 8],
      [JSON.stringify({ address: 'x'.repeat(5000) }), 413, 'sdk', 18],
    ];
    for (const [body, status, codespace, code] of cases) {
      const r = await post(server, body);
      expect([r.status, r.json.error?.codespace, r.json.error?.code], String(body).slice(0, 60)).toEqual([status, codespace, code]);
      expect(typeof r.json.error.message).toBe('string');
    }
    const wrongRoute = await fetch(`${server.address}/nope`);
    expect([wrongRoute.status, ((await wrongRoute.json()) as any).error.codespace]).toEqual([404, 'faucet_http']);
    expect((await fetch(`${server.address}/faucet`)).status).toBe(200);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 600 })), async (body) => {
        const r = await post(server, body);
        expect(r.status).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(r.json.error.code).toBeGreaterThan(1);
      }),
      { numRuns: 60 },
    );
    // garbage that is not even HTTP, and a connection dropped mid-body
    await new Promise<void>((resolve) => {
      const s = connect(Number(new URL(server.address).port), '127.0.0.1', () => s.end('\x00\x01 GARBAGE\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const s = connect(Number(new URL(server.address).port), '127.0.0.1', () => {
        s.write('POST /faucet HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"addr');
        setTimeout(() => s.destroy(), 20);
      });
      s.on('close', () => resolve());
    });
    const ok = await post(server, JSON.stringify({ address: users[1]!.address }));
    expect(ok.status).toBe(200);
    expect((await commit(chain, mempool)).txResults.map((t) => t.code)).toEqual([0]);
  });

  it('rate-limits per IP (faucet_http/2) and survives a flood of concurrent requests', async () => {
    const { chain, server, mempool, users } = await setup({ ratePerIp: 20 });
    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, i) => post(server, i % 3 === 0 ? 'junk' : JSON.stringify({ address: users[i % users.length]!.address }))),
    );
    expect(flood.every((r) => typeof r.json === 'object' && [200, 400, 429].includes(r.status))).toBe(true);
    expect(flood.filter((r) => r.json.error?.codespace === 'faucet_http' && r.json.error.code === 2)).toHaveLength(40);
    // of the 20 admitted, each user got paid once; the rest were the cooldown or junk
    const paid = flood.filter((r) => r.status === 200).map((r) => r.json.recipient);
    expect(new Set(paid).size).toBe(paid.length);
    const res = await commit(chain, mempool);
    expect(res.txResults.every((t) => t.code === 0)).toBe(true);
    expect(res.txResults).toHaveLength(paid.length);
    expect((await post(server, JSON.stringify({ address: users[0]!.address }))).status).toBe(429);
  });
});

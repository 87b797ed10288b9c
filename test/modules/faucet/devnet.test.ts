/**
 * Through the real `guts devnet` process and CLI: the faucet front end pays a new address
 * and refuses a second request inside the cooldown; a repo is created with a proof of work
 * solved by the CLI, and found by the owner query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64, toHex } from '@cosmjs/encoding';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { prepareDevnet } from '../../../app/node/devnet.js';
import { ROOT, freePort, startDevnet, tempHome, type DevnetProcess } from '../../helpers/devnet-process.js';

function guts(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/run.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('faucet and repo on a devnet', () => {
  let home: string;
  let node: DevnetProcess;
  let faucetUrl: string;
  const recipient = 'guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5';

  beforeAll(async () => {
    home = tempHome('guts-faucet-');
    const faucetPort = await freePort();
    faucetUrl = `http://127.0.0.1:${faucetPort}`;
    // the home `guts devnet` would create, with the faucet on a free port instead of 8000
    await prepareDevnet(home, undefined, (c) => (c.faucet.laddr = `tcp://127.0.0.1:${faucetPort}`));
    node = await startDevnet({ home, port: await freePort() });
    for (let i = 0; i < 100 && !node.output().includes('dev account'); i++) await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    rmSync(home, { recursive: true, force: true });
  });

  it('pays a new address from POST /faucet and refuses a second request inside the cooldown', async () => {
    const first = await guts(['tx', 'faucet', 'request', recipient, '--url', faucetUrl, '--home', home, '-o', 'json']);
    expect(first.code, first.err + node.output().slice(-2000)).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ recipient, amount: '100000000ugut' });
    const second = await fetch(`${faucetUrl}/faucet`, { method: 'POST', body: JSON.stringify({ address: recipient }) });
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { codespace: string; code: number } }).error).toMatchObject({ codespace: 'faucet', code: 3 });
    const data = toHex(QueryBalanceRequest.encode({ address: recipient, denom: 'ugut' }).finish());
    for (let i = 0; i < 100; i++) {
      const r = (await (await fetch(`${node.rpc}/abci_query?path="/cosmos.bank.v1beta1.Query/Balance"&data=0x${data}`)).json()) as { result: { response: { value?: string } } };
      const amount = QueryBalanceResponse.decode(fromBase64(r.result.response.value ?? '')).balance?.amount;
      if (amount !== undefined && amount !== '0') {
        expect(amount).toBe('100000000');
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the faucet payment never landed');
  });

  it('creates a repository with a proof of work solved by the CLI', async () => {
    const dev = (JSON.parse(readFileSync(join(home, 'devnet.json'), 'utf8')) as { address: string }).address;
    const created = await guts(['tx', 'repo', 'create', 'dev', 'hello', '--pow', '--home', home, '-y', '-o', 'json', '--broadcast-mode', 'block']);
    expect(created.code, created.err).toBe(0);
    expect(created.err).toContain('proof of work found after');
    expect(JSON.parse(created.out).code).toBe(0);
    const list = await guts(['query', 'repo', 'list', dev, '--home', home, '-o', 'json']);
    expect(list.code, list.err).toBe(0);
    expect(JSON.parse(list.out).repos.map((r: { repo: string }) => r.repo)).toEqual([`${dev}/hello`]);
  });
});

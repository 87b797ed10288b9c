/**
 * The CLI path a new user follows after `guts devnet`: send from the `dev` key in the
 * devnet's test keyring with `--gas auto`, then query the balance, the account and the tx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ROOT, freePort, startDevnet, tempHome, type DevnetProcess } from '../helpers/devnet-process.js';

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

describe('guts CLI against a devnet', () => {
  let home: string;
  let node: DevnetProcess;
  const recipient = 'guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5';

  beforeAll(async () => {
    home = tempHome();
    node = await startDevnet({ home, port: await freePort() });
    // the banner (and client.toml) is written right after the node starts
    for (let i = 0; i < 100 && !node.output().includes('dev account'); i++) await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    rmSync(home, { recursive: true, force: true });
  });

  it('sends with --gas auto from the dev key and finds the balance, account and tx', async () => {
    const sent = await guts(['tx', 'bank', 'send', 'dev', recipient, '1234ugut', '--home', home, '--gas', 'auto', '-y', '-o', 'json', '--broadcast-mode', 'block']);
    expect(sent.code, sent.err).toBe(0);
    const tx = JSON.parse(sent.out) as { txhash: string; code: number };
    expect(tx.code).toBe(0);

    const bal = await guts(['query', 'bank', 'balances', recipient, '--home', home, '-o', 'json']);
    expect(bal.code, bal.err).toBe(0);
    expect(JSON.parse(bal.out).balances).toEqual([{ denom: 'ugut', amount: '1234' }]);

    const acct = await guts(['query', 'auth', 'account', recipient, '--home', home, '-o', 'json']);
    expect(acct.code, acct.err).toBe(0);
    expect(acct.out).toContain(recipient);

    const found = await guts(['query', 'tx', tx.txhash, '--home', home, '-o', 'json']);
    expect(found.code, found.err).toBe(0);
    expect(JSON.parse(found.out).txhash).toBe(tx.txhash);
  });

  it('refuses a send beyond the balance with the coded error and a non-zero exit', async () => {
    const r = await guts(['tx', 'bank', 'send', 'dev', recipient, '99999999999999999ugut', '--home', home, '--gas', '200000', '--fees', '5000ugut', '-y', '--broadcast-mode', 'block']);
    expect(r.code).not.toBe(0);
    expect(`${r.out}${r.err}`).toMatch(/insufficient funds/);
  });
});

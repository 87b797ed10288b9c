/**
 * Bad input against the real devnet process: random and malformed tx bytes over RPC, a
 * second node on the same home. Each gets a coded refusal; the node keeps producing
 * blocks and stored balances are untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { toBase64 } from '@cosmjs/encoding';
import { ROOT, freePort, startDevnet, tempHome, type DevnetProcess } from '../helpers/devnet-process.js';

describe('the devnet process under bad input', () => {
  let home: string;
  let node: DevnetProcess;
  let dev: string;

  beforeAll(async () => {
    home = tempHome();
    const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: 'guts' });
    dev = (await wallet.getAccounts())[0]!.address;
    node = await startDevnet({ home, port: await freePort(), mnemonic: wallet.mnemonic });
  });

  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    rmSync(home, { recursive: true, force: true });
  });

  async function rpc(method: string, params: unknown): Promise<{ result?: { code?: number; codespace?: string; log?: string }; error?: { code: number; message: string } }> {
    const r = await fetch(node.rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    expect(r.status).toBe(200);
    return r.json() as never;
  }

  it('refuses random tx bytes with coded errors and keeps committing blocks', async () => {
    const client = await StargateClient.connect(node.rpc);
    const before = await client.getBalance(dev, 'ugut');
    const h0 = await client.getHeight();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.constantFrom('broadcast_tx_sync', 'broadcast_tx_async'), async (bytes, method) => {
        const res = await rpc(method, { tx: toBase64(bytes) });
        if (method === 'broadcast_tx_sync') {
          expect(res.error).toBeUndefined();
          expect(res.result?.code).toBe(2);
          expect(res.result?.codespace).toBe('sdk');
        } else {
          expect(res.error ?? res.result).toBeDefined();
        }
      }),
      { numRuns: 150, seed: 42 },
    );
    const bad = await rpc('broadcast_tx_sync', { tx: 'not base64 at all!' });
    expect(bad.error?.code).toBe(-32602);
    const huge = await rpc('broadcast_tx_sync', { tx: toBase64(new Uint8Array(1_100_000)) });
    expect(huge.error?.code).toBe(-32602);
    expect((huge.error as { data?: string }).data).toMatch(/exceeds the limit/);
    await new Promise((r) => setTimeout(r, 500));
    expect(await client.getHeight()).toBeGreaterThan(h0);
    expect(await client.getBalance(dev, 'ugut')).toEqual(before);
    client.disconnect();
  });

  it('refuses to start a second node on a home that is in use, without harming the first', async () => {
    const second = spawnSync(process.execPath, ['bin/run.js', 'start', '--home', home, '--rpc.laddr', `tcp://127.0.0.1:${await freePort()}`], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
    expect(second.status).not.toBe(0);
    expect(`${second.stdout}${second.stderr}`).toMatch(/in use by another node/);
    const client = await StargateClient.connect(node.rpc);
    const h = await client.getHeight();
    await new Promise((r) => setTimeout(r, 500));
    expect(await client.getHeight()).toBeGreaterThan(h);
    client.disconnect();
  }, 120_000);
});

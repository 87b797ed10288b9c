/**
 * A new user's path: start the real `guts devnet` process, then drive it with stock,
 * unmodified cosmjs (`SigningStargateClient`, prefix `guts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { freePort, startDevnet, tempHome, type DevnetProcess } from '../helpers/devnet-process.js';

describe('guts devnet with stock cosmjs', () => {
  let home: string;
  let node: DevnetProcess;
  let wallet: DirectSecp256k1HdWallet;
  let dev: string;
  let metricsUrl: string;

  beforeAll(async () => {
    home = tempHome();
    wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: 'guts' });
    dev = (await wallet.getAccounts())[0]!.address;
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    node = await startDevnet({ home, port: await freePort(), mnemonic: wallet.mnemonic, extra: ['--metrics.laddr', `tcp://127.0.0.1:${metricsPort}`] });
  });

  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    rmSync(home, { recursive: true, force: true });
  });

  it('prints the funded dev account of the given mnemonic', () => {
    expect(node.output()).toContain(dev);
  });

  it('serves Prometheus metrics an operator can scrape', async () => {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    const text = await res.text();
    const height = /^guts_consensus_height\{chain_id="guts-devnet-1"\} (\d+)$/m.exec(text);
    expect(Number(height?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/^guts_mempool_size\{chain_id="guts-devnet-1"\} \d+$/m);
    expect(text).toMatch(/^guts_consensus_validators\{chain_id="guts-devnet-1"\} 1$/m);
    expect(text).toMatch(/^guts_process_resident_memory_bytes\{chain_id="guts-devnet-1"\} \d+/m);
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('reports chain id and a growing height', async () => {
    const client = await StargateClient.connect(node.rpc);
    expect(await client.getChainId()).toBe('guts-devnet-1');
    const h1 = await client.getHeight();
    await new Promise((r) => setTimeout(r, 600));
    expect(await client.getHeight()).toBeGreaterThan(h1);
    client.disconnect();
  });

  it('sends tokens with "auto" gas, then finds the tx by hash and by search', async () => {
    const client = await SigningStargateClient.connectWithSigner(node.rpc, wallet, { gasPrice: GasPrice.fromString('0.025ugut') });
    const before = await client.getBalance(dev, 'ugut');
    expect(BigInt(before.amount)).toBeGreaterThan(0n);
    const account = await client.getAccount(dev);
    expect(account?.address).toBe(dev);

    const other = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'guts' })).getAccounts())[0]!.address;
    expect(await client.getAccount(other)).toBeNull();
    const res = await client.sendTokens(dev, other, [{ denom: 'ugut', amount: '12345' }], 'auto', 'first transfer');
    expect(res.code).toBe(0);
    expect((await client.getBalance(other, 'ugut')).amount).toBe('12345');
    const after = await client.getBalance(dev, 'ugut');
    const fee = BigInt(before.amount) - BigInt(after.amount) - 12345n;
    expect(fee).toBeGreaterThan(0n);

    const tx = await client.getTx(res.transactionHash);
    expect(tx?.height).toBe(res.height);
    expect(tx?.code).toBe(0);
    const found = await client.searchTx(`transfer.recipient='${other}'`);
    expect(found.map((t) => t.hash)).toContain(res.transactionHash);
    client.disconnect();
  });

  it('refuses a send larger than the balance with insufficient funds (sdk/5) and keeps the balance', async () => {
    const client = await SigningStargateClient.connectWithSigner(node.rpc, wallet, { gasPrice: GasPrice.fromString('0.025ugut') });
    const balance = await client.getBalance(dev, 'ugut');
    const other = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'guts' })).getAccounts())[0]!.address;
    const tooMuch = (BigInt(balance.amount) * 2n).toString();
    const fee = { amount: [{ denom: 'ugut', amount: '5000' }], gas: '200000' };
    await expect(client.sendTokens(dev, other, [{ denom: 'ugut', amount: tooMuch }], fee)).resolves.toMatchObject({ code: 5 });
    expect((await client.getBalance(other, 'ugut')).amount).toBe('0');
    client.disconnect();
  });
});

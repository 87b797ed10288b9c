/**
 * `kill -9` the real devnet process while it is committing a stream of transactions,
 * restart it on the same home: the height, the app hash of every block seen before the
 * crash and every tx acknowledged as committed are still there.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { toHex } from '@cosmjs/encoding';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { freePort, startDevnet, tempHome, type DevnetProcess } from '../helpers/devnet-process.js';

describe('crash recovery of a devnet node', () => {
  const home = tempHome();
  const nodes: DevnetProcess[] = [];
  afterAll(async () => {
    for (const n of nodes) if (n.child.exitCode === null) n.child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('keeps every committed block and tx after kill -9 under load', async () => {
    const wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: 'guts' });
    const dev = (await wallet.getAccounts())[0]!.address;
    const port = await freePort();
    const first = await startDevnet({ home, port, mnemonic: wallet.mnemonic, blockTime: '100ms' });
    nodes.push(first);

    const client = await SigningStargateClient.offline(wallet);
    const query = await StargateClient.connect(first.rpc);
    const chainId = await query.getChainId();
    const { accountNumber, sequence } = await query.getSequence(dev);
    const recipient = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'guts' })).getAccounts())[0]!.address;
    const fee = { amount: [{ denom: 'ugut', amount: '5000' }], gas: '200000' };

    const sent: string[] = [];
    const committed = new Map<string, number>();
    const deadline = Date.now() + 6000;
    for (let i = 0; i < 300 && Date.now() < deadline; i++) {
      const signed = await client.sign(dev, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: dev, toAddress: recipient, amount: [{ denom: 'ugut', amount: '1' }] } }], fee, '', { accountNumber, sequence: sequence + i, chainId });
      const hash = await query.broadcastTxSync(TxRaw.encode(signed).finish());
      sent.push(hash);
      if (i % 20 === 19) {
        for (const h of sent) {
          if (committed.has(h)) continue;
          const tx = await query.getTx(h);
          if (tx) committed.set(h, tx.height);
        }
      }
    }
    const comet = await connectComet(first.rpc);
    const seenHeight = (await comet.status()).syncInfo.latestBlockHeight;
    const seenHeader = (await comet.block(seenHeight)).block.header;
    comet.disconnect();
    query.disconnect();
    first.child.kill('SIGKILL');
    await first.exited;
    expect(committed.size).toBeGreaterThan(0);

    const second = await startDevnet({ home, port, mnemonic: wallet.mnemonic, blockTime: '100ms' });
    nodes.push(second);
    const after = await StargateClient.connect(second.rpc);
    expect(await after.getHeight()).toBeGreaterThanOrEqual(seenHeight);
    const comet2 = await connectComet(second.rpc);
    const header = (await comet2.block(seenHeight)).block.header;
    expect(toHex(header.appHash)).toBe(toHex(seenHeader.appHash));
    for (const [hash, height] of committed) {
      const tx = await after.getTx(hash);
      expect(tx?.height, `tx ${hash}`).toBe(height);
      expect(tx?.code).toBe(0);
    }
    comet2.disconnect();
    after.disconnect();
    second.child.kill('SIGTERM');
    await second.exited;
  });
});

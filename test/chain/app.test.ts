import { afterEach, describe, expect, it } from 'vitest';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { toHex } from '@cosmjs/encoding';
import { createModules } from '../../app/chain/modules.js';
import { moduleAddress } from '../../app/chain/address.js';
import { genesisFileBytes, parseGenesis } from '../../genesis/doc.js';
import { genesisJson, makeAccounts, openTestChain, removeDir, send, signTx, type TestChain } from '../helpers/chain.js';

const chains: TestChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) {
    await c.close().catch(() => undefined);
    removeDir(c.dir);
  }
});

async function setup(n = 3, minGasPrices = '0ugut') {
  const accts = await makeAccounts(n);
  const chain = await openTestChain(genesisJson(accts.map((a) => ({ address: a.address, amount: 1_000_000_000n }))), undefined, minGasPrices);
  chains.push(chain);
  // genesis account numbers follow balance order (sorted by address bytes)
  for (const a of accts) a.accountNumber = await accountNumber(chain, a.address);
  return { accts, chain };
}

async function accountNumber(chain: TestChain, address: string): Promise<bigint> {
  const { auth } = createModules();
  const acc = await auth.keeper.getAccount({ store: await chain.store.readAt() }, address);
  if (!acc) throw new Error(`no account ${address}`);
  return acc.accountNumber;
}

async function balance(chain: TestChain, address: string): Promise<bigint> {
  const { bank } = createModules();
  return bank.keeper.getBalance({ store: await chain.store.readAt() }, address, 'ugut');
}

describe('GutsApp block execution', () => {
  it('moves tokens, pays the fee to the fee collector and bumps the sequence', async () => {
    const { accts: [a, b], chain } = await setup();
    const tx = await signTx(a!, [send(a!.address, b!.address, 1000n)], { chainId: chain.chainId, fee: 5000n });
    const check = await chain.app.checkTx(tx, CheckTxType.NEW);
    expect(check.code).toBe(0);
    const res = await chain.block([tx]);
    expect(res.txResults[0]!.code).toBe(0);
    expect(await balance(chain, a!.address)).toBe(1_000_000_000n - 1000n - 5000n);
    expect(await balance(chain, b!.address)).toBe(1_000_000_000n + 1000n);
    expect(await balance(chain, moduleAddress('fee_collector'))).toBe(5000n);
    const types = res.txResults[0]!.events.map((e) => e.type);
    expect(types).toContain('transfer');
    expect(types).toContain('message');
    const second = await signTx(a!, [send(a!.address, b!.address, 1n)], { chainId: chain.chainId, sequence: 1n });
    expect((await chain.block([second])).txResults[0]!.code).toBe(0);
  });

  it('refuses a replayed tx with wrong sequence (sdk/32) and leaves state as it was', async () => {
    const { accts: [a, b], chain } = await setup();
    const tx = await signTx(a!, [send(a!.address, b!.address, 10n)], { chainId: chain.chainId });
    const res = await chain.block([tx, tx]);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 32]);
    expect(res.txResults[1]!.codespace).toBe('sdk');
    expect(res.txResults[1]!.log).toContain('account sequence mismatch');
    expect(await balance(chain, b!.address)).toBe(1_000_000_010n);
    const skipped = await signTx(a!, [send(a!.address, b!.address, 10n)], { chainId: chain.chainId, sequence: 5n });
    expect((await chain.app.checkTx(skipped, CheckTxType.NEW)).code).toBe(32);
  });

  it('rejects a signature for another chain id as unauthorized (sdk/4)', async () => {
    const { accts: [a, b], chain } = await setup();
    const tx = await signTx(a!, [send(a!.address, b!.address, 10n)], { chainId: 'other-chain' });
    const r = await chain.app.checkTx(tx, CheckTxType.NEW);
    expect(r.code).toBe(4);
    expect(r.log).toContain('signature verification failed');
    const res = await chain.block([tx]);
    expect(res.txResults[0]!.code).toBe(4);
    expect(await balance(chain, a!.address)).toBe(1_000_000_000n);
  });

  it('reports insufficient funds (sdk/5) but keeps the fee and the sequence bump, as cosmos-sdk does', async () => {
    const { accts: [a, b], chain } = await setup();
    const tx = await signTx(a!, [send(a!.address, b!.address, 5_000_000_000n)], { chainId: chain.chainId, fee: 100n });
    const res = await chain.block([tx]);
    expect(res.txResults[0]!.code).toBe(5);
    expect(await balance(chain, a!.address)).toBe(1_000_000_000n - 100n);
    expect(await balance(chain, b!.address)).toBe(1_000_000_000n);
    const next = await signTx(a!, [send(a!.address, b!.address, 1n)], { chainId: chain.chainId, sequence: 1n });
    expect((await chain.app.checkTx(next, CheckTxType.NEW)).code).toBe(0);
  });

  it('gives coded errors for bad messages: unknown type, bad address, zero amount, long memo, expired timeout', async () => {
    const { accts: [a, b], chain } = await setup();
    const c = chain.chainId;
    const unknown = await signTx(a!, [{ typeUrl: '/cosmos.staking.v1beta1.MsgDelegate', value: { delegatorAddress: a!.address, validatorAddress: 'x', amount: { denom: 'ugut', amount: '1' } } }], { chainId: c });
    expect((await chain.app.checkTx(unknown, CheckTxType.NEW)).code).toBe(2);
    const badAddr = await signTx(a!, [send(a!.address, 'guts1notanaddress', 1n)], { chainId: c });
    const badAddrRes = await chain.app.checkTx(badAddr, CheckTxType.NEW);
    expect(badAddrRes.code).toBe(7);
    const zero = await signTx(a!, [send(a!.address, b!.address, 0n)], { chainId: c });
    expect((await chain.app.checkTx(zero, CheckTxType.NEW)).code).toBe(10);
    const memo = await signTx(a!, [send(a!.address, b!.address, 1n)], { chainId: c, memo: 'x'.repeat(300) });
    expect((await chain.app.checkTx(memo, CheckTxType.NEW)).code).toBe(12);
    await chain.block([]);
    const expired = await signTx(a!, [send(a!.address, b!.address, 1n)], { chainId: c, timeoutHeight: 1n });
    expect((await chain.app.checkTx(expired, CheckTxType.NEW)).code).toBe(30);
    expect((await chain.app.checkTx(new Uint8Array([1, 2, 3]), CheckTxType.NEW)).code).toBe(2);
    expect(await balance(chain, a!.address)).toBe(1_000_000_000n);
  });

  it('enforces the minimum gas price in CheckTx (sdk/13)', async () => {
    const { accts: [a, b], chain } = await setup(2, '0.025ugut');
    const cheap = await signTx(a!, [send(a!.address, b!.address, 1n)], { chainId: chain.chainId, gas: 200000n, fee: 4999n });
    const r = await chain.app.checkTx(cheap, CheckTxType.NEW);
    expect(r.code).toBe(13);
    const ok = await signTx(a!, [send(a!.address, b!.address, 1n)], { chainId: chain.chainId, gas: 200000n, fee: 5000n });
    expect((await chain.app.checkTx(ok, CheckTxType.NEW)).code).toBe(0);
  });

  it('runs out of gas (sdk/11) with a tiny gas limit and reverts the transfer', async () => {
    const { accts: [a, b], chain } = await setup();
    const tx = await signTx(a!, [send(a!.address, b!.address, 7n)], { chainId: chain.chainId, gas: 3000n });
    const res = await chain.block([tx]);
    expect(res.txResults[0]!.code).toBe(11);
    expect(await balance(chain, b!.address)).toBe(1_000_000_000n);
  });

  it('restarts at the committed height with the same app hash and balances', async () => {
    const { accts: [a, b], chain } = await setup();
    await chain.block([await signTx(a!, [send(a!.address, b!.address, 42n)], { chainId: chain.chainId })]);
    const height = chain.height();
    const root = toHex(chain.store.committedRoot);
    const reopened = await chain.reopen();
    chains[chains.indexOf(chain)] = reopened;
    expect(reopened.height()).toBe(height);
    expect(toHex(reopened.store.committedRoot)).toBe(root);
    expect(await balance(reopened, b!.address)).toBe(1_000_000_042n);
  });

  it('exports genesis that imports and exports again to the same bytes', async () => {
    const { accts: [a, b], chain } = await setup();
    await chain.block([await signTx(a!, [send(a!.address, b!.address, 42n)], { chainId: chain.chainId })]);
    const modules = createModules();
    const base = parseGenesis(genesisJson([]), modules.list);
    const exported1 = genesisFileBytes({ ...base, appState: await chain.app.exportAppState() }, modules.list);
    const imported = await openTestChain(JSON.parse(exported1));
    chains.push(imported);
    const exported2 = genesisFileBytes({ ...base, appState: await imported.app.exportAppState() }, modules.list);
    expect(exported2).toBe(exported1);
    expect(exported1).toContain(moduleAddress('fee_collector'));
  });
});

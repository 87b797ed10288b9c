import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { txHash } from '../../app/consensus/encoding/hashes.js';
import { createMempool, protoSizeInData } from '../../app/consensus/mempool.js';
import type { MempoolTx } from '../../app/consensus/types.js';
import { TestApp } from './helpers/test-app.js';

const enc = new TextEncoder();
const tx = (s: string) => enc.encode(s);
const dec = (txs: Uint8Array[]) => txs.map((t) => new TextDecoder().decode(t));

describe('mempool', () => {
  it('admits a tx the app accepts, announces it, and refuses a duplicate with sdk code 19', async () => {
    const app = new TestApp();
    const mp = createMempool({ app });
    const seen: MempoolTx[] = [];
    mp.onTx((t) => seen.push(t));
    const res = await mp.add(tx('alice:0:50'));
    expect(res.code).toBe(0);
    expect(mp.size()).toBe(1);
    expect(mp.bytes()).toBe(10);
    expect(mp.has(txHash(tx('alice:0:50')))).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ sender: 'alice', sequence: 0n, gasWanted: 50n });
    const dup = await mp.add(tx('alice:0:50'));
    expect(dup).toMatchObject({ code: 19, codespace: 'sdk' });
    expect(app.checkCalls).toHaveLength(1);
  });

  it('does not keep a tx the app refuses and lets it be submitted again', async () => {
    const app = new TestApp();
    const mp = createMempool({ app });
    expect((await mp.add(tx('alice:1'))).code).toBe(32);
    expect(mp.size()).toBe(0);
    expect((await mp.add(tx('alice:1'))).code).toBe(32); // not a cache hit: the app is asked again
    expect(app.checkCalls).toHaveLength(2);
  });

  it('refuses a tx over max_tx_bytes (21) and txs beyond the count or byte capacity (20)', async () => {
    const app = new TestApp();
    const mp = createMempool({ app, maxTxs: 2, maxBytes: 1000, maxTxBytes: 20 });
    expect(await mp.add(tx(`alice:0:${'9'.repeat(30)}`))).toMatchObject({ code: 21, codespace: 'sdk' });
    expect((await mp.add(tx('alice:0'))).code).toBe(0);
    expect((await mp.add(tx('alice:1'))).code).toBe(0);
    expect(await mp.add(tx('alice:2'))).toMatchObject({ code: 20, codespace: 'sdk' });
    const small = createMempool({ app: new TestApp(), maxBytes: 15 });
    expect((await small.add(tx('bob:0:1111'))).code).toBe(0);
    expect((await small.add(tx('bob:1:1111'))).code).toBe(20);
  });

  it('reaps in admission order within the byte and gas limits', async () => {
    const app = new TestApp();
    const mp = createMempool({ app });
    for (const t of ['alice:0:10', 'bob:0:10', 'alice:1:10', 'carol:0:10']) expect((await mp.add(tx(t))).code).toBe(0);
    expect(dec(mp.reap(-1, -1n))).toEqual(['alice:0:10', 'bob:0:10', 'alice:1:10', 'carol:0:10']);
    expect(dec(mp.reap(-1, 25n))).toEqual(['alice:0:10', 'bob:0:10']);
    const two = protoSizeInData(tx('alice:0:10')) + protoSizeInData(tx('bob:0:10'));
    expect(dec(mp.reap(two, -1n))).toEqual(['alice:0:10', 'bob:0:10']);
    expect(dec(mp.reap(two - 1, -1n))).toEqual(['alice:0:10']);
    expect(mp.reap(0, -1n)).toEqual([]);
  });

  it('update removes committed txs, rechecks the rest and evicts those now invalid', async () => {
    const app = new TestApp();
    const mp = createMempool({ app });
    for (const t of ['alice:0', 'alice:1', 'bob:0']) expect((await mp.add(tx(t))).code).toBe(0);
    // The block committed alice:0 and a different bob tx with sequence 0 (from another node).
    app.commitTxs(['alice:0', 'bob:0:7']);
    await mp.update(1, [tx('alice:0'), tx('bob:0:7')]);
    expect(dec(mp.txs().map((t) => t.tx))).toEqual(['alice:1']);
    expect(app.checkCalls.slice(-2)).toEqual([
      { tx: 'alice:1', type: CheckTxType.RECHECK },
      { tx: 'bob:0', type: CheckTxType.RECHECK },
    ]);
    // A committed tx stays in the cache; an evicted one may come back (and now fails in the app).
    expect((await mp.add(tx('alice:0'))).code).toBe(19);
    expect((await mp.add(tx('bob:0'))).code).toBe(32);
  });

  it('forgets the oldest hashes beyond cache_size', async () => {
    const app = new TestApp();
    const mp = createMempool({ app, cacheSize: 2 });
    app.commitTxs(['a:0']);
    await mp.update(1, [tx('a:0')]);
    expect((await mp.add(tx('a:0'))).code).toBe(19);
    await mp.add(tx('b:0'));
    await mp.add(tx('c:0'));
    expect((await mp.add(tx('a:0'))).code).toBe(32); // no longer cached: the app refuses the replay itself
  });

  it('never runs two CheckTx calls at once, and holds CheckTx while a commit has the lock', async () => {
    const app = new TestApp();
    app.checkDelayMs = 5;
    const mp = createMempool({ app });
    const adds = ['a:0', 'b:0', 'c:0', 'a:1', 'b:1'].map((t) => mp.add(tx(t)));
    const order: string[] = [];
    const committing = mp.lockForCommit(async (locked) => {
      order.push('commit-start');
      await new Promise((r) => setTimeout(r, 20));
      app.commitTxs([]);
      await locked.update(1, []);
      order.push('commit-end');
    });
    const late = mp.add(tx('d:0')).then(() => order.push('late-add'));
    await Promise.all([...adds, committing, late]);
    expect(app.maxInFlight).toBe(1);
    expect(order).toEqual(['commit-start', 'commit-end', 'late-add']);
    expect(mp.size()).toBe(6);
  });
});

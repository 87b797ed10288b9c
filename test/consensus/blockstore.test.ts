import { toHex } from '@cosmjs/encoding';
import { ResponseFinalizeBlock as ResponseFinalizeBlockCodec, TxResult, type ExecTxResult, type ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { be32, be64, concatBytes } from '../../app/consensus/keys.js';
import type { Commit } from 'cosmjs-types/tendermint/types/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlockStore, type ChainBlockStore } from '../../app/consensus/blockstore.js';
import { txHash } from '../../app/consensus/encoding/hashes.js';
import { encodeBlock } from '../../app/consensus/encoding/block.js';
import { answerBlockRequest } from '../../app/consensus/blocksync/serve.js';
import { timestampFromMs } from '../../app/consensus/encoding/time.js';
import { QueryParseError } from '../../app/consensus/query.js';
import type { StoredBlock } from '../../app/consensus/types.js';
import { tempLevel } from './helpers/level.js';

const enc = new TextEncoder();
const b = (s: string) => enc.encode(s);
const id = (h: number) => ({ hash: new Uint8Array(32).fill(h), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(100 + h) } });
const commitFor = (h: number): Commit => ({ height: BigInt(h), round: 0, blockId: id(h), signatures: [] });

function block(h: number, txs: string[]): StoredBlock {
  return {
    block: {
      header: {
        version: { block: 11n, app: 1n },
        chainId: 'test',
        height: BigInt(h),
        time: timestampFromMs(1_700_000_000_000 + h * 1000),
        lastBlockId: h > 1 ? id(h - 1) : { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } },
        lastCommitHash: new Uint8Array(32),
        dataHash: new Uint8Array(32),
        validatorsHash: new Uint8Array(32),
        nextValidatorsHash: new Uint8Array(32),
        consensusHash: new Uint8Array(32),
        appHash: new Uint8Array(8),
        lastResultsHash: new Uint8Array(32),
        evidenceHash: new Uint8Array(32),
        proposerAddress: new Uint8Array(20),
      },
      data: { txs: txs.map(b) },
      evidence: { evidence: [] },
      lastCommit: h > 1 ? commitFor(h - 1) : { height: 0n, round: 0, blockId: id(0), signatures: [] },
    },
    blockId: id(h),
    size: 100 + h,
  };
}

function result(tx: string, code = 0): ExecTxResult {
  const [sender, amount] = tx.split(':');
  return {
    code,
    data: new Uint8Array(0),
    log: '',
    info: '',
    gasWanted: 10n,
    gasUsed: 5n,
    codespace: '',
    events: [
      {
        type: 'transfer',
        attributes: [
          { key: 'sender', value: sender, index: true },
          { key: 'amount', value: `${amount}stake`, index: true },
          { key: 'memo', value: 'not indexed', index: false },
        ],
      },
    ],
  };
}

function results(txs: string[], events: ResponseFinalizeBlock['events'] = []): ResponseFinalizeBlock {
  return { events, txResults: txs.map((t) => result(t)), validatorUpdates: [], appHash: new Uint8Array(8) };
}

const chain: Array<[number, string[]]> = [
  [1, ['alice:5', 'bob:7']],
  [2, []],
  [3, ['alice:12']],
  [4, ['carol:3', 'alice:1', 'bob:30']],
];

describe('block store', () => {
  let lvl: Awaited<ReturnType<typeof tempLevel>>;
  let store: ChainBlockStore;

  beforeEach(async () => {
    lvl = await tempLevel();
    store = await createBlockStore(lvl.sublevels());
    for (const [h, txs] of chain) {
      const ev = [{ type: 'epoch', attributes: [{ key: 'number', value: String(h % 2), index: true }] }];
      await lvl.write(store.saveOps(block(h, txs), commitFor(h), results(txs, ev)));
      store.markSaved(h);
    }
  });
  afterEach(async () => {
    await lvl.destroy();
  });

  it('loads blocks by height and hash, commits and results, and rebuilds base and height after a reopen', async () => {
    expect([store.base(), store.height()]).toEqual([1, 4]);
    const b3 = await store.loadBlock(3);
    expect(b3?.block.data.txs.map((t) => new TextDecoder().decode(t))).toEqual(['alice:12']);
    expect(b3?.size).toBe(103);
    expect((await store.loadBlockByHash(id(2).hash))?.block.header.height).toBe(2n);
    expect(await store.loadBlock(5)).toBeUndefined();
    // commit for 3 is block 4's last_commit (canonical); commit for 4 is the seen commit.
    expect((await store.loadCommit(3))?.height).toBe(3n);
    expect((await store.loadCommit(4))?.blockId).toEqual(id(4));
    expect((await store.loadResults(4))?.txResults).toHaveLength(3);

    await lvl.reopen();
    const again = await createBlockStore(lvl.sublevels());
    expect([again.base(), again.height()]).toEqual([1, 4]);
    expect((await again.loadBlockMeta(4))?.numTxs).toBe(3n);
  });

  it('serves blocksync the stored block bytes, the same bytes a decode and re-encode gives', async () => {
    const answer = await answerBlockRequest({ fromHeight: 2n, count: 4 }, store);
    const fallback = await answerBlockRequest({ fromHeight: 2n, count: 4 }, { base: store.base, height: store.height, loadBlock: store.loadBlock, loadCommit: store.loadCommit });
    expect(answer).toEqual(fallback);
    const served = answer.flatMap((m) => (m.type === 'blockResponse' ? m.blocks : []));
    expect(served.map((s) => s.commit.height)).toEqual([2n, 3n, 4n]);
    for (const [i, s] of served.entries()) expect(s.block).toEqual(encodeBlock((await store.loadBlock(i + 2))!.block));
    expect(answer.at(-1)).toEqual({ type: 'noBlockResponse', height: 5n });
  });

  it('refuses to save a block that does not extend the store', () => {
    expect(() => store.saveOps(block(6, []), commitFor(6), results([]))).toThrow(/expected 5/);
    expect(() => store.saveOps(block(5, ['x:1']), commitFor(5), results([]))).toThrow(/1 txs but 0 results/);
  });

  it('finds txs by hash with height, index and result', async () => {
    const tx = await store.txByHash(txHash(b('alice:1')));
    expect(tx).toMatchObject({ height: 4, index: 1 });
    expect(toHex(tx!.hash)).toBe(toHex(txHash(b('alice:1'))));
    expect(tx!.result.gasUsed).toBe(5n);
    expect(await store.txByHash(txHash(b('nobody:0')))).toBeUndefined();
  });

  it('searches txs by indexed attributes, tx.height and tx.hash, with pages and order', async () => {
    const heights = async (q: string, order: 'asc' | 'desc' = 'asc', page = 1, perPage = 100) => {
      const r = await store.searchTxs(q, page, perPage, order);
      return { total: r.total, at: r.txs.map((t) => `${t.height}/${t.index}`) };
    };
    expect(await heights("transfer.sender='alice'")).toEqual({ total: 3, at: ['1/0', '3/0', '4/1'] });
    expect(await heights("transfer.sender='alice'", 'desc')).toEqual({ total: 3, at: ['4/1', '3/0', '1/0'] });
    expect(await heights("transfer.sender='alice'", 'asc', 2, 2)).toEqual({ total: 3, at: ['4/1'] });
    expect(await heights("transfer.sender='alice' AND tx.height>1")).toEqual({ total: 2, at: ['3/0', '4/1'] });
    expect(await heights('transfer.amount >= 7')).toEqual({ total: 3, at: ['1/1', '3/0', '4/2'] });
    expect(await heights('tx.height=4')).toEqual({ total: 3, at: ['4/0', '4/1', '4/2'] });
    expect(await heights('tx.height <= 3 AND tx.height >= 2')).toEqual({ total: 1, at: ['3/0'] });
    expect(await heights("transfer.sender CONTAINS 'o'")).toEqual({ total: 3, at: ['1/1', '4/0', '4/2'] });
    expect(await heights('transfer.sender EXISTS AND tx.height < 2')).toEqual({ total: 2, at: ['1/0', '1/1'] });
    expect(await heights("transfer.memo='not indexed'")).toEqual({ total: 0, at: [] });
    const hash = toHex(txHash(b('bob:30'))).toUpperCase();
    expect(await heights(`tx.hash='${hash}'`)).toEqual({ total: 1, at: ['4/2'] });
    expect(await heights(`tx.hash='${hash}' AND tx.height=3`)).toEqual({ total: 0, at: [] });
    await expect(store.searchTxs('transfer.sender alice', 1, 10, 'asc')).rejects.toBeInstanceOf(QueryParseError);
    await expect(store.searchTxs("tx.height='x'", 1, 10, 'asc')).rejects.toBeInstanceOf(QueryParseError);
  });

  it('searches blocks by block.height and FinalizeBlock events', async () => {
    expect(await store.searchBlocks('block.height > 1', 1, 2, 'desc')).toEqual({ heights: [4, 3], total: 3 });
    expect(await store.searchBlocks("epoch.number='1'", 1, 10, 'asc')).toEqual({ heights: [1, 3], total: 2 });
    expect(await store.searchBlocks('epoch.number = 0 AND block.height < 4', 1, 10, 'asc')).toEqual({ heights: [2], total: 1 });
    expect(await store.searchBlocks('block.height >= 10', 1, 10, 'asc')).toEqual({ heights: [], total: 0 });
  });

  it('stores the results record exactly as protobuf encodes it, and reads each indexed tx out of the block and results', async () => {
    const txs = ['dave:4', 'erin:9'];
    const res: ResponseFinalizeBlock = {
      ...results(txs, [{ type: 'epoch', attributes: [{ key: 'number', value: '1', index: true }] }]),
      validatorUpdates: [{ pubKey: { ed25519: new Uint8Array(32).fill(7) }, power: 5n }],
      consensusParamUpdates: { block: { maxBytes: 2000n, maxGas: -1n } },
    };
    res.txResults[1] = { ...res.txResults[1], code: 5, codespace: 'sdk', log: 'insufficient funds', events: [] };
    await lvl.write(store.saveOps(block(5, txs), commitFor(5), res));
    store.markSaved(5);
    const subs = lvl.sublevels();
    expect(toHex((await subs.results.get(be64(5)))!)).toBe(toHex(ResponseFinalizeBlockCodec.encode(res).finish()));
    for (const [index, tx] of txs.entries()) {
      // no per-tx copy in the index: the tx and its result are where the block keeps them
      expect(await subs.txindex.get(concatBytes(enc.encode('p'), be64(5), be32(index)))).toBeUndefined();
      const found = await store.txByHash(txHash(b(tx)));
      expect(found).toEqual({ hash: txHash(b(tx)), height: 5, index, tx: b(tx), result: res.txResults[index] });
    }
    const page = await store.searchTxs('tx.height=5', 1, 10, 'desc');
    expect(page.txs.map((t) => [t.index, t.result.code])).toEqual([
      [1, 5],
      [0, 0],
    ]);
  });

  it('reads every tx of a large block back by hash and by search, whatever the sizes of its txs and results', async () => {
    // tx and result sizes across the one-, two- and three-byte length prefixes of the stored protobuf
    const sizes = [1, 127, 128, 300, 16_383, 16_384, 40_000];
    const txs = Array.from({ length: 150 }, (_, i) => `user${i % 7}:${i}:${'x'.repeat(sizes[i % sizes.length])}`);
    const res = results(txs);
    res.txResults = res.txResults.map((r, i) => ({ ...r, code: i % 5 === 0 ? 5 : 0, log: 'l'.repeat(sizes[(i + 3) % sizes.length]) }));
    await lvl.write(store.saveOps(block(5, txs), commitFor(5), res));
    store.markSaved(5);
    for (const [index, tx] of txs.entries()) {
      const found = await store.txByHash(txHash(b(tx)));
      // bytes compared as hex: deep equality of 40 kB typed arrays is slow in the matcher
      expect({ ...found!, hash: toHex(found!.hash), tx: toHex(found!.tx) }).toEqual({ hash: toHex(txHash(b(tx))), height: 5, index, tx: toHex(b(tx)), result: res.txResults[index] });
    }
    const page = await store.searchTxs('tx.height=5', 3, 40, 'asc');
    expect(page.total).toBe(150);
    expect(page.txs.map((t) => t.index)).toEqual(Array.from({ length: 40 }, (_, i) => 80 + i));
    expect(page.txs.map((t) => t.result.log.length)).toEqual(page.txs.map((t) => sizes[(t.index + 3) % sizes.length]));
    const failed = await store.searchTxs("transfer.sender='user0' AND tx.height=5", 1, 100, 'desc');
    expect(failed.txs.map((t) => t.index)).toEqual(txs.flatMap((t, i) => (t.startsWith('user0:') ? [i] : [])).reverse());
  });

  it('still answers searches over txs indexed one entry per attribute by earlier versions', async () => {
    // height 5 as the per-tx layout wrote it: a ‖ type.key ‖ 0 ‖ value ‖ 0 ‖ be64(h) ‖ be32(i) → ∅
    const subs = lvl.sublevels();
    const legacy = (value: string, index: number) => concatBytes(enc.encode('a'), enc.encode('transfer.sender'), new Uint8Array([0]), enc.encode(value), new Uint8Array([0]), be64(5), be32(index));
    await subs.txindex.put(legacy('alice', 1), new Uint8Array(0));
    await subs.txindex.put(legacy('alicex', 0), new Uint8Array(0));
    for (const [index, tx] of ['alicex:1', 'alice:2'].entries()) {
      await subs.txindex.put(concatBytes(enc.encode('p'), be64(5), be32(index)), TxResult.encode({ height: 5n, index, tx: b(tx), result: result(tx) }).finish());
    }
    const r = await store.searchTxs("transfer.sender='alice'", 1, 100, 'asc');
    expect(r.txs.map((t) => `${t.height}/${t.index}`)).toEqual(['1/0', '3/0', '4/1', '5/1']);
    const all = await store.searchTxs("transfer.sender CONTAINS 'alice'", 1, 100, 'desc');
    expect(all.txs.map((t) => `${t.height}/${t.index}`)).toEqual(['5/1', '5/0', '4/1', '3/0', '1/0']);
  });

  it('returns the validator set and params in force at a height from change records', async () => {
    const set = (p: bigint) => ({ validators: [{ address: new Uint8Array(20), pubKey: { ed25519: new Uint8Array(32) }, votingPower: p, proposerPriority: 0n }], totalVotingPower: p });
    await lvl.write([...store.validatorsOps(1, set(10n)), ...store.validatorsOps(3, set(20n))]);
    expect(await store.loadValidators(0)).toBeUndefined();
    expect((await store.loadValidators(2))?.totalVotingPower).toBe(10n);
    expect((await store.loadValidators(3))?.totalVotingPower).toBe(20n);
    expect((await store.loadValidators(99))?.totalVotingPower).toBe(20n);
    await lvl.write(store.consensusParamsOps(1, { block: { maxBytes: 1000n, maxGas: -1n } }));
    expect((await store.loadConsensusParams(4))?.block?.maxBytes).toBe(1000n);
  });
});

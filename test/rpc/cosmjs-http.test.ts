/**
 * Stock @cosmjs/tendermint-rpc and @cosmjs/stargate against the RPC server over HTTP:
 * every response decodes, and the decoded values are the chain's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Comet38Client, connectComet, HttpClient } from '@cosmjs/tendermint-rpc';
import { StargateClient } from '@cosmjs/stargate';
import { toHex, toUtf8 } from '@cosmjs/encoding';
import { startRpcServer, type RpcServer } from '../../app/rpc/index.js';
import { CHAIN_ID, FAIL_CHECK, FAIL_DELIVER, FakeChain, GENESIS_SECONDS, sha256, TX_DATA, VALIDATOR } from './fake-chain.js';

const TX_A = toUtf8('send 1stake to bob');
const TX_B = toUtf8('send 2stake to carol');
const TX_C = new Uint8Array([FAIL_DELIVER, 1, 2, 3]);

let chain: FakeChain;
let server: RpcServer;
let client: Comet38Client;
let detected: unknown;

beforeAll(async () => {
  chain = new FakeChain();
  chain.commitBlock([]);
  chain.commitBlock([TX_A, TX_B, TX_C]);
  chain.commitBlock([]);
  server = await startRpcServer({ backend: chain, port: 0, timeoutBroadcastTxCommitMs: 2_000 });
  detected = await connectComet(server.address);
  client = Comet38Client.create(new HttpClient(server.address));
});

afterAll(async () => {
  client?.disconnect();
  (detected as Comet38Client | undefined)?.disconnect();
  await server?.close();
});

describe('RPC over HTTP with stock cosmjs', () => {
  it('is detected as a CometBFT 0.38 node', () => {
    expect(detected).toBeInstanceOf(Comet38Client);
  });

  it('status reports the node, the tip and the validator', async () => {
    const s = await client.status();
    expect(s.nodeInfo.network).toBe(CHAIN_ID);
    expect(s.nodeInfo.version.startsWith('0.38.')).toBe(true);
    expect(s.nodeInfo.protocolVersion).toEqual({ p2p: 8, block: 11, app: 0 });
    expect(s.nodeInfo.other.get('tx_index')).toBe('on');
    expect(s.nodeInfo.other.get('rpc_address')).toBe(server.address.replace('http://', 'tcp://'));
    expect(s.syncInfo.latestBlockHeight).toBe(3);
    expect(s.syncInfo.earliestBlockHeight).toBe(1);
    expect(toHex(s.syncInfo.latestBlockHash)).toBe(toHex(chain.blocks[2].blockId.hash));
    expect(toHex(s.syncInfo.latestAppHash)).toBe(toHex(chain.blocks[2].block.header.appHash));
    expect(s.syncInfo.latestBlockTime.getTime()).toBe(Number(GENESIS_SECONDS + 3n) * 1000 + 123);
    expect(s.syncInfo.catchingUp).toBe(false);
    expect(toHex(s.validatorInfo.address)).toBe(toHex(VALIDATOR.address));
    expect(s.validatorInfo.pubkey).toEqual({ algorithm: 'ed25519', data: VALIDATOR.pubKey });
    expect(s.validatorInfo.votingPower).toBe(10n);
  });

  it('block returns header, txs and last commit with nanosecond times', async () => {
    const b = await client.block(2);
    expect(b.block.header.height).toBe(2);
    expect(b.block.header.chainId).toBe(CHAIN_ID);
    expect(b.block.txs).toEqual([TX_A, TX_B, TX_C]);
    expect(toHex(b.blockId.hash)).toBe(toHex(chain.blocks[1].blockId.hash));
    expect(b.blockId.parts.total).toBe(1);
    expect(toHex(b.block.header.dataHash)).toBe(toHex(chain.blocks[1].block.header.dataHash));
    expect(b.block.header.time.nanoseconds).toBe(0);
    expect(b.block.lastCommit?.height).toBe(1);
    expect(b.block.lastCommit?.signatures[0].blockIdFlag).toBe(2);
    expect(b.block.lastCommit?.signatures[0].signature?.length).toBe(64);
    expect(b.block.lastCommit?.signatures[1].signature).toBeUndefined();

    const first = await client.block(1);
    expect(first.block.lastCommit).toBeNull();
    expect(first.block.header.lastBlockId).toBeNull();
    const t = first.block.header.time;
    expect(t.nanoseconds).toBe(450_001);

    const latest = await client.block();
    expect(latest.block.header.height).toBe(3);
  });

  it('blockResults decodes tx results, events and validator updates', async () => {
    const r = await client.blockResults(2);
    expect(r.height).toBe(2);
    expect(r.results).toHaveLength(3);
    expect(r.results[0].code).toBe(0);
    expect(r.results[0].gasUsed).toBe(51_234n);
    expect(r.results[0].data).toEqual(TX_DATA);
    expect(r.results[0].events[0]).toEqual({
      type: 'transfer',
      attributes: [
        { key: 'amount', value: `${TX_A.length * 100}stake` },
        { key: 'recipient', value: 'guts1recipient' },
      ],
    });
    expect(r.results[2].code).toBe(5);
    expect(r.results[2].codespace).toBe('sdk');
    expect(r.finalizeBlockEvents[0].attributes).toEqual([{ key: 'amount', value: '1stake' }]);
    const r1 = await client.blockResults(1);
    expect(r1.validatorUpdates).toEqual([{ pubkey: { algorithm: 'ed25519', data: VALIDATOR.pubKey }, votingPower: 10n }]);
  });

  it('tx returns the result and a Merkle proof against the data hash', async () => {
    const t = await client.tx({ hash: sha256(TX_B), prove: true });
    expect(t.height).toBe(2);
    expect(t.index).toBe(1);
    expect(t.tx).toEqual(TX_B);
    expect(t.result.code).toBe(0);
    expect(toHex(t.hash)).toBe(toHex(sha256(TX_B)));
    expect(t.proof?.proof.total).toBe(3);
    expect(t.proof?.proof.index).toBe(1);
    expect(t.proof?.proof.aunts.length).toBe(2);
    expect(toHex(t.proof!.rootHash)).toBe(toHex(chain.blocks[1].block.header.dataHash));
  });

  it('tx for an unknown hash is a JSON-RPC error', async () => {
    await expect(client.tx({ hash: new Uint8Array(32) })).rejects.toThrow(/not found/);
  });

  it('txSearch pages through matches in either order', async () => {
    const all = await client.txSearch({ query: 'tx.height=2' });
    expect(all.totalCount).toBe(3);
    expect(all.txs.map((t) => t.index)).toEqual([0, 1, 2]);
    const byAction = await client.txSearch({ query: "message.action='/cosmos.bank.v1beta1.MsgSend'", order_by: 'desc', per_page: 1, page: 2 });
    expect(byAction.totalCount).toBe(2);
    expect(byAction.txs).toHaveLength(1);
    expect(byAction.txs[0].tx).toEqual(TX_A);
    const proved = await client.txSearch({ query: 'tx.height=2', prove: true });
    expect(proved.txs[2].proof?.proof.index).toBe(2);
  });

  it('blockSearch and blockchain list blocks', async () => {
    const found = await client.blockSearch({ query: 'block.height >= 2' });
    expect(found.totalCount).toBe(2);
    // cosmjs re-sorts ascending; the server's default order (desc) is checked over raw JSON-RPC.
    expect(found.blocks.map((b) => b.block.header.height)).toEqual([2, 3]);
    const bc = await client.blockchain(1, 3);
    expect(bc.lastHeight).toBe(3);
    expect(bc.blockMetas.map((m) => m.header.height)).toEqual([3, 2, 1]);
    expect(bc.blockMetas[1].numTxs).toBe(3);
  });

  it('commit, validators, genesis, abciInfo and health decode', async () => {
    const c = await client.commit(2);
    expect(c.canonical).toBe(true);
    expect(c.header.height).toBe(2);
    expect(c.commit.height).toBe(2);
    expect((await client.commit()).canonical).toBe(false);

    const v = await client.validators({});
    expect(v.total).toBe(1);
    expect(v.validators[0].votingPower).toBe(10n);
    expect(v.validators[0].proposerPriority).toBe(0);

    const g = await client.genesis();
    expect(g.chainId).toBe(CHAIN_ID);
    expect(g.validators[0].votingPower).toBe(10n);

    const info = await client.abciInfo();
    expect(info.lastBlockHeight).toBe(3);
    expect(info.lastBlockAppHash).toEqual(chain.blocks[2].block.header.appHash);
    expect(await client.health()).toBeNull();
  });

  it('abciQuery returns key, value, proof ops and height', async () => {
    const q = await client.abciQuery({ path: '/store/bank/key', data: new Uint8Array([1, 2]), prove: true });
    expect(q.code).toBe(0);
    expect(q.key).toEqual(new Uint8Array([1, 2]));
    expect(new TextDecoder().decode(q.value)).toBe('value-of-/store/bank/key');
    expect(q.height).toBe(3);
    expect(q.proof?.ops[0]).toEqual({ type: 'ics23:iavl', key: new Uint8Array([1, 2]), data: new Uint8Array([1, 2, 3]) });
    const missing = await client.abciQuery({ path: '/missing', data: new Uint8Array([9]) });
    expect(missing.code).toBe(38);
    expect(missing.codespace).toBe('sdk');
    expect(missing.log).toBe('not found');
  });

  it('broadcastTxSync returns the CheckTx outcome and hash', async () => {
    const ok = await client.broadcastTxSync({ tx: toUtf8('sync tx') });
    expect(ok.code).toBe(0);
    expect(toHex(ok.hash)).toBe(toHex(sha256(toUtf8('sync tx'))));
    expect((await client.numUnconfirmedTxs()).total).toBe(1);
    const bad = await client.broadcastTxSync({ tx: new Uint8Array([FAIL_CHECK, 1]) });
    expect(bad.code).toBe(4);
    expect(bad.codespace).toBe('sdk');
    expect(bad.log).toBe('signature verification failed');
    chain.commitPending();
  });

  it('broadcastTxAsync returns the hash at once', async () => {
    const tx = toUtf8('async tx');
    const res = await client.broadcastTxAsync({ tx });
    expect(toHex(res.hash)).toBe(toHex(sha256(tx)));
    chain.commitPending();
  });

  it('broadcastTxCommit waits for the block and reports both results', async () => {
    chain.autoCommitMs = 20;
    try {
      const tx = toUtf8('commit tx');
      const res = await client.broadcastTxCommit({ tx });
      expect(res.checkTx.code).toBe(0);
      expect(res.txResult?.code).toBe(0);
      expect(res.txResult?.gasUsed).toBe(51_234n);
      expect(res.height).toBe(chain.height());
      expect(toHex(res.hash)).toBe(toHex(sha256(tx)));

      const rejected = await client.broadcastTxCommit({ tx: new Uint8Array([FAIL_CHECK]) });
      expect(rejected.checkTx.code).toBe(4);
      expect(rejected.height).toBe(0);
    } finally {
      chain.autoCommitMs = undefined;
    }
  });

  it('broadcastTxCommit times out with CometBFT error text when no block includes the tx', async () => {
    await expect(client.broadcastTxCommit({ tx: toUtf8('never committed') })).rejects.toThrow(/timed out waiting for tx to be included in a block/);
    chain.pending.splice(0);
  });
});

describe('RPC with @cosmjs/stargate', () => {
  it('StargateClient reads chain id, height, blocks and txs', async () => {
    const sg = await StargateClient.connect(server.address);
    try {
      expect(await sg.getChainId()).toBe(CHAIN_ID);
      expect(await sg.getHeight()).toBe(chain.height());
      const b = await sg.getBlock(2);
      expect(b.txs).toHaveLength(3);
      const t = await sg.getTx(toHex(sha256(TX_A)).toUpperCase());
      expect(t?.height).toBe(2);
      expect(t?.gasUsed).toBe(51_234n);
      const found = await sg.searchTx('tx.height=2');
      expect(found).toHaveLength(3);
    } finally {
      sg.disconnect();
    }
  });
});

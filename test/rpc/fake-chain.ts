/**
 * A small in-memory chain implementing RpcBackend from plain objects: blocks with
 * real Merkle data hashes, per-tx results with events, an indexer over the RPC's own
 * query language, and a mempool that can commit what it admits after a short delay.
 */
import { createHash } from 'node:crypto';
import type { Event, ExecTxResult, ResponseCheckTx, ResponseFinalizeBlock, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { hashFromByteSlices } from '../../app/consensus/encoding/merkle.js';
import type { IndexedTx, NewBlockEvent, StoredBlock } from '../../app/consensus/types.js';
import type { RpcBackend, RpcValidator } from '../../app/rpc/backend.js';
import { newEventMap, parseQuery, type EventMap } from '../../app/rpc/events/query.js';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { hex } from '../../app/rpc/encoding/primitives.js';

export const CHAIN_ID = 'guts-test-1';
export const GENESIS_SECONDS = 1_780_000_000n;

export function sha256(b: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(b).digest());
}

function filled(len: number, byte: number): Uint8Array {
  return new Uint8Array(len).fill(byte);
}

export const VALIDATOR: RpcValidator = {
  address: filled(20, 0xab),
  pubKey: filled(32, 0x11),
  votingPower: 10n,
  proposerPriority: 0n,
};

/** Txs starting with this byte fail CheckTx; with FAIL_DELIVER they fail in the block. */
export const FAIL_CHECK = 0xff;
export const FAIL_DELIVER = 0xee;

/** What a successful tx's `data` holds in cosmos-sdk (StargateClient decodes it). */
export const TX_DATA = TxMsgData.encode({ data: [], msgResponses: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSendResponse', value: new Uint8Array() }] }).finish();

export function txResultFor(tx: Uint8Array): ExecTxResult {
  const events: Event[] = [
    {
      type: 'transfer',
      attributes: [
        { key: 'amount', value: `${tx.length * 100}stake`, index: true },
        { key: 'recipient', value: 'guts1recipient', index: true },
      ],
    },
    { type: 'message', attributes: [{ key: 'action', value: '/cosmos.bank.v1beta1.MsgSend', index: true }] },
  ];
  if (tx[0] === FAIL_DELIVER) {
    return { code: 5, data: new Uint8Array(), log: 'insufficient funds', info: '', gasWanted: 200_000n, gasUsed: 41_000n, events: [], codespace: 'sdk' };
  }
  return { code: 0, data: TX_DATA, log: '', info: '', gasWanted: 200_000n, gasUsed: 51_234n, events, codespace: '' };
}

export class FakeChain implements RpcBackend {
  readonly blocks: StoredBlock[] = [];
  readonly results: ResponseFinalizeBlock[] = [];
  readonly commits: Commit[] = [];
  readonly indexed: IndexedTx[] = [];
  readonly pending: Uint8Array[] = [];
  private readonly listeners = new Set<(ev: NewBlockEvent) => void>();
  /** When set, txs admitted to the mempool are committed in a block this many ms later. */
  autoCommitMs: number | undefined;

  nodeInfo() {
    return { id: 'cf4a66aa29e5123abfdfbdf485da6788bb8e46d1', listenAddr: 'tcp://0.0.0.0:26656', network: CHAIN_ID, moniker: 'test-node' };
  }
  validatorInfo() {
    return VALIDATOR;
  }
  genesis() {
    return {
      genesis_time: '2026-05-28T00:00:00Z',
      chain_id: CHAIN_ID,
      initial_height: '1',
      consensus_params: {
        block: { max_bytes: '22020096', max_gas: '-1' },
        evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
        validator: { pub_key_types: ['ed25519'] },
        version: { app: '0' },
        abci: { vote_extensions_enable_height: '0' },
      },
      validators: [{ address: hex(VALIDATOR.address), pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(VALIDATOR.pubKey).toString('base64') }, power: '10', name: '' }],
      app_hash: '',
      app_state: { bank: { balances: [] } },
    };
  }

  readonly app: RpcBackend['app'] = {
    info: async () => ({
      data: 'guts',
      version: '0.1.0',
      appVersion: 1n,
      lastBlockHeight: BigInt(this.height()),
      lastBlockAppHash: this.blocks.at(-1)?.block.header.appHash ?? new Uint8Array(),
    }),
    query: async (req): Promise<ResponseQuery> => {
      if (req.path === '/missing') {
        return { code: 38, log: 'not found', info: '', index: 0n, key: req.data, value: new Uint8Array(), height: BigInt(this.height()), codespace: 'sdk' };
      }
      return {
        code: 0,
        log: '',
        info: '',
        index: 0n,
        key: req.data,
        value: new TextEncoder().encode(`value-of-${req.path}`),
        proofOps: req.prove ? { ops: [{ type: 'ics23:iavl', key: req.data, data: new Uint8Array([1, 2, 3]) }] } : undefined,
        height: req.height === 0n ? BigInt(this.height()) : req.height,
        codespace: '',
      };
    },
  };

  readonly blockStore: RpcBackend['blockStore'] = {
    base: () => (this.blocks.length > 0 ? 1 : 0),
    height: () => this.height(),
    loadBlock: async (h) => this.blocks[h - 1],
    loadBlockByHash: async (hash) => this.blocks.find((b) => hex(b.blockId.hash) === hex(hash)),
    loadCommit: async (h) => this.commits[h - 1],
    loadResults: async (h) => this.results[h - 1],
    txByHash: async (hash) => this.indexed.find((t) => hex(t.hash) === hex(hash)),
    searchTxs: async (query, page, perPage, order) => {
      const q = parseQuery(query);
      const all = this.indexed.filter((t) => q.matches(txEventMap(t)));
      if (order === 'desc') all.reverse();
      return { txs: all.slice((page - 1) * perPage, page * perPage), total: all.length };
    },
    searchBlocks: async (query, page, perPage, order) => {
      const q = parseQuery(query);
      const all = this.blocks.map((_, i) => i + 1).filter((h) => q.matches({ 'block.height': [String(h)] }));
      if (order === 'desc') all.reverse();
      return { heights: all.slice((page - 1) * perPage, page * perPage), total: all.length };
    },
  };

  readonly mempool: RpcBackend['mempool'] = {
    add: async (tx): Promise<ResponseCheckTx> => {
      if (tx.length > 4_096) throw new Error('tx too large');
      if (tx[0] === FAIL_CHECK) {
        return { code: 4, data: new Uint8Array(), log: 'signature verification failed', info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: 'sdk' };
      }
      this.pending.push(tx);
      if (this.autoCommitMs !== undefined) setTimeout(() => this.commitPending(), this.autoCommitMs);
      return { code: 0, data: new Uint8Array(), log: '', info: '', gasWanted: 200_000n, gasUsed: 21_000n, events: [], codespace: '' };
    },
    size: () => this.pending.length,
    bytes: () => this.pending.reduce((n, t) => n + t.length, 0),
    reap: () => [...this.pending],
  };

  readonly consensus: RpcBackend['consensus'] = {
    onBlock: (listener) => {
      this.listeners.add(listener);
      return () => void this.listeners.delete(listener);
    },
  };

  async validators(height: number): Promise<RpcValidator[] | undefined> {
    return height >= 1 && height <= this.height() + 1 ? [VALIDATOR] : undefined;
  }

  async consensusParams(height: number): Promise<ConsensusParams | undefined> {
    if (height < 1 || height > this.height() + 1) return undefined;
    return {
      block: { maxBytes: 22_020_096n, maxGas: -1n },
      evidence: { maxAgeNumBlocks: 100_000n, maxAgeDuration: { seconds: 172_800n, nanos: 0 }, maxBytes: 1_048_576n },
      validator: { pubKeyTypes: ['ed25519'] },
      version: { app: 0n },
      abci: { voteExtensionsEnableHeight: 0n },
    };
  }

  catchingUp(): boolean {
    return false;
  }

  height(): number {
    return this.blocks.length;
  }

  commitPending(): void {
    if (this.pending.length === 0) return;
    this.commitBlock(this.pending.splice(0));
  }

  /** Append a block holding `txs`, index it and tell the listeners. */
  commitBlock(txs: Uint8Array[]): NewBlockEvent {
    const height = this.height() + 1;
    const prev = this.blocks.at(-1);
    const lastCommit = this.commits.at(-1);
    const block: Block = {
      header: {
        version: { block: 11n, app: 0n },
        chainId: CHAIN_ID,
        height: BigInt(height),
        // Nanos with and without trailing zeros, and a whole second at height 2.
        time: { seconds: GENESIS_SECONDS + BigInt(height), nanos: height === 2 ? 0 : 123_450_000 + height },
        lastBlockId: prev?.blockId ?? { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
        lastCommitHash: filled(32, 0x20 + height),
        dataHash: hashFromByteSlices(txs.map(sha256)),
        validatorsHash: filled(32, 0x33),
        nextValidatorsHash: filled(32, 0x33),
        consensusHash: filled(32, 0x44),
        appHash: filled(32, 0x50 + height),
        lastResultsHash: filled(32, 0x66),
        evidenceHash: sha256(new Uint8Array()),
        proposerAddress: VALIDATOR.address,
      },
      data: { txs },
      evidence: { evidence: [] },
      lastCommit,
    };
    const blockId: BlockID = { hash: filled(32, 0x80 + height), partSetHeader: { total: 1, hash: filled(32, 0x90 + height) } };
    const stored: StoredBlock = { block, blockId, size: 500 + txs.reduce((n, t) => n + t.length, 0) };
    const results: ResponseFinalizeBlock = {
      events: [{ type: 'coin_spent', attributes: [{ key: 'amount', value: '1stake', index: true }, { key: '', value: 'dropped', index: false }] }],
      txResults: txs.map(txResultFor),
      validatorUpdates: height === 1 ? [{ pubKey: { ed25519: VALIDATOR.pubKey }, power: 10n }] : [],
      consensusParamUpdates: undefined,
      appHash: filled(32, 0x50 + height),
    };
    const commit: Commit = {
      height: BigInt(height),
      round: 0,
      blockId,
      signatures: [
        { blockIdFlag: 2, validatorAddress: VALIDATOR.address, timestamp: { seconds: GENESIS_SECONDS + BigInt(height), nanos: 500 }, signature: filled(64, 0x77) },
        { blockIdFlag: 1, validatorAddress: new Uint8Array(), timestamp: { seconds: -62_135_596_800n, nanos: 0 }, signature: new Uint8Array() },
      ],
    };
    this.blocks.push(stored);
    this.results.push(results);
    this.commits.push(commit);
    txs.forEach((tx, index) => this.indexed.push({ hash: sha256(tx), height, index, tx, result: results.txResults[index] }));
    const ev: NewBlockEvent = { block: stored, results };
    for (const l of this.listeners) l(ev);
    return ev;
  }
}

function txEventMap(t: IndexedTx): EventMap {
  const m = newEventMap();
  m['tx.height'] = [String(t.height)];
  m['tx.hash'] = [hex(t.hash)];
  for (const e of t.result.events) for (const a of e.attributes) (m[`${e.type}.${a.key}`] ??= []).push(a.value);
  return m;
}

/**
 * The block store (CometBFT store/store.go + the kv indexers) over LevelDB sublevels.
 * `saveOps` only builds the writes: the node commits them in the same batch as the
 * state, so after a crash the block store and the app agree (DESIGN §3). Heights are
 * big-endian so keys sort by height; base and height are rebuilt from disk on open.
 *
 * blocks:  b ‖ be64(h) → Block proto        m ‖ be64(h) → BlockMeta proto
 *          x ‖ block hash → be64(h)
 *          v ‖ be64(h) → ValidatorSet in force from h (written when it changes)
 *          p ‖ be64(h) → ConsensusParams in force from h (written when they change)
 * commits: c ‖ be64(h) → canonical commit for h (block h+1's last_commit)
 *          s ‖ be64(h) → seen commit for h (only the latest is kept)
 *          k ‖ be64(h) → epoch checkpoint of h (host/checkpoint-codec.ts record)
 * results: be64(h) → ResponseFinalizeBlock proto
 */
import type { ResponseFinalizeBlock as ResponseFinalizeBlockT } from 'cosmjs-types/tendermint/abci/types';
import { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { BlockMeta, Commit } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { plain } from '../store/bytes.js';
import { Lru } from '../store/lru.js';
import type { BatchOp } from '../store/types.js';
import { encodeBlock } from './encoding/block.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './host/checkpoint-codec.js';
import { be64, concatBytes, readBe64, utf8 } from './keys.js';
import { blockEventOps, blockTxs, loadTxByHash, searchBlocks, searchTxs, txIndexOps, type BlockTxs, type Sublevel, type TxSource } from './txindex.js';
import type { BlockStore, IndexedTx, StoredBlock, TxSearchResult } from './types.js';

export type { Sublevel } from './txindex.js';

export interface BlockStoreSublevels {
  blocks: Sublevel;
  commits: Sublevel;
  results: Sublevel;
  txindex: Sublevel;
  evindex: Sublevel;
}

/** The block store's sublevels of the node's one database (`openChainDB(dir)`). */
export function blockStoreSublevels(db: { sublevel(name: string): Sublevel }): BlockStoreSublevels {
  return {
    blocks: db.sublevel('blocks'),
    commits: db.sublevel('commits'),
    results: db.sublevel('results'),
    txindex: db.sublevel('txindex'),
    evindex: db.sublevel('evindex'),
  };
}

/** The BlockStore plus what the RPC (`blockchain`, `validators`, `consensus_params`) and the producer need. */
export interface ChainBlockStore extends BlockStore {
  loadBlockMeta(height: number): Promise<BlockMeta | undefined>;
  /** The block's protobuf bytes as stored (`encodeBlock` of the block): what blocksync serves. */
  loadBlockBytes(height: number): Promise<Uint8Array | undefined>;
  /** The validator set that signs block `height` (the latest recorded at or below it). */
  loadValidators(height: number): Promise<ValidatorSet | undefined>;
  /** The consensus params in force at `height` (the latest recorded at or below it). */
  loadConsensusParams(height: number): Promise<ConsensusParams | undefined>;
  /** Record the validator set in force from `height` on; commit with the block batch. */
  validatorsOps(height: number, set: ValidatorSet): BatchOp[];
  /** Record the consensus params in force from `height` on; commit with the block batch. */
  consensusParamsOps(height: number, params: ConsensusParams): BatchOp[];
  /**
   * Replace the seen commit of the last block with one carrying more precommits (late
   * precommits). Only the tip has a seen commit: an earlier height's commit is the next
   * block's LastCommit and never changes.
   */
  saveSeenCommit(commit: Commit): Promise<void>;
  /** Store (or replace with more signatures) the epoch checkpoint of its height. */
  saveCheckpoint(checkpoint: Checkpoint): Promise<void>;
  loadCheckpoint(height: number): Promise<Checkpoint | undefined>;
  /** Heights that have a checkpoint, newest first: at most `limit`, all below `before` when given. */
  checkpointHeights(limit: number, before?: number): Promise<number[]>;
}

export class BlockStoreError extends Error {
  override readonly name = 'BlockStoreError';
}

const K = {
  block: (h: number) => concatBytes(utf8('b'), be64(h)),
  meta: (h: number) => concatBytes(utf8('m'), be64(h)),
  hash: (hash: Uint8Array) => concatBytes(utf8('x'), hash),
  vals: (h: number) => concatBytes(utf8('v'), be64(h)),
  params: (h: number) => concatBytes(utf8('p'), be64(h)),
  commit: (h: number) => concatBytes(utf8('c'), be64(h)),
  seen: (h: number) => concatBytes(utf8('s'), be64(h)),
  checkpoint: (h: number) => concatBytes(utf8('k'), be64(h)),
};

/** Parsed blocks the tx index keeps for lookups (each holds its block and results bytes). */
const RECENT_BLOCK_TXS = 4;

async function latestAtOrBelow(db: Sublevel, prefix: string, height: number): Promise<Uint8Array | undefined> {
  for await (const value of db.values({ gte: concatBytes(utf8(prefix), be64(0)), lte: concatBytes(utf8(prefix), be64(height)), reverse: true, limit: 1 })) {
    return value;
  }
  return undefined;
}

async function firstOrLastHeight(db: Sublevel, prefix: string, reverse: boolean): Promise<number> {
  const range = { gte: utf8(prefix), lt: utf8(String.fromCharCode(prefix.charCodeAt(0) + 1)), reverse, limit: 1 };
  for await (const key of db.keys(range)) return readBe64(key, 1);
  return 0;
}

export async function createBlockStore(s: BlockStoreSublevels): Promise<ChainBlockStore> {
  let base = await firstOrLastHeight(s.blocks, 'm', false);
  let height = await firstOrLastHeight(s.blocks, 'm', true);

  async function loadBlock(h: number): Promise<StoredBlock | undefined> {
    const [bytes, metaBytes] = await Promise.all([s.blocks.get(K.block(h)), s.blocks.get(K.meta(h))]);
    if (!bytes || !metaBytes) return undefined;
    const meta = BlockMeta.decode(metaBytes);
    return { block: Block.decode(bytes), blockId: meta.blockId, size: Number(meta.blockSize) };
  }

  async function loadBlockBytes(h: number): Promise<Uint8Array | undefined> {
    const bytes = await s.blocks.get(K.block(h));
    return bytes ? plain(bytes) : undefined;
  }

  // The tx index points into the blocks and results records (txindex.ts). The last few blocks
  // read stay parsed: clients look up txs of recent blocks, often several of one block, and a
  // stored block never changes.
  const recentBlockTxs = new Lru<Promise<BlockTxs | undefined>>(RECENT_BLOCK_TXS);
  const txSource: TxSource = {
    loadBlockTxs(h: number) {
      const id = String(h);
      let hit = recentBlockTxs.get(id);
      if (hit === undefined) {
        hit = Promise.all([loadBlockBytes(h), s.results.get(be64(h))]).then(([bytes, results]) =>
          bytes && results ? blockTxs(h, bytes, plain(results)) : undefined,
        );
        // only a parsed block is kept: a missing one may be stored later, a failed read retried
        hit.then((txs) => txs === undefined && recentBlockTxs.delete(id), () => recentBlockTxs.delete(id));
        recentBlockTxs.set(id, hit);
      }
      return hit;
    },
    async *txCounts(lo: number, hi: number) {
      const from = Math.max(lo, base);
      const to = Math.min(hi, height);
      if (height === 0 || from > to) return;
      for await (const value of s.blocks.values({ gte: K.meta(from), lte: K.meta(to) })) {
        const meta = BlockMeta.decode(value);
        yield [Number(meta.header?.height ?? 0n), Number(meta.numTxs)] as [number, number];
      }
    },
  };

  return {
    base: () => base,
    height: () => height,
    loadBlock,

    loadBlockBytes,

    async loadBlockByHash(hash: Uint8Array) {
      const h = await s.blocks.get(K.hash(hash));
      return h ? loadBlock(readBe64(h)) : undefined;
    },

    async loadBlockMeta(h: number) {
      const bytes = await s.blocks.get(K.meta(h));
      return bytes ? BlockMeta.decode(bytes) : undefined;
    },

    async loadCommit(h: number) {
      const bytes = (await s.commits.get(K.commit(h))) ?? (await s.commits.get(K.seen(h)));
      return bytes ? Commit.decode(bytes) : undefined;
    },

    async loadResults(h: number) {
      const bytes = await s.results.get(be64(h));
      return bytes ? ResponseFinalizeBlock.decode(bytes) : undefined;
    },

    txByHash: (hash: Uint8Array): Promise<IndexedTx | undefined> => loadTxByHash(s.txindex, txSource, hash),

    searchTxs: (query: string, page: number, perPage: number, order: 'asc' | 'desc'): Promise<TxSearchResult> =>
      searchTxs(s.txindex, txSource, query, page, perPage, order),

    searchBlocks: (query: string, page: number, perPage: number, order: 'asc' | 'desc') => searchBlocks(s.evindex, { base, height }, query, page, perPage, order),

    async loadValidators(h: number) {
      const bytes = await latestAtOrBelow(s.blocks, 'v', h);
      return bytes ? ValidatorSet.decode(bytes) : undefined;
    },

    async loadConsensusParams(h: number) {
      const bytes = await latestAtOrBelow(s.blocks, 'p', h);
      return bytes ? ConsensusParams.decode(bytes) : undefined;
    },

    validatorsOps: (h: number, set: ValidatorSet): BatchOp[] => [{ type: 'put', sublevel: s.blocks, key: K.vals(h), value: ValidatorSet.encode(set).finish() }],

    consensusParamsOps: (h: number, params: ConsensusParams): BatchOp[] => [
      { type: 'put', sublevel: s.blocks, key: K.params(h), value: ConsensusParams.encode(params).finish() },
    ],

    saveOps(stored: StoredBlock, seenCommit: Commit, results: ResponseFinalizeBlockT): BatchOp[] {
      const h = Number(stored.block.header.height);
      if (height !== 0 && h !== height + 1) throw new BlockStoreError(`cannot save block ${h}: the store holds blocks up to ${height}, expected ${height + 1}`);
      if (Number(seenCommit.height) !== h) throw new BlockStoreError(`seen commit is for height ${seenCommit.height}, block is ${h}`);
      const txs = stored.block.data.txs;
      if (results.txResults.length !== txs.length) throw new BlockStoreError(`block ${h} has ${txs.length} txs but ${results.txResults.length} results`);
      const meta: BlockMeta = {
        blockId: stored.blockId,
        blockSize: BigInt(stored.size),
        header: stored.block.header,
        numTxs: BigInt(txs.length),
      };
      const ops: BatchOp[] = [
        { type: 'put', sublevel: s.blocks, key: K.block(h), value: encodeBlock(stored.block) },
        { type: 'put', sublevel: s.blocks, key: K.meta(h), value: BlockMeta.encode(meta).finish() },
        { type: 'put', sublevel: s.blocks, key: K.hash(stored.blockId.hash), value: be64(h) },
        { type: 'put', sublevel: s.commits, key: K.seen(h), value: Commit.encode(seenCommit).finish() },
        { type: 'put', sublevel: s.results, key: be64(h), value: ResponseFinalizeBlock.encode(results).finish() },
      ];
      const last = stored.block.lastCommit;
      if (last && last.height > 0n) {
        ops.push({ type: 'put', sublevel: s.commits, key: K.commit(Number(last.height)), value: Commit.encode(last).finish() });
        ops.push({ type: 'del', sublevel: s.commits, key: K.seen(Number(last.height)) });
      }
      for (const op of txIndexOps(s.txindex, h, txs, results.txResults)) ops.push(op);
      ops.push(...blockEventOps(s.evindex, h, results.events));
      return ops;
    },

    async saveSeenCommit(commit: Commit) {
      const h = Number(commit.height);
      if (h !== height) throw new BlockStoreError(`cannot replace the seen commit of height ${h}: the last block is ${height}`);
      await s.commits.put(K.seen(h), Commit.encode(commit).finish());
    },

    async saveCheckpoint(cp: Checkpoint) {
      const h = Number(cp.height);
      if (!Number.isSafeInteger(h) || h < 1 || h > height) throw new BlockStoreError(`cannot store a checkpoint for height ${cp.height}: the store holds blocks up to ${height}`);
      await s.commits.put(K.checkpoint(h), encodeCheckpoint(cp));
    },

    async loadCheckpoint(h: number) {
      const bytes = Number.isSafeInteger(h) && h >= 0 ? await s.commits.get(K.checkpoint(h)) : undefined;
      return bytes ? decodeCheckpoint(bytes) : undefined;
    },

    async checkpointHeights(limit: number, before?: number) {
      const out: number[] = [];
      const lt = before === undefined ? utf8('l') : K.checkpoint(Math.max(0, before));
      for await (const key of s.commits.keys({ gte: K.checkpoint(0), lt, reverse: true, limit: Math.max(0, limit) })) out.push(readBe64(key, 1));
      return out;
    },

    markSaved(h: number) {
      if (height !== 0 && h !== height + 1) throw new BlockStoreError(`markSaved(${h}) out of order: store height is ${height}`);
      height = h;
      if (base === 0) base = h;
    },
  };
}

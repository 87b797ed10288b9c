/**
 * Blocksync in the node (DESIGN §6): before consensus starts, a node that is behind
 * asks its peers for their heights and for block ranges over the request/response
 * protocol `/guts/blocksync/1.0.0`, lets the sans-IO BlockSync (app/consensus/blocksync)
 * verify every commit against the validator set its own state trusts, applies each
 * block exactly as consensus would (app/consensus/host applyBlock: one atomic batch per
 * block), and hands over to consensus once it is within one block of its peers.
 *
 * Wire: a request is one BlockSyncMessage (statusRequest or blockRequest); a response
 * is a sequence of BlockSyncMessages, each preceded by its length as an unsigned varint.
 */
import type { Commit } from 'cosmjs-types/tendermint/types/types';
import {
  answerBlockRequest,
  createBlockSync,
  createCommitVerifier,
  decodeBlockSyncMessage,
  DEFAULT_LIMITS,
  encodeBlockSyncMessage,
  statusOf,
  type BlockSource,
  type BlockSyncConfig,
  type BlockSyncEffect,
  type BlockSyncMessage,
} from '../consensus/blocksync/index.js';
import { applyBlock, type ApplyParts } from '../consensus/host/apply.js';
import { loadChainState, type ChainState } from '../consensus/host/chain-state.js';
import type { Genesis } from '../../genesis/doc.js';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { createEd25519Verifier } from '../consensus/engine/crypto.js';
import type { P2PHost } from '../p2p/host/types.js';

export const BLOCKSYNC_PROTOCOL = '/guts/blocksync/1.0.0';
const MAX_REQUEST_BYTES = 1024;
const STATUS_POLL_MS = 1_000;
const TICK_MS = 200;
const STATUS_TIMEOUT_MS = 2_000;

interface RunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

function uvarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function frameMessages(msgs: BlockSyncMessage[]): Uint8Array {
  const parts = msgs.map(encodeBlockSyncMessage);
  const total = parts.reduce((n, p) => n + p.length + 5, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    const len = uvarint(p.length);
    out.set(len, off);
    off += len.length;
    out.set(p, off);
    off += p.length;
  }
  return out.subarray(0, off);
}

export function unframeMessages(bytes: Uint8Array): BlockSyncMessage[] {
  const out: BlockSyncMessage[] = [];
  let off = 0;
  while (off < bytes.length) {
    let len = 0;
    let mul = 1;
    let i = off;
    for (; ; i++) {
      if (i >= bytes.length || i >= off + 5) throw new Error('truncated length prefix');
      len += (bytes[i]! & 0x7f) * mul;
      mul *= 128;
      if ((bytes[i]! & 0x80) === 0) break;
    }
    off = i + 1;
    if (off + len > bytes.length) throw new Error(`message of ${len} bytes runs past the response`);
    out.push(decodeBlockSyncMessage(bytes.subarray(off, off + len)));
    off += len;
  }
  return out;
}

/** Answer peers' status and block requests from this node's block store. */
export function serveBlockSync(host: P2PHost, source: BlockSource): void {
  host.handle(
    BLOCKSYNC_PROTOCOL,
    async (req) => {
      const m = decodeBlockSyncMessage(req);
      if (m.type === 'statusRequest') return frameMessages([statusOf(source)]);
      if (m.type === 'blockRequest') return frameMessages(await answerBlockRequest(m, source));
      throw new Error(`${m.type} is not a request`);
    },
    { maxRequestBytes: MAX_REQUEST_BYTES, maxResponseBytes: DEFAULT_LIMITS.maxMessageBytes * 2 },
  );
}

export interface RunBlockSyncOptions {
  host: P2PHost;
  chainId: string;
  parts: ApplyParts;
  /** The node's state now (consensus host's chain state as stored). */
  state: ChainState;
  /** next_validators_hash of the stored block at `state.lastBlockHeight` (omit at genesis). */
  lastNextValidatorsHash?: Uint8Array;
  config?: Partial<BlockSyncConfig>;
  logger: RunnerLogger;
  /** Stop early (the node is shutting down). */
  signal?: AbortSignal;
}

export interface BlockSyncResult {
  /** Blocks applied by blocksync. */
  applied: number;
  /** The height the node is at afterwards. */
  height: number;
  ms: number;
}

/** Sync from peers until caught up; resolves with what was applied. Rejects on `halt` (state disagrees with the chain). */
export function runBlockSync(opts: RunBlockSyncOptions): Promise<BlockSyncResult> {
  const { host, chainId, parts, logger: log } = opts;
  let state = opts.state;
  const started = Date.now();
  let applied = 0;
  const bs = createBlockSync({
    chainId,
    height: BigInt(state.lastBlockHeight),
    validatorsAt: (h) => (h === BigInt(state.height) ? state.validators : h === BigInt(state.height) + 1n ? state.nextValidators : undefined),
    last: state.lastBlockHeight > 0 && opts.lastNextValidatorsHash ? { blockId: state.lastBlockId, nextValidatorsHash: opts.lastNextValidatorsHash } : undefined,
    config: opts.config,
    // every signature still checked, with node:crypto: noble's verifier alone does 7-18 blocks/s here
    verifyCommit: createCommitVerifier(createEd25519Verifier()),
    nowMs: Date.now(),
  });

  return new Promise<BlockSyncResult>((resolve, reject) => {
    let done = false;
    const applyQueue: Extract<BlockSyncEffect, { type: 'apply' }>[] = [];
    let applying = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearInterval(ticker);
      clearInterval(poller);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve({ applied, height: state.lastBlockHeight, ms: Date.now() - started });
    };
    const onAbort = () => finish();
    opts.signal?.addEventListener('abort', onAbort);

    const feed = (msgs: BlockSyncMessage[], peer: string, fromHeight?: bigint) => {
      for (const m of msgs) {
        if (done) return;
        if (m.type === 'statusResponse') handle(bs.peerStatus(peer, m.base, m.height, Date.now()));
        else if (m.type === 'blockResponse') {
          for (const b of m.blocks) handle(bs.blockResponse(peer, (b.commit as Commit).height, b.block, b.commit, Date.now()));
        } else if (m.type === 'noBlockResponse') handle(bs.noBlock(peer, m.height, Date.now()));
        else log.debug({ peer, type: m.type, fromHeight: fromHeight?.toString() }, 'unexpected blocksync message');
      }
    };

    const request = async (peer: string, m: BlockSyncMessage, timeoutMs?: number) => {
      try {
        const res = await host.request(peer, BLOCKSYNC_PROTOCOL, encodeBlockSyncMessage(m), { timeoutMs, maxResponseBytes: DEFAULT_LIMITS.maxMessageBytes * 2 });
        feed(unframeMessages(res), peer, m.type === 'blockRequest' ? m.fromHeight : undefined);
      } catch (err) {
        if (done) return;
        log.debug({ peer, err: (err as Error).message }, 'blocksync request failed');
        handle(bs.peerDown(peer, Date.now()));
      }
    };

    const drainApplies = async () => {
      if (applying) return;
      applying = true;
      try {
        while (applyQueue.length > 0 && !done) {
          const e = applyQueue.shift()!;
          const r = await applyBlock(parts, state, e.blockId, e.blockBytes, e.commit);
          state = r.next;
          applied++;
          handle(bs.applied(e.height, Date.now()));
        }
      } catch (err) {
        finish(err as Error);
      } finally {
        applying = false;
      }
    };

    function handle(effects: BlockSyncEffect[]): void {
      for (const e of effects) {
        if (done) return;
        switch (e.type) {
          case 'request':
            void request(e.peer, { type: 'blockRequest', fromHeight: e.fromHeight, count: e.count });
            break;
          case 'apply':
            applyQueue.push(e);
            void drainApplies();
            break;
          case 'misbehaviour':
            log.warn({ peer: e.peer, reason: e.reason, detail: e.detail }, 'blocksync peer misbehaved');
            break;
          case 'peerTimedOut':
            log.debug({ peer: e.peer, detail: e.detail }, 'blocksync peer timed out');
            break;
          case 'caughtUp':
            // let queued applies finish first
            void (async () => {
              while (applying || applyQueue.length > 0) await new Promise((r) => setTimeout(r, 10));
              finish();
            })();
            break;
          case 'halt':
            finish(new Error(`blocksync halted: ${e.reason}`));
            break;
        }
      }
    }

    const poll = () => {
      for (const p of host.peers()) void request(p.id, { type: 'statusRequest' }, STATUS_TIMEOUT_MS);
    };
    const ticker = setInterval(() => handle(bs.tick(Date.now())), TICK_MS);
    const poller = setInterval(poll, STATUS_POLL_MS);
    poll();
  });
}

export interface SyncFromPeersOptions {
  host: P2PHost;
  chainId: string;
  app: ApplyParts['app'];
  blockStore: ApplyParts['blockStore'];
  mempool: ApplyParts['mempool'];
  /** The consensus host, not started yet: its evidence pool records committed evidence. */
  consensus: { readonly evidence: ApplyParts['evidence'] };
  genesis: Genesis;
  consensusParams: ConsensusParams;
  log: RunnerLogger & ApplyParts['logger'];
  config?: Partial<BlockSyncConfig>;
  signal?: AbortSignal;
}

/** Load the node's chain state and blocksync from peers until caught up (a lone node waits `startupGraceMs`, 5 s). */
export async function syncFromPeers(o: SyncFromPeersOptions): Promise<BlockSyncResult> {
  const state = await loadChainState({
    app: o.app,
    blockStore: o.blockStore,
    chainId: o.chainId,
    initialHeight: Number(o.genesis.initialHeight),
    genesisTime: o.genesis.genesisTime,
    consensusParams: o.consensusParams,
  });
  const last = state.lastBlockHeight > 0 ? await o.blockStore.loadBlock(state.lastBlockHeight) : undefined;
  return runBlockSync({
    host: o.host,
    chainId: o.chainId,
    parts: { app: o.app, blockStore: o.blockStore, mempool: o.mempool, evidence: o.consensus.evidence, logger: o.log },
    state,
    lastNextValidatorsHash: last?.block.header?.nextValidatorsHash,
    // peers take a few seconds to dial, secure and answer on a loaded machine: wait longer than
    // the core's 5 s for the first one before deciding this node is alone
    // and hand over within 10 blocks: the engine fetches the last few by commit requests,
    // and a chain with sub-second blocks never lets a syncing node get within 1
    config: { startupGraceMs: 15_000, caughtUpMargin: 10, ...o.config },
    logger: o.log,
    signal: o.signal,
  });
}

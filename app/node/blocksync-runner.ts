/**
 * Blocksync in the node (DESIGN §6): before consensus starts, a node that is behind
 * asks its peers for their heights and for block ranges over the request/response
 * protocol `/guts/blocksync/1.0.0`, lets the sans-IO BlockSync (app/consensus/blocksync)
 * verify every commit against the validator set its own state trusts, applies each
 * block exactly as consensus would (app/consensus/host applyBlock: one atomic batch per
 * block), and hands over to consensus once it is within a few blocks of its peers.
 * While consensus runs, `createSyncingConsensus` keeps asking peers for their heights
 * and, when a third of them are more than `switchMargin` blocks ahead, stops the
 * consensus host (as a crash would: the WAL and the privval's last-sign state stay
 * valid), blocksyncs and starts a fresh host at the new height. Peers that send
 * invalid blocks or commits, undecodable messages or heights they do not have are
 * reported to the peer layer (`P2PHost.reportPeer`).
 *
 * Wire: a request is one BlockSyncMessage (statusRequest or blockRequest); a response
 * is a sequence of BlockSyncMessages, each preceded by its length as an unsigned varint.
 */
import type { Commit } from 'cosmjs-types/tendermint/types/types';
import {
  answerBlockRequest,
  BlockSyncDecodeError,
  shouldSwitchToBlocksync,
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
import { applyBlock, type Applied, type ApplyParts } from '../consensus/host/apply.js';
import type { ConsensusHost } from '../consensus/host/host.js';
import type { NewBlockEvent } from '../consensus/types.js';
import { bytesEqual } from '../consensus/validators.js';
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
/** Peers asked for their height per round while consensus runs (rotating through the rest). */
const WATCH_PEERS_PER_ROUND = 16;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

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
      if (i >= bytes.length || i >= off + 5) throw new BlockSyncDecodeError('malformed', 'truncated length prefix');
      len += (bytes[i]! & 0x7f) * mul;
      mul *= 128;
      if ((bytes[i]! & 0x80) === 0) break;
    }
    off = i + 1;
    if (off + len > bytes.length) throw new BlockSyncDecodeError('malformed', `message of ${len} bytes runs past the response`);
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
  /** Each block once applied and stored (RPC NewBlock events, the bridge's validator set). */
  onApplied?: (a: Applied) => void;
  /**
   * Verify a tx's signatures ahead of its block (the app's CheckTx precheck, which
   * remembers what it verified): run for the txs of verified blocks waiting to be applied,
   * so their signatures are checked on the verifier's threads while the block before
   * executes. Failures are ignored here; FinalizeBlock decides.
   */
  precheck?: (tx: Uint8Array) => Promise<void>;
}

export interface BlockSyncResult {
  /** Blocks applied by blocksync. */
  applied: number;
  /** The height the node is at afterwards. */
  height: number;
  ms: number;
  /** When the first and the last block were stored, ms after the start (undefined when none was applied). */
  firstAppliedMs?: number;
  lastAppliedMs?: number;
  /** CPU time of this process (all of it: serving peers, RPC, …) while blocksync ran, ms. */
  cpuMs: number;
}

/** Sync from peers until caught up; resolves with what was applied. Rejects on `halt` (state disagrees with the chain). */
export function runBlockSync(opts: RunBlockSyncOptions): Promise<BlockSyncResult> {
  const { host, chainId, parts, logger: log } = opts;
  let state = opts.state;
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  let applied = 0;
  let firstAppliedMs: number | undefined;
  let lastAppliedMs: number | undefined;
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
    let heardStatus = false;
    const asking = new Set<string>();
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearInterval(ticker);
      clearInterval(poller);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else {
        const cpu = process.cpuUsage(cpu0);
        resolve({ applied, height: state.lastBlockHeight, ms: Date.now() - started, firstAppliedMs, lastAppliedMs, cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
      }
    };
    const onAbort = () => finish();
    opts.signal?.addEventListener('abort', onAbort);

    const feed = (msgs: BlockSyncMessage[], peer: string, fromHeight?: bigint) => {
      for (const m of msgs) {
        if (done) return;
        if (m.type === 'statusResponse') {
          heardStatus = true;
          handle(bs.peerStatus(peer, m.base, m.height, Date.now()));
        } else if (m.type === 'blockResponse') {
          for (const b of m.blocks) handle(bs.blockResponse(peer, (b.commit as Commit).height, b.block, b.commit, Date.now()));
        } else if (m.type === 'noBlockResponse') handle(bs.noBlock(peer, m.height, Date.now()));
        else log.debug({ peer, type: m.type, fromHeight: fromHeight?.toString() }, 'unexpected blocksync message');
      }
    };

    const request = async (peer: string, m: BlockSyncMessage, timeoutMs?: number) => {
      let msgs: BlockSyncMessage[];
      try {
        const res = await host.request(peer, BLOCKSYNC_PROTOCOL, encodeBlockSyncMessage(m), { timeoutMs, maxResponseBytes: DEFAULT_LIMITS.maxMessageBytes * 2 });
        msgs = unframeMessages(res);
      } catch (err) {
        if (done) return;
        if (err instanceof BlockSyncDecodeError) {
          log.warn({ peer, reason: err.reason, err: err.message }, 'blocksync peer sent an undecodable response');
          host.reportPeer(peer, 'invalid', `blocksync: undecodable response (${err.message})`);
        } else log.debug({ peer, err: (err as Error).message }, 'blocksync request failed');
        handle(bs.peerDown(peer, Date.now()));
        return;
      }
      if (!done) feed(msgs, peer, m.type === 'blockRequest' ? m.fromHeight : undefined);
    };

    const drainApplies = async () => {
      if (applying) return;
      applying = true;
      try {
        while (applyQueue.length > 0 && !done) {
          const e = applyQueue.shift()!;
          // the commit proves this is the chain's block: a header that disagrees with our state means our state diverged
          const h = e.block.header;
          if (!bytesEqual(h.appHash, state.appHash) || !bytesEqual(h.lastResultsHash, state.lastResultsHash)) {
            throw new Error(`blocksync halted: block ${e.height}, committed by the validators, names app hash ${hex(h.appHash)} and last results hash ${hex(h.lastResultsHash)}; this node's state has ${hex(state.appHash)} and ${hex(state.lastResultsHash)}`);
          }
          const r = await applyBlock(parts, state, e.blockId, e.blockBytes, e.commit);
          state = r.next;
          applied++;
          lastAppliedMs = Date.now() - started;
          firstAppliedMs ??= lastAppliedMs;
          opts.onApplied?.(r);
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
            if (opts.precheck) for (const tx of e.block.data?.txs ?? []) opts.precheck(tx).catch(() => undefined);
            applyQueue.push(e);
            void drainApplies();
            break;
          case 'misbehaviour':
            log.warn({ peer: e.peer, reason: e.reason, detail: e.detail }, 'blocksync peer misbehaved');
            host.reportPeer(e.peer, 'invalid', `blocksync ${e.reason}: ${e.detail}`);
            break;
          case 'peerTimedOut':
            // slow, not proven malicious
            log.debug({ peer: e.peer, detail: e.detail }, 'blocksync peer timed out');
            host.reportPeer(e.peer, 'minor', `blocksync: ${e.detail}`);
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

    /** Ask every connected peer for its status, one request in flight per peer. */
    const poll = () => {
      for (const p of host.peers()) {
        if (asking.has(p.id)) continue;
        asking.add(p.id);
        void request(p.id, { type: 'statusRequest' }, STATUS_TIMEOUT_MS).finally(() => asking.delete(p.id));
      }
    };
    const ticker = setInterval(() => {
      // Until a first peer has answered (a node that just started is still dialling), ask on
      // every tick rather than every STATUS_POLL_MS: the first block came ~1.4 s after the
      // start in bench:blocksync:node, most of it waiting for the next poll.
      if (!heardStatus) poll();
      handle(bs.tick(Date.now()));
    }, TICK_MS);
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
  onApplied?: (a: Applied) => void;
  precheck?: RunBlockSyncOptions['precheck'];
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
    // four ranges in flight per peer: the next ones travel while a range is applied
    config: { startupGraceMs: 15_000, caughtUpMargin: 10, maxInFlightPerPeer: 80, ...o.config },
    logger: o.log,
    signal: o.signal,
    onApplied: o.onApplied,
    precheck: o.precheck,
  });
}

/** Ask up to `limit` peers (starting at `offset` in the peer list) for their block store height. */
export async function peerHeights(host: P2PHost, limit: number, offset = 0): Promise<Map<string, bigint>> {
  const all = host.peers();
  const chosen = all.length <= limit ? all : Array.from({ length: limit }, (_, i) => all[(offset + i) % all.length]!);
  const out = new Map<string, bigint>();
  await Promise.all(
    chosen.map(async (p) => {
      let msgs: BlockSyncMessage[];
      try {
        msgs = unframeMessages(await host.request(p.id, BLOCKSYNC_PROTOCOL, encodeBlockSyncMessage({ type: 'statusRequest' }), { timeoutMs: STATUS_TIMEOUT_MS, maxResponseBytes: 64 }));
      } catch (err) {
        if (err instanceof BlockSyncDecodeError) host.reportPeer(p.id, 'invalid', `blocksync: undecodable status (${err.message})`);
        return; // unreachable or slow: it does not count
      }
      const st = msgs.length === 1 && msgs[0]!.type === 'statusResponse' ? msgs[0] : undefined;
      if (st) out.set(p.id, st.height);
      else host.reportPeer(p.id, 'invalid', 'blocksync: a status request answered with something else');
    }),
  );
  return out;
}

export interface SyncingConsensusOptions {
  /** A fresh consensus host over the node's parts (each switch back to consensus builds a new one). */
  makeHost: () => ConsensusHost;
  p2p: P2PHost;
  /** What `syncFromPeers` needs besides the host, the evidence pool, `signal` and `onApplied`. */
  sync: Omit<SyncFromPeersOptions, 'host' | 'consensus' | 'signal' | 'onApplied'>;
  /** Blocksync before consensus first starts (false when this node alone holds more than 2/3 of the power). */
  syncFirst: boolean;
  /** Switch from consensus to blocksync when a third of the peers asked are more than this many blocks ahead (`consensus.blocksync_switch_margin`). */
  switchMargin: number;
  /** How often peers are asked for their heights while consensus runs (default 2 s). */
  watchIntervalMs?: number;
  log: SyncFromPeersOptions['log'];
  /** Called once if the switch fails (the node should exit). */
  onFatal?: (err: Error) => void;
}

export interface SyncingConsensus extends ConsensusHost {
  /** True while blocksync runs (before consensus first starts, or after a switch). */
  syncing(): boolean;
  /** How many times consensus was stopped for blocksync. */
  switches(): number;
}

/**
 * The node's consensus: a consensus host, preceded by blocksync when the node starts
 * behind, and replaced by blocksync whenever the node falls more than `switchMargin`
 * blocks behind its peers while in consensus. A switch stops the host as a crash would
 * (the WAL stays valid, the privval's last-sign state is on disk), applies verified
 * blocks, then starts a new host at the new height: its WAL's last height is behind the
 * block store, so it starts the next height afresh and never signs at a height it
 * signed before; if no block was applied it replays its WAL as after a restart.
 * Block listeners see blocks from consensus and from blocksync alike.
 */
export function createSyncingConsensus(o: SyncingConsensusOptions): SyncingConsensus {
  const log = o.log;
  const listeners = new Set<(ev: NewBlockEvent) => void>();
  const emit = (ev: NewBlockEvent) => {
    for (const l of listeners) {
      try {
        l(ev);
      } catch (err) {
        log.warn({ height: Number(ev.block.block.header?.height ?? 0n), err: (err as Error).message }, 'onBlock listener failed');
      }
    }
  };
  const minLag = BigInt(o.switchMargin) + 1n;
  // hand back to consensus well inside the switch margin, so the node does not switch again at once
  const handOverMargin = Math.max(1, Math.min(10, Math.floor(o.switchMargin / 2)));
  const watchMs = o.watchIntervalMs ?? 2_000;
  let current = o.makeHost();
  let offCurrent = current.onBlock(emit);
  let syncingNow = false;
  let switchCount = 0;
  let stopped = false;
  let started = false;
  const abort = new AbortController();
  let watchTimer: NodeJS.Timeout | undefined;
  let watchOffset = 0;
  let switching: Promise<void> = Promise.resolve();

  const sync = async () => {
    syncingNow = true;
    try {
      const r = await syncFromPeers({ ...o.sync, host: o.p2p, consensus: current, signal: abort.signal, config: { caughtUpMargin: handOverMargin, ...o.sync.config }, onApplied: (a) => emit({ block: a.stored, results: a.results }) });
      log.info({ ...r, blocksPerSecond: Math.round((r.applied * 1000) / Math.max(1, r.ms)) }, 'blocksync done');
    } finally {
      syncingNow = false;
    }
  };

  const watch = () => {
    if (stopped) return;
    watchTimer = setTimeout(() => {
      check().catch((err: Error) => {
        log.warn({ err: err.message }, 'asking peers for their heights failed');
        watch();
      });
    }, watchMs);
  };

  const check = async () => {
    watchTimer = undefined;
    if (stopped) return;
    const heights = await peerHeights(o.p2p, WATCH_PEERS_PER_ROUND, watchOffset);
    watchOffset += WATCH_PEERS_PER_ROUND;
    if (stopped) return;
    const own = BigInt(current.height());
    if (!shouldSwitchToBlocksync(own, heights.values(), { minLag })) return watch();
    const top = [...heights.values()].reduce((a, b) => (b > a ? b : a), 0n);
    log.warn({ height: Number(own), bestPeerHeight: Number(top), peersAsked: heights.size, switchMargin: o.switchMargin }, 'behind peers: switching from consensus to blocksync');
    switching = switchToBlocksync().catch((err: Error) => {
      if (stopped) return;
      log.error({ err: err.message }, 'blocksync after a switch failed');
      o.onFatal?.(err);
    });
  };

  const switchToBlocksync = async () => {
    switchCount++;
    syncingNow = true;
    await current.stop();
    offCurrent();
    if (stopped) return;
    await sync();
    if (stopped) return;
    current = o.makeHost();
    offCurrent = current.onBlock(emit);
    await current.start();
    log.info({ height: current.height() }, 'back to consensus after blocksync');
    watch();
  };

  return {
    get evidence() {
      return current.evidence;
    },
    async start() {
      if (started) return;
      started = true;
      if (o.syncFirst) await sync();
      if (stopped) return;
      await current.start();
      watch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      if (watchTimer) clearTimeout(watchTimer);
      await switching;
      await current.stop();
    },
    onBlock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // while blocksync runs the stopped host's state is behind the block store
    height: () => (syncingNow ? o.sync.blockStore.height() : current.height()),
    roundState: () => (syncingNow ? undefined : current.roundState()),
    validators: () => (syncingNow ? undefined : current.validators()),
    catchingUp: () => syncingNow || current.catchingUp(),
    syncing: () => syncingNow,
    switches: () => switchCount,
  };
}

/**
 * The consensus host: runs the sans-IO Tendermint engine (../engine) in a node with real
 * parts, following the engine README's host contract:
 *
 * 1. every event is appended to the WAL before `handle`;
 * 2. `wal.sync()` before signing, so a replay reaches the same decision;
 * 3. our signed vote or proposal is appended and synced before `handle` (no vote
 *    leaves the node before it is durable, DESIGN §6);
 * 4. effects are carried out in order, one event at a time (a serial pump: answers
 *    such as `signedVote` or `blockValidated` queue behind the effects in flight);
 * 5. `commit` executes and stores the block in one batch, then `start`s height+1;
 * 6. on start, a WAL whose last `start` is for the next height is replayed into a fresh
 *    engine (effects discarded) and `resume(now)` is carried out; otherwise the next
 *    height starts afresh.
 *
 * The clock is read here only (`now` on every event, timers for `schedule`).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import { SignedMsgType, type Commit } from 'cosmjs-types/tendermint/types/types';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { Application } from '../../abci.js';
import type { ChainBlockStore, Sublevel } from '../blockstore.js';
import { encodeBlock } from '../encoding/block.js';
import { timestampToMs } from '../encoding/time.js';
import { createEd25519Verifier } from '../engine/crypto.js';
import { createEngine, type Engine } from '../engine/engine.js';
import type { Effect, EngineConfig, EngineEvent, RoundStateView, VerifyFn } from '../engine/types.js';
import { FileWal } from '../engine/wal.js';
import { createEvidencePool, evidenceBytes, type EvidencePool } from '../evidence-pool.js';
import { maxDataBytes } from '../params.js';
import { DoubleSignError } from '../privval.js';
import type { ConsensusEngine, LockableMempool, NewBlockEvent, PrivValidator } from '../types.js';
import { applyBlock } from './apply.js';
import { createCheckpointCollector, type CheckpointSigner } from './checkpoints.js';
import { buildBlock } from './block.js';
import { loadChainState, type ChainState } from './chain-state.js';
import { decodeCommitResponse, decodeWire, encodeCommitResponse, encodeWire, WireError, type WireMessage } from './codec.js';
import type { ConsensusTransport, PeerId } from './transport.js';
import { ConsensusHostError, silentLogger, type HostLogger } from './types.js';
import { validateBlock, type ProcessProposal } from './validate.js';

/** Events waiting for the pump beyond which peers' messages are dropped (a flood must not grow memory). */
export const MAX_QUEUED_EVENTS = 10_000;
/** Peers' evidence being verified at once beyond which more is dropped (each costs two signature checks and two reads). */
export const MAX_EVIDENCE_IN_FLIGHT = 64;

export interface ConsensusHostInit {
  app: Application;
  blockStore: ChainBlockStore;
  mempool: LockableMempool;
  /** This node's validator key; omit to follow the chain without voting. */
  privValidator?: PrivValidator;
  chainId: string;
  /** Genesis `initial_height` (default 1). */
  initialHeight?: number;
  /** Genesis time: the time of the block at the initial height; the first height starts no earlier. */
  genesisTime: Timestamp;
  /** Genesis consensus params (CometBFT defaults when omitted). */
  consensusParams?: ConsensusParams;
  /** The consensus WAL file (the node uses `<home>/data/cs.wal/wal`). */
  walPath: string;
  /** Sublevel recording committed evidence (written in each block's batch). */
  evidenceDb: Sublevel;
  /** The peer layer; none for a chain this node decides alone. */
  transport?: ConsensusTransport;
  /** Engine timeouts and limits (CometBFT defaults when omitted). */
  engineConfig?: Partial<EngineConfig>;
  /** Make blocks without txs (default true); when false, wait for txs, a block that commits a new app hash, or a peer's next height. */
  createEmptyBlocks?: boolean;
  /** Re-send our messages of a round that has not moved for this long (ms, default 1000). */
  gossipIntervalMs?: number;
  /** ProcessProposal: the app's stateless check of a proposed block's txs. */
  processProposal?: ProcessProposal;
  verify?: VerifyFn;
  logger?: HostLogger;
  /**
   * Signs epoch checkpoints with this node's consensus key (default: the privValidator
   * when it has `signCheckpoint`). Without one the node still collects, verifies and
   * stores the checkpoints its peers sign.
   */
  checkpointSigner?: CheckpointSigner;
  /** Called once if consensus stops on an error (the node should exit: state may need an operator). */
  onFatal?: (err: Error) => void;
}

export interface ConsensusHost extends ConsensusEngine {
  /** Height of the last committed block (0 before the first). */
  height(): number;
  /** The engine's round state (undefined before the first height starts). */
  roundState(): RoundStateView | undefined;
  /** The validator set deciding the current height (with proposer priorities), once started. */
  validators(): ValidatorSet | undefined;
  /** The last block was decided from a peer's commit (we were behind), not by our own round (RPC `catching_up`). */
  catchingUp(): boolean;
  readonly evidence: EvidencePool;
}

interface Queued {
  event?: EngineEvent;
  /** Append and sync before handling (our own signed messages). */
  durable?: boolean;
  /** Effects to carry out without an event (after a WAL replay). */
  effects?: Effect[];
  fromPeer?: boolean;
}

const NO_BYTES = new Uint8Array(0);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();

export function createConsensusHost(init: ConsensusHostInit): ConsensusHost {
  const { app, blockStore, mempool, privValidator: pv, chainId, transport } = init;
  const log = init.logger ?? silentLogger;
  const verify = init.verify ?? createEd25519Verifier();
  const createEmptyBlocks = init.createEmptyBlocks ?? true;
  const gossipMs = init.gossipIntervalMs ?? 1000;
  const evidence = createEvidencePool({ chainId, verify, blockStore, db: init.evidenceDb });
  const checkpoints = createCheckpointCollector({
    chainId,
    verify,
    blockStore,
    signer: init.checkpointSigner ?? (pv && isCheckpointSigner(pv) ? pv : undefined),
    broadcast: (m) => broadcast({ type: 'checkpointSignature', ...m }),
    report: (peer, reason, detail) => transport?.report(peer, reason, detail),
    logger: log,
  });
  const listeners = new Set<(ev: NewBlockEvent) => void>();
  const timers = new Set<NodeJS.Timeout>();
  const queue: Queued[] = [];

  let state: ChainState | undefined;
  let engine: Engine | undefined;
  let wal: FileWal | undefined;
  /** True while `pump` runs; set and cleared synchronously, so no queued event is ever left without a pump. */
  let pumping = false;
  let pumped: Promise<void> = Promise.resolve();
  let gossipTimer: NodeJS.Timeout | undefined;
  let detach: (() => void) | undefined;
  let started = false;
  let dead = false;
  /** Waiting for txs before entering the next height (createEmptyBlocks false). */
  let heldStart: (() => void) | undefined;
  let lastGossipKey = '';
  let evidenceInFlight = 0;
  /** Height of the last peer commit handed to the engine, and whether the last block came that way. */
  let lastPeerCommitHeight = -1n;
  let behind = false;

  const now = () => Date.now();

  function later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!dead) fn();
    }, ms);
    timers.add(t);
  }

  function fatal(err: Error): void {
    if (dead) return;
    log.error({ err: err.message, stack: err.stack }, 'consensus halted');
    shutdown();
    init.onFatal?.(err);
  }

  function shutdown(): void {
    dead = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (gossipTimer) clearInterval(gossipTimer);
    detach?.();
    detach = undefined;
  }

  function enqueue(item: Queued): void {
    if (dead) return;
    if (item.fromPeer && queue.length >= MAX_QUEUED_EVENTS) return;
    queue.push(item);
    if (!pumping) {
      pumping = true;
      pumped = pump();
    }
  }

  const deliver = (event: EngineEvent, durable = false) => enqueue({ event, durable });

  async function pump(): Promise<void> {
    try {
      while (queue.length > 0 && !dead) {
        const item = queue.shift()!;
        let effects = item.effects ?? [];
        if (item.event) {
          await wal!.append(item.event);
          if (item.durable) await wal!.sync();
          if (dead) return;
          effects = engine!.handle(item.event);
        }
        for (const eff of effects) {
          if (dead) return;
          await carryOut(eff);
        }
      }
    } catch (err) {
      fatal(err instanceof Error ? err : new Error(String(err)));
    } finally {
      pumping = false;
    }
  }

  function broadcast(m: WireMessage): void {
    if (transport && !dead) transport.broadcast(encodeWire(m));
  }

  async function carryOut(eff: Effect): Promise<void> {
    const s = state!;
    switch (eff.type) {
      case 'broadcast':
        return broadcast(eff.message);
      case 'schedule':
        return later(eff.delayMs, () => deliver({ type: 'timeout', now: now(), timeout: eff.timeout }));
      case 'buildProposal': {
        if (!pv || eff.height !== BigInt(s.height)) return;
        const maxEvidence = Number(s.params.evidence?.maxBytes ?? 1_048_576n);
        const ev = evidence.pending(maxEvidence);
        const txs = mempool.reap(maxDataBytes(s.params, s.validators.validators.length, evidenceBytes(ev)), s.params.block?.maxGas ?? -1n);
        const built = buildBlock(s, pv.address, txs, ev);
        return deliver({ type: 'proposalBuilt', now: now(), height: eff.height, round: eff.round, block: built.bytes, blockId: built.blockId, timeMs: timestampToMs(built.block.header.time) });
      }
      case 'validateBlock': {
        if (eff.height !== BigInt(s.height)) return;
        let res;
        try {
          res = await validateBlock({ state: s, verify, evidence, processProposal: init.processProposal }, eff.blockId, eff.block);
        } catch (err) {
          res = { valid: false as const, reason: (err as Error).message };
        }
        if (!res.valid) log.warn({ height: s.height, block: hex(eff.blockId.hash), reason: res.reason }, 'invalid block');
        return deliver({ type: 'blockValidated', now: now(), height: eff.height, blockId: eff.blockId, valid: res.valid, timeMs: res.valid ? res.timeMs : undefined });
      }
      case 'signVote':
      case 'signProposal':
        return sign(eff);
      case 'commit':
        return commit(eff);
      case 'updateCommit':
        return updateCommit(eff.height, eff.commit);
      case 'evidence':
        log.warn({ height: Number(eff.evidence.voteA?.height ?? 0n), validator: hex(eff.evidence.voteA?.validatorAddress ?? new Uint8Array()) }, 'duplicate vote detected');
        return evidence.addOwn(eff.evidence);
      case 'misbehaviour':
        log.debug?.({ peer: eff.peer, reason: eff.reason, detail: eff.detail }, 'peer misbehaved');
        return transport?.report(eff.peer, eff.reason, eff.detail);
      case 'requestCommit':
        return requestCommit(eff.peer, eff.height);
      case 'halt':
        return fatal(new ConsensusHostError(`consensus halted at height ${eff.height}: ${eff.reason}`));
    }
  }

  async function sign(eff: Extract<Effect, { type: 'signVote' | 'signProposal' }>): Promise<void> {
    if (!pv) return;
    // The inputs behind this decision are durable first, so a replay decides the same and the privval re-signs the same bytes.
    await wal!.sync();
    if (dead) return;
    try {
      if (eff.type === 'signVote') {
        // Vote extensions are off (engine README, difference 9): drop the extension signature FilePV adds to non-nil precommits.
        const vote = { ...(await pv.signVote(chainId, eff.vote)), extension: NO_BYTES, extensionSignature: NO_BYTES };
        deliver({ type: 'signedVote', now: now(), vote }, true);
      } else deliver({ type: 'signedProposal', now: now(), proposal: await pv.signProposal(chainId, eff.proposal) }, true);
    } catch (err) {
      if (!(err instanceof DoubleSignError)) throw err;
      const m = eff.type === 'signVote' ? eff.vote : eff.proposal;
      const kind = eff.type === 'signProposal' ? 'proposal' : m.type === SignedMsgType.SIGNED_MSG_TYPE_PREVOTE ? 'prevote' : 'precommit';
      log.warn({ height: Number(m.height), round: m.round, kind, err: err.message }, 'the privval refused to sign (already signed something else here before a restart)');
      deliver({ type: 'signFailed', now: now(), height: m.height, round: m.round, kind, reason: err.message });
    }
  }

  async function commit(eff: Extract<Effect, { type: 'commit' }>): Promise<void> {
    const s = state!;
    if (eff.height !== BigInt(s.height)) return;
    const applied = await applyBlock({ app, blockStore, mempool, evidence, logger: log }, s, eff.blockId, eff.block, eff.commit);
    state = applied.next;
    behind = lastPeerCommitHeight === eff.height;
    const header = applied.stored.block.header;
    log.info({ height: s.height, round: eff.round, txs: applied.stored.block.data.txs.length, hash: hex(eff.blockId.hash), appHash: hex(applied.results.appHash) }, 'committed block');
    const ev: NewBlockEvent = { block: applied.stored, results: applied.results };
    for (const l of listeners) {
      try {
        l(ev);
      } catch (err) {
        log.error({ height: s.height, err: (err as Error).message }, 'onBlock listener failed');
      }
    }
    if (applied.results.events.some((e) => e.type === EPOCH_END_EVENT)) {
      await checkpoints.epochEnd({ chainId, height: BigInt(s.height), headerHash: eff.blockId.hash, appHash: header.appHash, nextValidatorsHash: header.nextValidatorsHash }, s.validators);
    }
    checkpoints.afterBlock(s.height);
    const committed = applied.stored.block.evidence?.evidence ?? [];
    const timeMs = timestampToMs(header.time);
    const fresh = await evidence.update(committed, { height: s.height, timeMs, params: state.params });
    // Pending evidence is re-sent every height until a block includes it: a lost message must not lose it.
    for (const e of evidence.pending(Number.MAX_SAFE_INTEGER)) broadcast({ type: 'evidence', evidence: e.duplicateVoteEvidence! });
    if (fresh.length > 0) log.info({ height: s.height, evidence: fresh.length }, 'evidence verified and pending');
    enterNextHeight();
  }

  /**
   * Late precommits for the last block: the seen commit on disk (served to peers catching
   * up, read back on restart) and the next block's LastCommit carry them from now on.
   * A block already built keeps the commit it was built with.
   */
  async function updateCommit(height: bigint, commit: Commit): Promise<void> {
    const s = state!;
    if (Number(height) !== s.lastBlockHeight || s.lastBlockHeight !== blockStore.height()) return;
    state = { ...s, lastCommit: commit };
    await blockStore.saveSeenCommit(commit);
  }

  /** CometBFT `needProofBlock`: the first block, or the last block changed the app hash, which only the next header commits to. */
  function wantBlock(s: ChainState): boolean {
    return createEmptyBlocks || mempool.size() > 0 || s.lastBlockHeight === 0 || !equalBytes(s.appHash, s.lastHeaderAppHash);
  }

  function enterNextHeight(): void {
    const s = state!;
    const go = () => {
      heldStart = undefined;
      deliver({ type: 'start', now: now(), height: BigInt(s.height), validators: s.validators, lastBlockTimeMs: timestampToMs(s.lastBlockTime) });
    };
    if (wantBlock(s)) return go();
    heldStart = go;
    const poll = () => {
      if (heldStart !== go) return;
      if (mempool.size() > 0) go();
      else later(100, poll);
    };
    later(100, poll);
  }

  function requestCommit(peer: PeerId, height: bigint): void {
    if (!transport) return;
    transport.requestCommit(peer, height).then(
      (bytes) => {
        if (!bytes || dead) return;
        try {
          const { block, commit } = decodeCommitResponse(bytes);
          lastPeerCommitHeight = commit.height;
          deliver({ type: 'decided', now: now(), from: peer, block, commit });
        } catch (err) {
          transport.report(peer, 'invalid-commit-response', (err as Error).message);
        }
      },
      (err) => log.debug?.({ peer, height: Number(height), err: (err as Error).message }, 'commit request failed'),
    );
  }

  async function serveCommit(_from: PeerId, height: bigint): Promise<Uint8Array | undefined> {
    const h = Number(height);
    if (!Number.isSafeInteger(h) || h < 1 || h > blockStore.height()) return undefined;
    const [stored, commit] = await Promise.all([blockStore.loadBlock(h), blockStore.loadCommit(h)]);
    return stored && commit ? encodeCommitResponse(encodeBlock(stored.block), commit) : undefined;
  }

  function onWire(from: PeerId, bytes: Uint8Array): void {
    if (dead || !engine) return;
    let m: WireMessage;
    try {
      m = decodeWire(bytes);
    } catch (err) {
      transport?.report(from, 'undecodable', err instanceof WireError ? err.message : String(err));
      return;
    }
    if (m.type === 'evidence') {
      if (evidenceInFlight >= MAX_EVIDENCE_IN_FLIGHT) return; // the sender re-sends pending evidence every height
      evidenceInFlight++;
      void onPeerEvidence(from, m.evidence)
        .catch((err) => log.warn({ peer: from, err: (err as Error).message }, 'evidence from a peer could not be checked'))
        .finally(() => evidenceInFlight--);
      return;
    }
    if (m.type === 'checkpointSignature') {
      void checkpoints.onSignature(from, m).catch((err) => log.warn({ peer: from, err: (err as Error).message }, 'checkpoint signature could not be checked'));
      return;
    }
    heldStart?.(); // a peer is on the next height: follow it even without txs of our own
    const t = now();
    if (m.type === 'vote') enqueue({ event: { type: 'vote', now: t, from, vote: m.vote }, fromPeer: true });
    else enqueue({ event: { type: 'proposal', now: t, from, proposal: m.proposal, block: m.block }, fromPeer: true });
  }

  async function onPeerEvidence(from: PeerId, ev: DuplicateVoteEvidence): Promise<void> {
    const s = state;
    if (!s || s.lastBlockHeight === 0) return;
    const res = await evidence.addFromPeer(ev, { height: s.lastBlockHeight, timeMs: timestampToMs(s.lastBlockTime), params: s.params });
    if (res === 'added') broadcast({ type: 'evidence', evidence: ev });
    else if (typeof res === 'object') transport?.report(from, 'invalid-evidence', res.refused);
  }

  /** The peer layer's part of eventual delivery: re-send our messages of a round that has not moved. */
  function regossip(): void {
    const st = engine?.state();
    if (!st || dead) return;
    const key = `${st.height}/${st.round}/${st.step}`;
    if (key === lastGossipKey) for (const m of engine!.gossip()) broadcast(m);
    lastGossipKey = key;
  }

  return {
    evidence,

    async start() {
      if (started) return;
      started = true;
      state = await loadChainState({
        app,
        blockStore,
        chainId,
        initialHeight: init.initialHeight ?? 1,
        genesisTime: init.genesisTime,
        consensusParams: init.consensusParams,
      });
      await mkdir(dirname(init.walPath), { recursive: true });
      const opened = await FileWal.open(init.walPath);
      wal = opened.wal;
      if (opened.droppedBytes > 0) log.warn({ wal: init.walPath, droppedBytes: opened.droppedBytes }, 'cut a torn or damaged WAL tail');
      engine = createEngine({ chainId, pubKey: pv?.pubKey, verify, config: init.engineConfig });
      if (transport) {
        detach = transport.attach({ message: onWire, commitRequest: serveCommit });
        gossipTimer = setInterval(regossip, gossipMs);
      }
      const first = opened.replay[0];
      if (first?.type === 'start' && first.height === BigInt(state.height)) {
        // Restart inside a height: rebuild the engine's state (its effects were carried out before), then redo what is outstanding.
        for (const e of opened.replay) {
          try {
            engine.handle(e);
          } catch (err) {
            log.warn({ event: e.type, err: (err as Error).message }, 'WAL replay: event refused');
          }
        }
        log.info({ height: state.height, events: opened.replay.length }, 'replayed the consensus WAL');
        enqueue({ effects: engine.resume(now()) });
        return;
      }
      const wait = state.lastBlockHeight === 0 ? Math.max(0, timestampToMs(init.genesisTime) - now()) : 0;
      if (wait > 0) log.info({ genesisTime: timestampToMs(init.genesisTime), waitMs: wait }, 'waiting for genesis time');
      later(wait, enterNextHeight);
    },

    async stop() {
      if (!started || dead) return;
      // As a crash would: effects not yet begun are dropped; the WAL replays them on the next start.
      shutdown();
      await pumped;
      await wal?.close();
    },

    onBlock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    height: () => state?.lastBlockHeight ?? blockStore.height(),
    roundState: () => engine?.state(),
    validators: () => state?.validators,
    catchingUp: () => behind,
  };
}

/** Staking's EndBlock event at the last block of an epoch (modules/staking/epoch.ts). */
export const EPOCH_END_EVENT = 'epoch_end';

function isCheckpointSigner(pv: PrivValidator): pv is PrivValidator & CheckpointSigner {
  return typeof (pv as Partial<CheckpointSigner>).signCheckpoint === 'function';
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

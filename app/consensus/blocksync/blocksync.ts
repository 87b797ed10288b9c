/**
 * The blocksync pool (CometBFT blocksync/pool.go + the reactor's verify loop), sans-IO:
 * ask peers for ranges of heights ahead of the node, keep per-peer limits and timeouts,
 * verify each block's commit against the validator set the node trusts at its height,
 * hand verified blocks out in order to apply, and say when the node has caught up.
 * No clock, randomness or I/O inside: every input carries the host's `now`.
 */
import { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { headerHash } from '../encoding/hashes.js';
import { makePartSet } from '../encoding/block.js';
import { blockIdsEqual, CommitVerificationError, verifyCommit } from '../verify.js';
import { bytesEqual, hashValidatorSet } from '../validators.js';
import { ErrBlockSyncConfig } from './errors.js';
import {
  DEFAULT_BLOCKSYNC_CONFIG,
  type BlockSyncConfig,
  type BlockSyncEffect,
  type BlockSyncInit,
  type BlockSyncMisbehaviour,
  type BlockSyncStatus,
  type CommitVerifier,
  type PeerId,
} from './types.js';

interface PeerState {
  base: bigint;
  height: bigint;
  /** Heights asked of this peer and not yet answered. */
  inFlight: Set<bigint>;
  /** Last time it answered, or the time a request went to it while it owed nothing. */
  lastProgressMs: number;
}

interface ReceivedBlock {
  peer: PeerId;
  block: Block;
  bytes: Uint8Array;
  blockId: BlockID;
  commit: Commit;
}

export interface BlockSync {
  peerStatus(peer: PeerId, base: bigint, height: bigint, nowMs: number): BlockSyncEffect[];
  blockResponse(peer: PeerId, height: bigint, block: Uint8Array, commit: Commit, nowMs: number): BlockSyncEffect[];
  noBlock(peer: PeerId, height: bigint, nowMs: number): BlockSyncEffect[];
  peerDown(peer: PeerId, nowMs: number): BlockSyncEffect[];
  /** The host finished applying `height` (after an `apply` effect). */
  applied(height: bigint, nowMs: number): BlockSyncEffect[];
  tick(nowMs: number): BlockSyncEffect[];
  status(): BlockSyncStatus;
}

function checkConfig(c: BlockSyncConfig): void {
  for (const [k, v] of Object.entries(c)) {
    if (!Number.isSafeInteger(v) || v < (k === 'caughtUpAfterMs' || k === 'startupGraceMs' ? 0 : 1)) throw ErrBlockSyncConfig.wrap(`${k} must be a positive integer, got ${v}`);
  }
  if (c.maxInFlightPerPeer < c.maxBlocksPerRequest) throw ErrBlockSyncConfig.wrap('maxInFlightPerPeer must be at least maxBlocksPerRequest');
}

export function createBlockSync(init: BlockSyncInit): BlockSync {
  const cfg: BlockSyncConfig = { ...DEFAULT_BLOCKSYNC_CONFIG, ...init.config };
  checkConfig(cfg);
  if (typeof init.height !== 'bigint' || init.height < 0n) throw ErrBlockSyncConfig.wrap(`height must be a non-negative bigint, got ${init.height}`);
  const { chainId, validatorsAt } = init;
  const verify: CommitVerifier = init.verifyCommit ?? verifyCommit;

  let applied = init.height;
  let verified = init.height;
  let expectedValidatorsHash: Uint8Array | undefined = init.last?.nextValidatorsHash;
  let lastBlockId: BlockID | undefined = init.last?.blockId;
  const startedMs = init.nowMs;
  let caughtUpSinceMs: number | undefined;
  let everHadPeer = false;
  let finished = false;
  let caughtUp = false;

  const peers = new Map<PeerId, PeerState>();
  const dropped = new Set<PeerId>();
  const requests = new Map<bigint, PeerId>();
  const blocks = new Map<bigint, ReceivedBlock>();
  const setHashes = new WeakMap<ValidatorSet, Uint8Array>();

  const maxPeerHeight = (): bigint => {
    let m = 0n;
    for (const p of peers.values()) if (p.height > m) m = p.height;
    return m;
  };

  const unassign = (peer: PeerId, p: PeerState, from = 0n) => {
    for (const h of [...p.inFlight]) {
      if (h < from) continue;
      p.inFlight.delete(h);
      if (requests.get(h) === peer) requests.delete(h);
    }
  };

  const removePeer = (peer: PeerId, discardBlocks: boolean) => {
    const p = peers.get(peer);
    if (p) unassign(peer, p);
    peers.delete(peer);
    if (discardBlocks) for (const [h, b] of blocks) if (b.peer === peer) blocks.delete(h);
  };

  const punish = (out: BlockSyncEffect[], peer: PeerId, reason: BlockSyncMisbehaviour, detail: string) => {
    removePeer(peer, true);
    if (dropped.size >= cfg.maxPeers) dropped.clear(); // bounded; the host disconnects them anyway
    dropped.add(peer);
    out.push({ type: 'misbehaviour', peer, reason, detail });
  };

  const hashOf = (set: ValidatorSet) => {
    let h = setHashes.get(set);
    if (!h) setHashes.set(set, (h = hashValidatorSet(set)));
    return h;
  };

  /** Verify and hand out blocks in height order while the next one is here and its validator set is known. */
  const advance = (out: BlockSyncEffect[]) => {
    while (!finished) {
      const height = verified + 1n;
      const rb = blocks.get(height);
      if (!rb) return;
      const vals = validatorsAt(height);
      if (!vals) return; // the state learns this set when an earlier block is applied
      const valsHash = hashOf(vals);
      if (expectedValidatorsHash && !bytesEqual(valsHash, expectedValidatorsHash)) {
        finished = true;
        out.push({ type: 'halt', reason: `the state's validator set for height ${height} does not hash to the next_validators_hash of block ${height - 1n}` });
        return;
      }
      blocks.delete(height);
      const header = rb.block.header;
      if (!bytesEqual(header.validatorsHash, valsHash)) {
        punish(out, rb.peer, 'wrong-validators', `block ${height} names validators ${hex(header.validatorsHash)}, the set at that height hashes to ${hex(valsHash)}`);
        continue;
      }
      if (lastBlockId && !blockIdsEqual(header.lastBlockId, lastBlockId)) {
        punish(out, rb.peer, 'wrong-block', `block ${height} does not extend block ${height - 1n} (last_block_id ${hex(header.lastBlockId.hash)})`);
        continue;
      }
      try {
        verify(chainId, vals, rb.blockId, height, rb.commit);
      } catch (err) {
        // anything a commit from a peer makes the verifier throw is the peer's fault, never a crash
        const why = err instanceof CommitVerificationError ? `${err.reason}: ${err.message}` : err instanceof Error ? err.message : String(err);
        punish(out, rb.peer, 'invalid-commit', `commit for block ${height}: ${why}`);
        continue;
      }
      verified = height;
      expectedValidatorsHash = header.nextValidatorsHash;
      lastBlockId = rb.blockId;
      out.push({ type: 'apply', height, block: rb.block, blockBytes: rb.bytes, blockId: rb.blockId, commit: rb.commit });
    }
  };

  /** Ask peers for the missing heights of the window, least-loaded peer first, in ranges. */
  const schedule = (out: BlockSyncEffect[], nowMs: number) => {
    if (finished || peers.size === 0) return;
    const top = maxPeerHeight();
    const limit = verified + BigInt(cfg.maxPendingBlocks) < top ? verified + BigInt(cfg.maxPendingBlocks) : top;
    const free = (h: bigint) => !blocks.has(h) && !requests.has(h);
    const full = new Set<PeerId>();
    for (let h = verified + 1n; h <= limit; h++) {
      if (!free(h)) continue;
      let best: [PeerId, PeerState] | undefined;
      for (const e of peers) {
        const p = e[1];
        // a full range or the rest of the window: answers free one height at a time, and a request per freed height would cost a round trip each
        // (a peer without that room for the lowest free height gets none of the higher ones either)
        if (p.base > h || p.height < h || full.has(e[0])) continue;
        const want = Math.min(cfg.maxBlocksPerRequest, Number((limit < p.height ? limit : p.height) - h + 1n));
        if (p.inFlight.size + want > cfg.maxInFlightPerPeer) {
          full.add(e[0]);
          continue;
        }
        if (!best || p.inFlight.size < best[1].inFlight.size || (p.inFlight.size === best[1].inFlight.size && e[0] < best[0])) best = e;
      }
      if (!best) continue;
      const [peer, p] = best;
      const room = Math.min(cfg.maxBlocksPerRequest, cfg.maxInFlightPerPeer - p.inFlight.size);
      let count = 0;
      while (count < room && h + BigInt(count) <= limit && h + BigInt(count) <= p.height && free(h + BigInt(count))) {
        requests.set(h + BigInt(count), peer);
        p.inFlight.add(h + BigInt(count));
        count++;
      }
      if (p.inFlight.size === count) p.lastProgressMs = nowMs; // its clock starts with this request
      out.push({ type: 'request', peer, fromHeight: h, count });
      h += BigInt(count - 1);
    }
  };

  const checkCaughtUp = (out: BlockSyncEffect[], nowMs: number) => {
    if (finished) return;
    const top = maxPeerHeight();
    // alone from the start: caught up after the grace; having lost every peer: wait for one to come back
    const close = peers.size > 0 ? applied + BigInt(cfg.caughtUpMargin) >= top : !everHadPeer && nowMs - startedMs >= cfg.startupGraceMs;
    if (!close) {
      caughtUpSinceMs = undefined;
      return;
    }
    caughtUpSinceMs ??= nowMs;
    if (nowMs - caughtUpSinceMs >= cfg.caughtUpAfterMs) {
      finished = true;
      caughtUp = true;
      out.push({ type: 'caughtUp', height: applied });
    }
  };

  const run = (nowMs: number, body: (out: BlockSyncEffect[]) => void): BlockSyncEffect[] => {
    if (finished) return [];
    if (!Number.isSafeInteger(nowMs)) throw ErrBlockSyncConfig.wrap(`now must be integer milliseconds, got ${nowMs}`);
    const out: BlockSyncEffect[] = [];
    body(out);
    advance(out);
    schedule(out, nowMs);
    return out;
  };

  return {
    peerStatus: (peer, base, height, nowMs) =>
      run(nowMs, (out) => {
        if (dropped.has(peer)) return;
        if (typeof base !== 'bigint' || typeof height !== 'bigint' || base < 0n || base > height) {
          punish(out, peer, 'bad-status', `status base ${base}, height ${height}`);
          return;
        }
        let p = peers.get(peer);
        if (!p) {
          if (peers.size >= cfg.maxPeers) return;
          peers.set(peer, (p = { base, height, inFlight: new Set(), lastProgressMs: nowMs }));
          everHadPeer = true;
        }
        p.base = base;
        p.height = height;
      }),

    blockResponse: (peer, height, bytes, commit, nowMs) =>
      run(nowMs, (out) => {
        const p = peers.get(peer);
        if (!p) return; // dropped or timed out: its late answers are not wanted
        if (!p.inFlight.has(height)) return punish(out, peer, 'unsolicited', `block ${height} was not asked of it`);
        p.inFlight.delete(height);
        requests.delete(height);
        p.lastProgressMs = nowMs;
        if (bytes.length > cfg.maxBlockBytes) return punish(out, peer, 'oversized', `block ${height} is ${bytes.length} bytes, the limit is ${cfg.maxBlockBytes}`);
        let block: Block;
        try {
          block = Block.decode(bytes);
        } catch (err) {
          return punish(out, peer, 'malformed', `block ${height}: ${err instanceof Error ? err.message : String(err)}`);
        }
        const header = block.header;
        if (!header || header.height !== height || header.chainId !== chainId) {
          return punish(out, peer, 'wrong-block', `asked for block ${height} of ${chainId}, got ${header?.height} of ${JSON.stringify(header?.chainId)}`);
        }
        const hash = headerHash(header);
        if (!hash) return punish(out, peer, 'malformed', `block ${height} has no validators_hash`);
        const blockId: BlockID = { hash, partSetHeader: makePartSet(bytes).header };
        if (!commit || commit.height !== height || !commit.blockId || !blockIdsEqual(commit.blockId, blockId)) {
          return punish(out, peer, 'wrong-block', `the commit sent with block ${height} is for another block`);
        }
        if (height > verified) blocks.set(height, { peer, block, bytes, blockId, commit });
      }),

    noBlock: (peer, height, nowMs) =>
      run(nowMs, (out) => {
        const p = peers.get(peer);
        if (!p || !p.inFlight.has(height)) return;
        // heights are only asked within the [base, height] of its status, and a store's height never
        // goes down: lacking one of them is a lie that would keep this node syncing towards it
        if (height >= p.base && height <= p.height) return punish(out, peer, 'lying-height', `its status said blocks ${p.base}..${p.height}, then it had no block ${height}`);
        // a responder stops at the first height it lacks: it has none of the later ones either
        unassign(peer, p, height);
        p.lastProgressMs = nowMs;
      }),

    peerDown: (peer, nowMs) => run(nowMs, () => removePeer(peer, false)),

    applied: (height, nowMs) => {
      if (height !== applied + 1n || height > verified) throw ErrBlockSyncConfig.wrap(`applied(${height}) out of order: applied ${applied}, handed out up to ${verified}`);
      applied = height;
      return run(nowMs, (out) => checkCaughtUp(out, nowMs));
    },

    tick: (nowMs) =>
      run(nowMs, (out) => {
        for (const [peer, p] of [...peers]) {
          if (p.inFlight.size > 0 && nowMs - p.lastProgressMs >= cfg.requestTimeoutMs) {
            removePeer(peer, false);
            out.push({ type: 'peerTimedOut', peer, detail: `owed ${p.inFlight.size} blocks and sent nothing for ${nowMs - p.lastProgressMs} ms` });
          }
        }
        checkCaughtUp(out, nowMs);
      }),

    status: () => ({
      height: applied,
      verifiedHeight: verified,
      maxPeerHeight: maxPeerHeight(),
      peers: peers.size,
      pendingBlocks: blocks.size,
      inFlight: requests.size,
      caughtUp,
    }),
  };
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

export interface SwitchToBlocksyncOptions {
  /** How many heights behind counts as behind; the engine's one-height catch-up covers less. Default 2. */
  minLag?: bigint;
  /** Share of reporting peers that must be that far ahead, so one lying peer cannot force a switch. Default 1/3 (at least one). */
  quorum?: { numerator: number; denominator: number };
}

/**
 * Should a node in consensus at `ownHeight` (its last committed height) switch to
 * blocksync? Yes when at least a third of the peers that reported (and at least one)
 * are `minLag` or more heights ahead. A lie costs the node only a detour: blocksync
 * verifies every block and hands back to consensus when caught up.
 */
export function shouldSwitchToBlocksync(ownHeight: bigint, peerHeights: Iterable<bigint>, options: SwitchToBlocksyncOptions = {}): boolean {
  const minLag = options.minLag ?? 2n;
  const q = options.quorum ?? { numerator: 1, denominator: 3 };
  let total = 0;
  let ahead = 0;
  for (const h of peerHeights) {
    total++;
    if (h >= ownHeight + minLag) ahead++;
  }
  return ahead > 0 && ahead * q.denominator >= total * q.numerator;
}

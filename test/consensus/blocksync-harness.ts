/**
 * A seeded discrete-event network for blocksync tests: in-memory peers serve real signed
 * chains through the real codec (every message is encoded and decoded) and the serving
 * helper; the node runs a BlockSync with a host that applies blocks and answers
 * validator sets as its state would (known up to applied height + 2).
 */
import type { Commit } from 'cosmjs-types/tendermint/types/types';
import { buildSignedChain, type SignedChain } from '../../app/consensus/blocksync/signed-chain.js';
import { createBlockSync, type BlockSync } from '../../app/consensus/blocksync/blocksync.js';
import { decodeBlockSyncMessage, encodeBlockSyncMessage, type BlockSyncMessage } from '../../app/consensus/blocksync/messages.js';
import { answerBlockRequest, type BlockSource } from '../../app/consensus/blocksync/serve.js';
import { BlockSyncDecodeError } from '../../app/consensus/blocksync/errors.js';
import type { BlockSyncConfig, BlockSyncEffect, CommitVerifier } from '../../app/consensus/blocksync/types.js';
import type { StoredBlock } from '../../app/consensus/types.js';

export type Behaviour =
  | 'honest'
  /** flips a byte of the first commit signature from height 3 on */
  | 'bad-commit'
  /** changes a tx of each block it serves, keeping the original commit */
  | 'wrong-block'
  /** serves a self-consistent chain signed by validators the node does not trust */
  | 'other-validators'
  /** never answers block requests */
  | 'silent'
  /** answers block requests with bytes that are not a message */
  | 'garbage';

export interface SimPeerSpec {
  id: string;
  behaviour: Behaviour;
  /** Heights it has: 1..height (default the chain's length). */
  height?: number;
  latencyMs: number;
}

export interface RunResult {
  applied: bigint[];
  caughtUpAt?: { height: bigint; timeMs: number };
  reports: Array<{ peer: string; reason: string }>;
  timeouts: string[];
  halted?: string;
  endMs: number;
  sync: BlockSync;
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function sourceOf(chain: SignedChain, height: number, tamper?: (h: number, b: StoredBlock, c: Commit) => [StoredBlock, Commit]): BlockSource {
  return {
    base: () => 1,
    height: () => height,
    loadBlock: async (h) => {
      if (h < 1 || h > height) return undefined;
      const b = chain.at(h);
      const stored = { block: b.block, blockId: b.blockId, size: b.bytes.length };
      return tamper ? tamper(h, stored, b.commit)[0] : stored;
    },
    loadCommit: async (h) => {
      if (h < 1 || h > height) return undefined;
      const b = chain.at(h);
      return tamper ? tamper(h, { block: b.block, blockId: b.blockId, size: 0 }, b.commit)[1] : b.commit;
    },
  };
}

const otherChains = new Map<string, SignedChain>();

function servingSource(chain: SignedChain, spec: SimPeerSpec, validatorsAt: (h: number) => { key: number; power: bigint }[]): BlockSource {
  const height = spec.height ?? chain.blocks.length;
  switch (spec.behaviour) {
    case 'bad-commit':
      return sourceOf(chain, height, (h, b, c) => {
        if (h < 3) return [b, c];
        const first = c.signatures.findIndex((s) => s.blockIdFlag === 2);
        return [b, { ...c, signatures: c.signatures.map((s, i) => (i === first ? { ...s, signature: s.signature.map((x, j) => (j === 0 ? x ^ 1 : x)) } : s)) }];
      });
    case 'wrong-block':
      return sourceOf(chain, height, (_h, b, c) => [{ ...b, block: { ...b.block, data: { txs: [new TextEncoder().encode('forged')] } } }, c]);
    case 'other-validators': {
      const key = `${chain.chainId}/${chain.blocks.length}`;
      let other = otherChains.get(key);
      if (!other) {
        other = buildSignedChain({ chainId: chain.chainId, length: chain.blocks.length, keyCount: 8, keySeed: 'attacker', validatorsAt });
        otherChains.set(key, other);
      }
      return sourceOf(other, height);
    }
    default:
      return sourceOf(chain, height);
  }
}

export interface RunParameters {
  chain: SignedChain;
  /** The chain's validator spec (for the attacker's look-alike chain). */
  validatorsAt: (h: number) => { key: number; power: bigint }[];
  peers: SimPeerSpec[];
  seed: number;
  /** The node's state height at start. */
  startHeight?: number;
  config?: Partial<BlockSyncConfig>;
  verifyCommit?: CommitVerifier;
  /** Give up at this simulated time. */
  maxTimeMs?: number;
  /** Peers that join later: id → time. */
  joinAtMs?: Record<string, number>;
}

export async function runBlockSync(p: RunParameters): Promise<RunResult> {
  const random = rng(p.seed);
  const { chain } = p;
  const start = p.startHeight ?? 0;
  let applied = BigInt(start);
  let handedOut = BigInt(start);
  const queue: Array<{ at: number; seq: number; run: () => Promise<void> | void }> = [];
  let seq = 0;
  let now = 0;
  const at = (t: number, run: () => Promise<void> | void) => queue.push({ at: t, seq: seq++, run });
  const result: RunResult = { applied: [], reports: [], timeouts: [], endMs: 0, sync: undefined as unknown as BlockSync };
  const last = start > 0 ? chain.at(start) : undefined;
  const sync = createBlockSync({
    chainId: chain.chainId,
    height: BigInt(start),
    validatorsAt: (h) => (h >= 1n && h <= applied + 2n && h <= BigInt(chain.blocks.length) ? chain.at(h).validatorSet : undefined),
    last: last && { blockId: last.blockId, nextValidatorsHash: last.block.header.nextValidatorsHash },
    config: p.config,
    verifyCommit: p.verifyCommit,
    nowMs: 0,
  });
  result.sync = sync;
  const peers = new Map(p.peers.map((s) => [s.id, { spec: s, source: servingSource(chain, s, p.validatorsAt), up: true }]));
  const jitter = (base: number) => base + Math.floor(random() * base * 0.5);
  let done = false;
  let applyDoneAt = 0;

  const carryOut = (effects: BlockSyncEffect[]) => {
    for (const e of effects) {
      switch (e.type) {
        case 'request': {
          const peer = peers.get(e.peer)!;
          const bytes = encodeBlockSyncMessage({ type: 'blockRequest', fromHeight: e.fromHeight, count: e.count });
          at(now + jitter(peer.spec.latencyMs), () => serve(e.peer, bytes));
          break;
        }
        case 'apply':
          if (e.height !== handedOut + 1n) throw new Error(`apply ${e.height} out of order after ${handedOut}`);
          handedOut = e.height;
          if (Buffer.compare(Buffer.from(e.blockId.hash), Buffer.from(chain.at(e.height).blockId.hash)) !== 0) throw new Error(`applied a wrong block at ${e.height}`);
          applyDoneAt = Math.max(now, applyDoneAt) + 1; // the host executes blocks one at a time
          at(applyDoneAt, () => {
            applied = e.height;
            result.applied.push(e.height);
            carryOut(sync.applied(e.height, now));
          });
          break;
        case 'misbehaviour':
          result.reports.push({ peer: e.peer, reason: e.reason });
          peers.get(e.peer)!.up = false;
          break;
        case 'peerTimedOut':
          result.timeouts.push(e.peer);
          break;
        case 'caughtUp':
          result.caughtUpAt = { height: e.height, timeMs: now };
          done = true;
          break;
        case 'halt':
          result.halted = e.reason;
          done = true;
          break;
      }
    }
  };

  const toNode = (peerId: string, bytes: Uint8Array) => {
    const peer = peers.get(peerId)!;
    at(now + jitter(peer.spec.latencyMs), () => {
      if (!peer.up) return;
      let m: BlockSyncMessage;
      try {
        m = decodeBlockSyncMessage(bytes);
      } catch (err) {
        if (!(err instanceof BlockSyncDecodeError)) throw err;
        result.reports.push({ peer: peerId, reason: `decode:${err.reason}` });
        peer.up = false;
        carryOut(sync.peerDown(peerId, now));
        return;
      }
      if (m.type === 'statusResponse') carryOut(sync.peerStatus(peerId, m.base, m.height, now));
      else if (m.type === 'noBlockResponse') carryOut(sync.noBlock(peerId, m.height, now));
      else if (m.type === 'blockResponse') for (const b of m.blocks) carryOut(sync.blockResponse(peerId, b.commit.height, b.block, b.commit, now));
    });
  };

  const serve = async (peerId: string, bytes: Uint8Array) => {
    const peer = peers.get(peerId)!;
    if (!peer.up) return;
    const req = decodeBlockSyncMessage(bytes);
    if (req.type !== 'blockRequest') throw new Error('peers only get block requests here');
    if (peer.spec.behaviour === 'silent') return;
    if (peer.spec.behaviour === 'garbage') return toNode(peerId, new Uint8Array([0x22, 0xff, 0xff, 0x01]));
    for (const m of await answerBlockRequest(req, peer.source)) toNode(peerId, encodeBlockSyncMessage(m));
  };

  for (const s of p.peers) {
    const joinAt = p.joinAtMs?.[s.id] ?? 0;
    const src = peers.get(s.id)!.source;
    at(joinAt, () => toNode(s.id, encodeBlockSyncMessage({ type: 'statusResponse', height: BigInt(src.height()), base: BigInt(src.base()) })));
  }
  for (let t = 100; t <= (p.maxTimeMs ?? 120_000); t += 100) at(t, () => carryOut(sync.tick(now)));

  while (queue.length && !done) {
    queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = queue.shift()!;
    now = next.at;
    await next.run();
  }
  result.endMs = now;
  return result;
}

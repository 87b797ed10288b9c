/**
 * Messages from heights we have not reached. Those for height+1 are kept (a peer that
 * finished the height a little earlier already proposes and votes) in a per-peer
 * quota, so one peer can only fill its own share; they are verified when we get there.
 * Anything further ahead is not kept at all: it only tells us the peer is ahead, so we
 * ask it for the decided block (catch-up), and too many of them per height are
 * reported as a flood. Memory: quota × tracked peers, whatever peers send.
 */
import type { EngineConfig, PeerId, ProposalEvent, VoteEvent } from './types.js';

export type BufferedMessage = ProposalEvent | VoteEvent;

export class FutureInbox {
  private nextHeight = new Map<PeerId, BufferedMessage[]>();
  private farCounts = new Map<PeerId, number>();
  private reported = new Set<PeerId>();
  /** The peer that claimed the highest height, for catch-up requests; survives height changes. */
  private ahead: { peer: PeerId; height: bigint } | undefined;

  constructor(private readonly cfg: EngineConfig) {}

  /** Keep a message for height+1. Returns false if the peer's quota (or the peer table) is full. */
  keep(msg: BufferedMessage, height: bigint): boolean {
    this.noteAhead(msg.from, height);
    let list = this.nextHeight.get(msg.from);
    if (!list) {
      if (this.nextHeight.size >= this.cfg.maxTrackedPeers) return false;
      list = [];
      this.nextHeight.set(msg.from, list);
    }
    if (list.length >= this.cfg.nextHeightBufferPerPeer) return false;
    list.push(msg);
    return true;
  }

  /** Count a message from beyond height+1. Returns true the first time the peer crosses the flood limit this height. */
  countFar(from: PeerId, height: bigint): boolean {
    this.noteAhead(from, height);
    if (!this.farCounts.has(from) && this.farCounts.size >= this.cfg.maxTrackedPeers) return false;
    const n = (this.farCounts.get(from) ?? 0) + 1;
    this.farCounts.set(from, n);
    if (n > this.cfg.futureMessagesPerPeer && !this.reported.has(from)) {
      this.reported.add(from);
      return true;
    }
    return false;
  }

  private noteAhead(peer: PeerId, height: bigint): void {
    if (!this.ahead || height >= this.ahead.height) this.ahead = { peer, height };
  }

  /** The peer with the highest claimed height, if it is above `height`. */
  peerAhead(height: bigint): PeerId | undefined {
    return this.ahead && this.ahead.height > height ? this.ahead.peer : undefined;
  }

  /** Entering a new height: hand back what was kept for it and forget the rest. */
  drain(): BufferedMessage[] {
    const out: BufferedMessage[] = [];
    for (const list of this.nextHeight.values()) out.push(...list);
    this.nextHeight = new Map();
    this.farCounts = new Map();
    this.reported = new Set();
    return out;
  }
}

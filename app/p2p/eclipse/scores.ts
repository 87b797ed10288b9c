/**
 * Peer scores: misbehaviour costs points, the cost fades with a half-life, and a peer
 * whose score falls to `-banThreshold` is banned. The shape follows gossipsub v1.1's
 * behaviour penalty (P7: decaying counter, threshold to graylist), with fixed costs
 * per offence instead of its squared counter so that one honest mistake (a frame cut
 * by a crash, a promise broken because the promiser died) never bans anyone.
 */
import type { PeerId } from '../types.js';

export type Offence =
  /** A message the application validator rejected. */
  | 'invalid_message'
  /** A frame that did not decode or broke a size limit. */
  | 'malformed_frame'
  /** Announced an id with IHAVE, was GRAFTed, never sent the message (Plumtree). */
  | 'broken_promise'
  /** Went over a per-peer rate limit (frames, IHAVE ids, GRAFTs). */
  | 'rate_limited'
  /** A protocol message it had no business sending (reply nobody asked for, etc.). */
  | 'unsolicited'
  /** A small fault the application reported (`P2PHost.reportPeer(peer, 'minor', ...)`). */
  | 'minor_fault';

export interface ScoringConfig {
  readonly penalties: Readonly<Record<Offence, number>>;
  /** Time for a penalty to fade to half. */
  readonly halfLifeMs: number;
  /** Ban at score ≤ -banThreshold. */
  readonly banThreshold: number;
  /** Most peers tracked; the oldest are forgotten first. */
  readonly maxTracked: number;
}

/** Four invalid messages in a short while ban a peer; minor faults need 20, rate-limit slips ~100. */
export const SCORING_DEFAULTS: ScoringConfig = {
  penalties: { invalid_message: 30, malformed_frame: 30, broken_promise: 4, rate_limited: 1, unsolicited: 2, minor_fault: 5 },
  halfLifeMs: 10 * 60_000,
  banThreshold: 100,
  maxTracked: 10_000,
};

interface Entry {
  score: number;
  at: number;
}

export class PeerScores {
  private readonly entries = new Map<PeerId, Entry>();

  constructor(private readonly config: ScoringConfig = SCORING_DEFAULTS) {
    if (!(config.halfLifeMs > 0) || !(config.banThreshold > 0)) throw new RangeError('scoring: halfLifeMs and banThreshold must be > 0');
  }

  /** Current score (≤ 0; 0 for unknown peers). */
  score(peer: PeerId, now: number): number {
    const e = this.entries.get(peer);
    return e ? this.decayed(e, now) : 0;
  }

  /** Charges `offence` to `peer`; returns true when the peer has crossed the ban threshold. */
  penalize(peer: PeerId, offence: Offence, now: number): boolean {
    const e = this.entries.get(peer);
    const score = (e ? this.decayed(e, now) : 0) - this.config.penalties[offence];
    if (e) this.entries.delete(peer); // re-insert: the map stays ordered by last offence
    this.entries.set(peer, { score, at: now });
    if (this.entries.size > this.config.maxTracked) this.entries.delete(this.entries.keys().next().value!);
    return score <= -this.config.banThreshold;
  }

  forget(peer: PeerId): void {
    this.entries.delete(peer);
  }

  get tracked(): number {
    return this.entries.size;
  }

  private decayed(e: Entry, now: number): number {
    return e.score * Math.pow(0.5, Math.max(0, now - e.at) / this.config.halfLifeMs);
  }
}

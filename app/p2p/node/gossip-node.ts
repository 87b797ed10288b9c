/**
 * One gossip node, still sans-IO: HyParView membership feeding Plumtree's neighbour
 * events, with the eclipse defences around them (IP-group diversity on both views,
 * per-peer frame rate limits, scores, bans). The libp2p adapter and the simulator
 * drive exactly this object: inputs are method calls with `now`, outputs are the
 * effects from `takeEffects()`.
 */
import { BanList, BAN_DEFAULTS, type BanConfig } from '../eclipse/bans.js';
import { diversityRule, DIVERSITY_DEFAULTS, validateDiversityConfig, type DiversityConfig } from '../eclipse/diversity.js';
import { PeerScores, SCORING_DEFAULTS, type Offence, type ScoringConfig } from '../eclipse/scores.js';
import { HyParView, type HyParViewInit } from '../hyparview/hyparview.js';
import type { HyParViewConfig } from '../hyparview/config.js';
import type { PlumtreeConfig } from '../plumtree/config.js';
import type { MessageId } from '../plumtree/message-id.js';
import type { ValidationResult, Validator } from '../plumtree/messages.js';
import { Plumtree, type BroadcastOptions } from '../plumtree/plumtree.js';
import type { Rng } from '../rng.js';
import { TokenBucket, validateRateLimit, type RateLimit } from '../token-bucket.js';
import type { PeerId, PeerInfo, ScheduleEffect } from '../types.js';
import { isMembershipMessage, type WireMessage } from '../wire.js';

export interface GossipNodeInit {
  readonly self: PeerInfo;
  readonly rng: Rng;
  readonly hyparview?: Partial<HyParViewConfig>;
  readonly plumtree?: Partial<PlumtreeConfig>;
  /** IP-group limits on the views; `false` turns them off (only for experiments). */
  readonly diversity?: Partial<DiversityConfig> | false;
  readonly scoring?: Partial<ScoringConfig>;
  readonly bans?: Partial<BanConfig>;
  /** Frames accepted per peer; the excess is dropped and costs score. */
  readonly frameRate?: RateLimit;
  /** Application validation before delivery and forwarding. */
  readonly validate?: Validator;
  readonly messageId?: (payload: Uint8Array) => MessageId;
}

export type GossipEffect =
  | { readonly type: 'send'; readonly to: PeerInfo; readonly message: WireMessage }
  | { readonly type: 'disconnect'; readonly peer: PeerId }
  | { readonly type: 'deliver'; readonly id: MessageId; readonly payload: Uint8Array; readonly from: PeerId; readonly round: number }
  /** Persist it (bans survive restarts) and close the peer's connections. */
  | { readonly type: 'ban'; readonly peer: PeerId; readonly until: number }
  | { readonly type: 'neighborUp'; readonly peer: PeerInfo }
  | { readonly type: 'neighborDown'; readonly peer: PeerId }
  | { readonly type: 'isolated' }
  | { readonly type: 'needPeers' }
  | ScheduleEffect;

export type ReportSeverity = 'minor' | 'invalid';

export const FRAME_RATE_DEFAULT: RateLimit = { perSecond: 2_000, burst: 4_000 };
const MAX_RATE_TRACKED = 4_096;

export class GossipNode {
  readonly self: PeerInfo;
  readonly membership: HyParView;
  readonly tree: Plumtree;
  readonly scores: PeerScores;
  readonly bans: BanList;
  private readonly frameRate: RateLimit;
  private readonly frameBuckets = new Map<PeerId, TokenBucket>();
  private priority = new Map<PeerId, PeerInfo>();
  private effects: GossipEffect[] = [];
  private now = 0;
  private membershipAt: number | undefined;
  private treeAt: number | undefined;
  private scheduled: number | undefined;

  constructor(init: GossipNodeInit) {
    this.self = init.self;
    this.scores = new PeerScores({ ...SCORING_DEFAULTS, ...init.scoring });
    this.bans = new BanList({ ...BAN_DEFAULTS, ...init.bans });
    this.frameRate = init.frameRate ?? FRAME_RATE_DEFAULT;
    validateRateLimit('frameRate', this.frameRate);
    let admit: HyParViewInit['admit'];
    if (init.diversity !== false) {
      const d: DiversityConfig = { ...DIVERSITY_DEFAULTS, ...init.diversity };
      validateDiversityConfig(d);
      const active = diversityRule(d.active, d.exempt);
      const passive = diversityRule(d.passive, d.exempt);
      admit = (view, addr, members) => (view === 'active' ? active : passive)(addr, members);
    }
    this.membership = new HyParView({
      self: init.self,
      rng: init.rng,
      config: init.hyparview,
      admit,
      isBanned: (peer) => this.bans.isBanned(peer, this.now),
    });
    this.tree = new Plumtree({ self: init.self.id, config: init.plumtree, validate: init.validate, messageId: init.messageId });
  }

  takeEffects(): GossipEffect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  // ---- inputs ----

  start(now: number): void {
    this.at(now);
    this.membership.start(now);
    this.drain();
  }

  join(contact: PeerInfo, now: number): void {
    this.at(now);
    if (!this.bans.isBanned(contact.id, now)) this.membership.join(contact, now);
    this.drain();
  }

  /** Peers from discovery (DHT walks, mDNS, the persisted peer store). */
  addCandidates(peers: readonly PeerInfo[], now: number): void {
    this.at(now);
    this.membership.addCandidates(peers, now);
    this.drain();
  }

  /** A decoded frame from `from`; `remoteAddr` is the transport's observed address. */
  receive(from: PeerId, message: WireMessage, now: number, remoteAddr?: string): void {
    this.at(now);
    if (this.bans.isBanned(from, now)) return;
    if (!this.takeFrame(from, now)) {
      this.penalize(from, 'rate_limited', now);
      return;
    }
    if (isMembershipMessage(message)) this.membership.receive(from, message, now, remoteAddr);
    else this.tree.receive(from, message, now);
    this.drain();
  }

  connectionDown(peer: PeerId, now: number): void {
    this.at(now);
    this.membership.connectionDown(peer, now);
    this.drain();
  }

  unreachable(peer: PeerId, now: number): void {
    this.at(now);
    this.membership.unreachable(peer, now);
    this.drain();
  }

  broadcast(payload: Uint8Array, now: number, opts?: BroadcastOptions): MessageId {
    this.at(now);
    const id = this.tree.broadcast(payload, now, opts);
    this.drain();
    return id;
  }

  validationResult(id: MessageId, result: Exclude<ValidationResult, 'defer'>, now: number): void {
    this.at(now);
    this.tree.validationResult(id, result, now);
    this.drain();
  }

  /** Charges an offence found outside the gossip layer (a frame that failed to decode, a tx found invalid later). */
  penalize(peer: PeerId, offence: Offence, now: number): void {
    this.at(now);
    if (this.scores.penalize(peer, offence, now)) this.banPeer(peer, now);
    this.drain();
  }

  /**
   * A fault the application found in what `peer` sent outside gossip (consensus,
   * blocksync): 'invalid' costs what an invalid gossip message costs, 'minor' a small
   * penalty; both decay and count towards the same ban.
   */
  report(peer: PeerId, severity: ReportSeverity, now: number): void {
    this.penalize(peer, severity === 'invalid' ? 'invalid_message' : 'minor_fault', now);
  }

  /** Validators this node pushes consensus messages to directly (`broadcast(..., { direct: true })`). */
  setPriorityPeers(peers: readonly PeerInfo[]): void {
    this.priority = new Map(peers.filter((p) => p.id !== this.self.id).map((p) => [p.id, p]));
    this.tree.setPriorityPeers(this.priority.keys());
  }

  tick(now: number): void {
    this.at(now);
    this.membershipAt = undefined;
    this.treeAt = undefined;
    this.scheduled = undefined;
    this.membership.tick(now);
    this.tree.tick(now);
    this.drain();
  }

  // ---- wiring ----

  private at(now: number): void {
    if (now > this.now) this.now = now;
  }

  private takeFrame(from: PeerId, now: number): boolean {
    let b = this.frameBuckets.get(from);
    if (!b) {
      if (this.frameBuckets.size >= MAX_RATE_TRACKED) this.frameBuckets.delete(this.frameBuckets.keys().next().value!);
      this.frameBuckets.set(from, (b = new TokenBucket(this.frameRate, now)));
    }
    return b.take(1, now);
  }

  private banPeer(peer: PeerId, now: number): void {
    const entry = this.bans.ban(peer, now);
    this.scores.forget(peer);
    this.membership.ban(peer, now);
    this.tree.neighborDown(peer);
    this.effects.push({ type: 'ban', peer, until: entry.until });
  }

  /** Routes effects between the two cores until both are quiet (bounded: each pass consumes what the last produced). */
  private drain(): void {
    const now = this.now;
    for (let pass = 0; pass < 64; pass++) {
      const hv = this.membership.takeEffects();
      const pt = this.tree.takeEffects();
      if (hv.length === 0 && pt.length === 0) break;
      for (const e of hv) {
        switch (e.type) {
          case 'neighborUp':
            this.tree.neighborUp(e.peer.id, now);
            this.effects.push(e);
            break;
          case 'neighborDown':
            this.tree.neighborDown(e.peer);
            this.effects.push(e);
            break;
          case 'schedule':
            this.membershipAt = e.at;
            break;
          case 'penalize':
            if (this.scores.penalize(e.peer, e.offence, now)) this.banPeer(e.peer, now);
            break;
          default:
            this.effects.push(e);
        }
      }
      for (const e of pt) {
        switch (e.type) {
          case 'send':
            this.effects.push({ type: 'send', to: this.membership.infoOf(e.to) ?? this.priority.get(e.to) ?? { id: e.to, addrs: [] }, message: e.message });
            break;
          case 'penalize':
            if (this.scores.penalize(e.peer, e.offence, now)) this.banPeer(e.peer, now);
            break;
          case 'schedule':
            this.treeAt = e.at;
            break;
          default:
            this.effects.push(e);
        }
      }
    }
    const next = this.membershipAt === undefined ? this.treeAt : this.treeAt === undefined ? this.membershipAt : Math.min(this.membershipAt, this.treeAt);
    if (next !== undefined && next !== this.scheduled) {
      this.scheduled = next;
      this.effects.push({ type: 'schedule', at: next });
    }
  }
}

export function createGossipNode(init: GossipNodeInit): GossipNode {
  return new GossipNode(init);
}

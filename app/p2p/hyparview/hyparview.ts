/**
 * HyParView membership as a sans-IO state machine (Leitão, Pereira, Rodrigues, DSN
 * 2007). Inputs: `join`, `addCandidates`, `receive`, `connectionDown`, `unreachable`,
 * `tick`; outputs: effects drained with `takeEffects()`. No clock, socket or global
 * randomness: time is the `now` argument and randomness the injected `Rng`.
 *
 * Beyond the paper (each marked where it happens):
 * - eclipse defence: an `admit` hook (IP-group diversity) guards both views, the
 *   `reservedOutbound` oldest self-chosen links cannot be evicted by requests from
 *   others, FORWARD_JOIN and SHUFFLE are only taken from active neighbours and a
 *   SHUFFLE_REPLY only with the nonce of this node's last shuffle;
 * - pending requests time out (`neighborTimeoutMs`), so a lost reply or a dial that
 *   hangs counts as a failed peer;
 * - neighbours lost to a failure are retried with backoff (`reconnect`), which is how
 *   the two sides of a healed partition find each other again.
 */
import { DeadlineQueue } from '../deadlines.js';
import { pickOne, sample, type Rng } from '../rng.js';
import type { PeerId, PeerInfo } from '../types.js';
import { resolveHyParViewConfig, type HyParViewConfig } from './config.js';
import type { HyParViewEffect, HyParViewMessage, Priority } from './messages.js';
import { ActiveView, PassiveView, type ActiveEntry } from './views.js';

export type ViewName = 'active' | 'passive';

export interface HyParViewInit {
  readonly self: PeerInfo;
  readonly rng: Rng;
  readonly config?: Partial<HyParViewConfig>;
  /** Eclipse defence: may a peer at `addr` enter `view`, whose members are at `members`? */
  readonly admit?: (view: ViewName, addr: string | undefined, members: Iterable<string | undefined>) => boolean;
  readonly isBanned?: (peer: PeerId) => boolean;
}

interface Pending {
  readonly info: PeerInfo;
  readonly addr: string | undefined;
  readonly priority: Priority;
  readonly kind: 'join' | 'neighbor' | 'reconnect';
  readonly deadline: number;
}

interface Lost {
  readonly info: PeerInfo;
  readonly addr: string | undefined;
  readonly since: number;
  attempts: number;
}

type Timer = { kind: 'shuffle' } | { kind: 'pending'; peer: PeerId; deadline: number } | { kind: 'reconnect'; peer: PeerId };

const firstAddr = (info: PeerInfo): string | undefined => info.addrs[0];

export class HyParView {
  readonly config: HyParViewConfig;
  readonly self: PeerInfo;
  private readonly rng: Rng;
  private readonly activeView: ActiveView;
  private readonly passiveView: PassiveView;
  private readonly pending = new Map<PeerId, Pending>();
  private readonly lost = new Map<PeerId, Lost>();
  private readonly timers = new DeadlineQueue<Timer>();
  private readonly admitHook: NonNullable<HyParViewInit['admit']>;
  private readonly banned: (peer: PeerId) => boolean;
  private lastShuffle: { nonce: number; sent: PeerId[] } | undefined;
  private effects: HyParViewEffect[] = [];
  private scheduled: number | undefined;
  private started = false;
  private isolatedReported = false;
  private lastNeedPeers = -Infinity;

  constructor(init: HyParViewInit) {
    this.config = resolveHyParViewConfig(init.config);
    this.self = init.self;
    this.rng = init.rng;
    this.activeView = new ActiveView(this.config.activeViewSize, this.config.reservedOutbound);
    this.passiveView = new PassiveView(this.config.passiveViewSize);
    this.admitHook = init.admit ?? (() => true);
    this.banned = init.isBanned ?? (() => false);
  }

  // ---- queries ----

  active(): PeerInfo[] {
    return this.activeView.entries().map((e) => e.info);
  }
  activeIds(): PeerId[] {
    return this.activeView.ids();
  }
  passive(): PeerInfo[] {
    return this.passiveView.entries().map((e) => e.info);
  }
  isActive(peer: PeerId): boolean {
    return this.activeView.has(peer);
  }
  /** The descriptor of an active or passive peer. */
  infoOf(peer: PeerId): PeerInfo | undefined {
    return this.activeView.get(peer)?.info ?? this.passiveView.get(peer)?.info ?? this.pending.get(peer)?.info;
  }
  activeEntries(): readonly ActiveEntry[] {
    return this.activeView.entries();
  }
  pendingCount(): number {
    return this.pending.size;
  }

  /** Effects produced since the last call, in order. */
  takeEffects(): HyParViewEffect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  // ---- inputs ----

  /** Starts the shuffle timer (first round at a random point of the first period, so nodes desynchronise). */
  start(now: number): void {
    if (this.started) return;
    this.started = true;
    this.timers.push(now + this.rng.next() * this.config.shuffleIntervalMs, { kind: 'shuffle' });
    this.flushSchedule();
  }

  /** Joins the overlay through `contact` (§4.2). */
  join(contact: PeerInfo, now: number): void {
    if (contact.id === this.self.id || this.activeView.has(contact.id) || this.pending.has(contact.id)) return;
    this.request(contact, firstAddr(contact), 'high', 'join', now);
    this.flushSchedule();
  }

  /** Peers found outside the protocol (DHT walk, mDNS, peer store) go to the passive view. */
  addCandidates(peers: readonly PeerInfo[], now: number): void {
    for (const p of peers) this.addPassive(p, firstAddr(p));
    this.fillActive(now);
    this.flushSchedule();
  }

  /**
   * A message from `from`. `remoteAddr` is the address the transport observed (used by
   * the diversity limits for links the peer opened).
   */
  receive(from: PeerId, msg: HyParViewMessage, now: number, remoteAddr?: string): void {
    if (from === this.self.id || this.banned(from)) return;
    switch (msg.type) {
      case 'join':
        this.onJoin({ id: from, addrs: msg.peer.addrs }, remoteAddr ?? firstAddr(msg.peer), now);
        break;
      case 'forwardJoin':
        this.onForwardJoin(from, msg.peer, msg.ttl, now);
        break;
      case 'neighbor':
        this.onNeighbor({ id: from, addrs: msg.peer.addrs }, remoteAddr ?? firstAddr(msg.peer), msg.priority, now);
        break;
      case 'neighborReply':
        this.onNeighborReply(from, msg.accepted, now);
        break;
      case 'disconnect':
        this.onDisconnect(from, msg.alive, now);
        break;
      case 'shuffle':
        this.onShuffle(from, msg.origin, msg.ttl, msg.peers, msg.nonce);
        break;
      case 'shuffleReply':
        if (this.lastShuffle?.nonce === msg.nonce) {
          this.integrate(msg.peers, this.lastShuffle.sent);
          this.lastShuffle = undefined;
        } else {
          this.unsolicited(from); // a reply to no shuffle of ours: passive-view poisoning
        }
        break;
    }
    this.flushSchedule();
  }

  /** The transport lost the connection to `peer`: a failed neighbour (§4.3). */
  connectionDown(peer: PeerId, now: number): void {
    const e = this.activeView.get(peer);
    if (e) {
      this.removeActive(peer);
      this.rememberLost(e, now);
    }
    if (this.pending.delete(peer)) this.passiveView.delete(peer);
    this.fillActive(now);
    this.flushSchedule();
  }

  /** A dial to `peer` failed: it is dead or unreachable, so it leaves every view. */
  unreachable(peer: PeerId, now: number): void {
    this.pending.delete(peer);
    this.passiveView.delete(peer);
    if (this.activeView.has(peer)) {
      this.connectionDown(peer, now);
      return;
    }
    this.fillActive(now);
    this.flushSchedule();
  }

  /** Drops a banned peer from every view and closes its link. */
  ban(peer: PeerId, now: number): void {
    if (this.activeView.has(peer)) {
      this.removeActive(peer);
      this.effects.push({ type: 'disconnect', peer });
    }
    this.passiveView.delete(peer);
    this.pending.delete(peer);
    this.lost.delete(peer);
    this.fillActive(now);
    this.flushSchedule();
  }

  tick(now: number): void {
    for (let t = this.timers.popDue(now); t !== undefined; t = this.timers.popDue(now)) {
      if (t.kind === 'shuffle') this.onShuffleTimer(now);
      else if (t.kind === 'pending') this.onPendingTimeout(t.peer, t.deadline, now);
      else this.onReconnectTimer(t.peer, now);
    }
    this.scheduled = undefined; // always re-announce: the driver's timer has fired
    this.flushSchedule();
  }

  // ---- handlers (paper Algorithm 1) ----

  private onJoin(info: PeerInfo, addr: string | undefined, now: number): void {
    if (this.activeView.has(info.id)) {
      this.reply(info, true);
      return;
    }
    if (!this.canAccept(addr, 'high')) {
      this.reply(info, false); // eclipse defence: a refused JOIN is not forwarded either
      return;
    }
    this.pending.delete(info.id);
    this.addActive(info, addr, false, now);
    this.reply(info, true);
    for (const e of this.activeView.entries()) {
      if (e.info.id !== info.id) this.send(e.info, { type: 'forwardJoin', peer: info, ttl: this.config.activeRandomWalkLength });
    }
  }

  private onForwardJoin(from: PeerId, peer: PeerInfo, ttl: number, now: number): void {
    if (!this.activeView.has(from)) {
      this.unsolicited(from); // walks travel over active links only
      return;
    }
    if (peer.id === this.self.id || this.activeView.has(peer.id) || this.banned(peer.id)) return;
    if (ttl <= 0 || this.activeView.size === 1) {
      this.acceptWalk(peer, now);
      return;
    }
    if (ttl === this.config.passiveRandomWalkLength) this.addPassive(peer, firstAddr(peer));
    const next = this.activeView.random(this.rng, (id) => id === from || id === peer.id);
    if (next) this.send(next.info, { type: 'forwardJoin', peer, ttl: ttl - 1 });
    else this.acceptWalk(peer, now);
  }

  /** End of a FORWARD_JOIN walk: take the new node in, with high priority so it cannot refuse. */
  private acceptWalk(peer: PeerInfo, now: number): void {
    // Bounded: a neighbour flooding FORWARD_JOINs must not make this node dial the world.
    if (this.pending.has(peer.id) || this.pending.size >= 2 * this.activeView.capacity) return;
    const addr = firstAddr(peer);
    if (!this.admitHook('active', addr, this.activeView.addrs())) return;
    this.request(peer, addr, 'high', 'neighbor', now);
  }

  private onNeighbor(info: PeerInfo, addr: string | undefined, priority: Priority, now: number): void {
    if (this.activeView.has(info.id)) {
      this.reply(info, true);
      return;
    }
    const crossed = this.pending.get(info.id); // both asked each other at once
    if (crossed || this.canAccept(addr, priority)) {
      this.pending.delete(info.id);
      if (this.addActive(info, addr, crossed !== undefined, now)) {
        this.reply(info, true);
        return;
      }
    }
    this.reply(info, false);
    this.addPassive(info, addr);
  }

  private onNeighborReply(from: PeerId, accepted: boolean, now: number): void {
    const p = this.pending.get(from);
    if (!p) {
      // A reply nobody is waiting for (timed out, or never asked): make sure the peer does not count us as a neighbour.
      if (accepted && !this.activeView.has(from)) this.sendDisconnect(from, true);
      return;
    }
    this.pending.delete(from);
    if (accepted) {
      const room = !this.activeView.full || p.priority === 'high';
      if (!(room && this.addActive(p.info, p.addr, true, now))) {
        this.sendDisconnect(from, true, p.info);
        this.addPassive(p.info, p.addr);
      }
    } else {
      this.addPassive(p.info, p.addr);
      const e = this.passiveView.get(from);
      if (e) e.rejectedAt = now;
    }
    this.fillActive(now);
  }

  private onDisconnect(from: PeerId, alive: boolean, now: number): void {
    const e = this.activeView.get(from);
    const p = this.pending.get(from);
    this.pending.delete(from);
    if (e) {
      this.removeActive(from);
      if (alive) this.addPassive(e.info, e.addr);
    } else if (p && alive) {
      this.addPassive(p.info, p.addr);
    }
    this.fillActive(now);
  }

  // ---- shuffles (§4.4) ----

  private onShuffle(from: PeerId, origin: PeerInfo, ttl: number, peers: readonly PeerInfo[], nonce: number): void {
    if (!this.activeView.has(from)) {
      this.unsolicited(from);
      return;
    }
    if (origin.id === this.self.id) return;
    if (ttl - 1 > 0 && this.activeView.size > 1) {
      const next = this.activeView.random(this.rng, (id) => id === from || id === origin.id);
      if (next) {
        this.send(next.info, { type: 'shuffle', origin, ttl: ttl - 1, peers, nonce });
        return;
      }
    }
    const replyPeers = sample(this.rng, this.passive(), peers.length);
    this.send(origin, { type: 'shuffleReply', peers: replyPeers, nonce });
    this.integrate(peers, replyPeers.map((p) => p.id));
  }

  private onShuffleTimer(now: number): void {
    this.timers.push(now + this.config.shuffleIntervalMs, { kind: 'shuffle' });
    this.fillActive(now); // periodic repair: a view left short by refusals is retried here
    const target = this.activeView.random(this.rng);
    if (!target) return;
    const others = this.active().filter((p) => p.id !== target.info.id);
    const peers = [this.self, ...sample(this.rng, others, this.config.shuffleActive), ...sample(this.rng, this.passive(), this.config.shufflePassive)];
    const nonce = this.rng.u32();
    this.lastShuffle = { nonce, sent: peers.map((p) => p.id) };
    this.send(target.info, { type: 'shuffle', origin: this.self, ttl: this.config.activeRandomWalkLength, peers, nonce });
  }

  private integrate(peers: readonly PeerInfo[], preferEvict: readonly PeerId[]): void {
    for (const p of peers) this.addPassive(p, firstAddr(p), preferEvict);
  }

  // ---- failures and repair (§4.3) ----

  private onPendingTimeout(peer: PeerId, deadline: number, now: number): void {
    const p = this.pending.get(peer);
    if (!p || p.deadline !== deadline) return;
    this.pending.delete(peer);
    this.passiveView.delete(peer);
    this.fillActive(now);
  }

  /** Promotes passive peers until the active view (with requests in flight) is full. */
  private fillActive(now: number): void {
    const cap = this.activeView.capacity;
    let inFlight = 0;
    for (const p of this.pending.values()) if (p.kind !== 'reconnect') inFlight++;
    for (let i = 0; i < cap && this.activeView.size + inFlight < cap; i++) {
      const candidates = this.passiveView
        .entries()
        .filter((e) => !this.pending.has(e.info.id) && (e.rejectedAt === undefined || now - e.rejectedAt >= this.config.rejectionBackoffMs));
      const pick = pickOne(this.rng, candidates.filter((e) => this.admitHook('active', e.addr, this.activeView.addrs())));
      if (!pick) break;
      // An empty active view asks with high priority, which the receiver may not refuse.
      this.request(pick.info, pick.addr, this.activeView.size === 0 ? 'high' : 'low', 'neighbor', now);
      inFlight++;
    }
    const isolated = this.activeView.size === 0 && this.pending.size === 0;
    if (isolated && !this.isolatedReported) this.effects.push({ type: 'isolated' });
    this.isolatedReported = isolated;
    // Short of neighbours with nobody left to ask: the passive view has gone stale (a
    // group of nodes can end up shuffling only among themselves). Ask the driver for
    // fresh peers from discovery, at most once per shuffle period.
    if (!isolated && this.activeView.size + inFlight < cap && now - this.lastNeedPeers >= this.config.shuffleIntervalMs) {
      this.lastNeedPeers = now;
      this.effects.push({ type: 'needPeers' });
    }
  }

  private rememberLost(e: ActiveEntry, now: number): void {
    const r = this.config.reconnect;
    if (r.maxPeers === 0 || r.retentionMs === 0) return;
    this.lost.delete(e.info.id);
    this.lost.set(e.info.id, { info: e.info, addr: e.addr, since: now, attempts: 0 });
    if (this.lost.size > r.maxPeers) this.lost.delete(this.lost.keys().next().value!);
    this.timers.push(now + r.initialMs * (0.5 + this.rng.next()), { kind: 'reconnect', peer: e.info.id });
  }

  /**
   * Not in the paper: a neighbour lost to a failure is asked again, with backoff, at high
   * priority. After a partition heals both sides of each cut link do this, which
   * reconnects the overlay (the paper's protocol alone never links two components).
   */
  private onReconnectTimer(peer: PeerId, now: number): void {
    const l = this.lost.get(peer);
    if (!l) return;
    const r = this.config.reconnect;
    if (this.activeView.has(peer) || this.banned(peer) || now - l.since > r.retentionMs) {
      this.lost.delete(peer);
      return;
    }
    l.attempts++;
    this.timers.push(now + Math.min(r.maxMs, r.initialMs * 2 ** l.attempts), { kind: 'reconnect', peer });
    if (!this.pending.has(peer) && this.admitHook('active', l.addr, this.activeView.addrs())) {
      this.request(l.info, l.addr, 'high', 'reconnect', now);
    }
  }

  // ---- view changes ----

  private canAccept(addr: string | undefined, priority: Priority): boolean {
    if (!this.admitHook('active', addr, this.activeView.addrs())) return false;
    if (!this.activeView.full) return true;
    return priority === 'high' && this.activeView.evictable().length > 0;
  }

  /** Adds to the active view, evicting a random evictable member when full (§4.3 dropRandomElementFromActiveView). */
  private addActive(info: PeerInfo, addr: string | undefined, outbound: boolean, now: number): boolean {
    if (info.id === this.self.id || this.banned(info.id)) return false;
    if (this.activeView.has(info.id)) return true;
    if (this.activeView.full) {
      const victim = pickOne(this.rng, this.activeView.evictable());
      if (!victim) return false;
      this.sendDisconnect(victim.info.id, true, victim.info);
      this.removeActive(victim.info.id);
      this.addPassive(victim.info, victim.addr);
    }
    this.passiveView.delete(info.id);
    this.lost.delete(info.id);
    this.activeView.add({ info, addr, outbound, since: now });
    this.isolatedReported = false;
    this.effects.push({ type: 'neighborUp', peer: info });
    return true;
  }

  private removeActive(peer: PeerId): void {
    if (this.activeView.remove(peer)) this.effects.push({ type: 'neighborDown', peer });
  }

  private addPassive(info: PeerInfo, addr: string | undefined, preferEvict: readonly PeerId[] = []): void {
    const id = info.id;
    if (id === this.self.id || this.activeView.has(id) || this.passiveView.has(id) || this.banned(id)) return;
    if (!this.admitHook('passive', addr, this.passiveView.addrs())) return;
    this.passiveView.add({ info, addr }, this.rng, preferEvict);
  }

  // ---- output helpers ----

  private request(info: PeerInfo, addr: string | undefined, priority: Priority, kind: Pending['kind'], now: number): void {
    const deadline = now + this.config.neighborTimeoutMs;
    this.pending.set(info.id, { info, addr, priority, kind, deadline });
    this.timers.push(deadline, { kind: 'pending', peer: info.id, deadline });
    this.send(info, kind === 'join' ? { type: 'join', peer: this.self } : { type: 'neighbor', peer: this.self, priority });
  }

  private reply(to: PeerInfo, accepted: boolean): void {
    this.send(to, { type: 'neighborReply', peer: this.self, accepted });
  }

  private sendDisconnect(peer: PeerId, alive: boolean, info: PeerInfo = this.infoOf(peer) ?? { id: peer, addrs: [] }): void {
    this.send(info, { type: 'disconnect', alive });
    this.effects.push({ type: 'disconnect', peer });
  }

  /** Costs little (a neighbour dropped a moment ago may still send one), adds up for a flood. */
  private unsolicited(peer: PeerId): void {
    this.effects.push({ type: 'penalize', peer, offence: 'unsolicited' });
  }

  private send(to: PeerInfo, message: HyParViewMessage): void {
    this.effects.push({ type: 'send', to, message });
  }

  private flushSchedule(): void {
    const next = this.timers.next();
    if (next !== undefined && next !== this.scheduled) {
      this.scheduled = next;
      this.effects.push({ type: 'schedule', at: next });
    }
  }
}

export function createHyParView(init: HyParViewInit): HyParView {
  return new HyParView(init);
}

/**
 * Plumtree broadcast as a sans-IO state machine (Leitão, Pereira, Rodrigues,
 * "Epidemic Broadcast Trees", SRDS 2007, Algorithms 1–3). Payloads are pushed eagerly
 * over tree links and announced lazily (IHAVE) over the others; a duplicate prunes the
 * link it came over, a missing announced message grafts one. Neighbours come from the
 * membership layer (`neighborUp`/`neighborDown`), effects go out through
 * `takeEffects()`, time is the `now` argument.
 *
 * Additions to the paper, each bounded: a validation hook before forwarding, a
 * priority group (validators) that also gets the origin's copy directly, IHAVE
 * batching, per-peer rate limits on IHAVE ids and GRAFT re-sends, caps on every
 * table, penalties for invalid messages and broken IHAVE promises, and a catch-up
 * IHAVE of recent ids to each new neighbour.
 */
import type { Offence } from '../eclipse/scores.js';
import { DeadlineQueue } from '../deadlines.js';
import { TokenBucket } from '../token-bucket.js';
import type { PeerId } from '../types.js';
import { MessageCache } from './cache.js';
import { resolvePlumtreeConfig, type PlumtreeConfig } from './config.js';
import { messageIdOf, type MessageId } from './message-id.js';
import type { MessageRef, PlumtreeEffect, PlumtreeMessage, ValidationResult, Validator } from './messages.js';
import { MissingMessages, type Announcement } from './missing.js';
import { RttEstimator } from './rtt.js';

export interface PlumtreeInit {
  readonly self: PeerId;
  readonly config?: Partial<PlumtreeConfig>;
  /** Runs on every new payload before it is delivered or forwarded. Default: accept. */
  readonly validate?: Validator;
  /** Message id of a payload; default SHA-256 hex. A driver may memoise it (the simulator does). */
  readonly messageId?: (payload: Uint8Array) => MessageId;
}

export interface BroadcastOptions {
  /** Also send straight to every priority peer (consensus messages between validators). */
  readonly direct?: boolean;
}

export interface PlumtreeStats {
  eager: number;
  lazy: number;
  cached: number;
  cachedBytes: number;
  missing: number;
  pendingValidations: number;
}

/** Why announcements, GRAFTs or repairs went nowhere: the socket bench reads these to find delivery gaps. */
export interface PlumtreeDrops {
  /** IHAVE from a peer that is neither eager nor lazy here. */
  ihaveFromStranger: number;
  /** GRAFT from a peer that is neither eager nor lazy here. */
  graftFromStranger: number;
  /** GRAFT for a message whose payload is no longer (or never was) here. */
  graftWithoutPayload: number;
  /** A missing message whose announcers were all tried: given up. */
  repairGivenUp: number;
}

type Timer = { kind: 'graft'; id: MessageId } | { kind: 'flush' };

const MAX_ROUND = 0xffff_ffff;
/** Repaired ids remembered for the late-tree-copy sample. */
const MAX_REPAIRED_TRACKED = 1_024;

interface PendingValidation {
  readonly from: PeerId;
  readonly payload: Uint8Array;
  readonly round: number;
  readonly direct: boolean;
}

export class Plumtree {
  readonly config: PlumtreeConfig;
  readonly self: PeerId;
  private readonly validate: Validator;
  private readonly idOf: (payload: Uint8Array) => MessageId;
  private readonly eager = new Set<PeerId>();
  private readonly lazy = new Set<PeerId>();
  private readonly cache: MessageCache;
  private readonly missing: MissingMessages;
  private readonly lazyQueues = new Map<PeerId, MessageRef[]>();
  private readonly ihaveBuckets = new Map<PeerId, TokenBucket>();
  private readonly graftBuckets = new Map<PeerId, TokenBucket>();
  private readonly pendingValidations = new Map<MessageId, PendingValidation>();
  private readonly timers = new DeadlineQueue<Timer>();
  private priorityPeers = new Set<PeerId>();
  /** Consecutive duplicates each eager peer has sent (reset by a first copy). */
  private readonly duplicateStreak = new Map<PeerId, number>();
  /** The lazy peer that has beaten the tree by the threshold on consecutive messages, and how often. */
  private optimizationCandidate: { peer: PeerId; streak: number } | undefined;
  private flushArmed = false;
  private lastOptimization = -Infinity;
  private effects: PlumtreeEffect[] = [];
  private scheduled: number | undefined;
  /** How late the tree's copy of a message is after its first IHAVE: sets timeout1. */
  private readonly ihaveWait: RttEstimator;
  /** Per neighbour, GRAFT → payload round trips: set timeout2 for that neighbour. */
  private readonly graftRtt = new Map<PeerId, RttEstimator>();
  /** Ids that arrived as GRAFT answers → when their first IHAVE came, until the tree's copy shows up (bounded). */
  private readonly repaired = new Map<MessageId, { firstAt: number; asked: PeerId[] }>();
  readonly drops: PlumtreeDrops = { ihaveFromStranger: 0, graftFromStranger: 0, graftWithoutPayload: 0, repairGivenUp: 0 };

  constructor(init: PlumtreeInit) {
    this.config = resolvePlumtreeConfig(init.config);
    this.self = init.self;
    this.validate = init.validate ?? (() => 'accept');
    this.idOf = init.messageId ?? messageIdOf;
    this.cache = new MessageCache(this.config.cache);
    this.missing = new MissingMessages(this.config.missing);
    this.ihaveWait = new RttEstimator({ initialMs: this.config.ihaveTimeoutMs, minMs: this.config.ihaveTimeoutMs, maxMs: this.config.ihaveTimeoutMaxMs });
  }

  /** timeout1 now: how long a new IHAVE waits for the tree's copy before a GRAFT. */
  ihaveTimeout(): number {
    return this.ihaveWait.timeoutMs();
  }

  /** timeout2 for `peer`: how long a GRAFT to it waits for the payload before the next announcer is asked. */
  graftTimeout(peer: PeerId): number {
    return this.graftRtt.get(peer)?.timeoutMs() ?? this.config.graftRetryMs;
  }

  /** A round trip to neighbour `peer` measured outside the protocol (the transport's ping). */
  rttSample(peer: PeerId, ms: number): void {
    if (this.eager.has(peer) || this.lazy.has(peer)) this.peerRtt(peer).sample(ms);
  }

  private peerRtt(peer: PeerId): RttEstimator {
    let e = this.graftRtt.get(peer);
    if (!e) this.graftRtt.set(peer, (e = new RttEstimator({ initialMs: this.config.graftRetryMs, minMs: this.config.graftRetryMs, maxMs: this.config.graftRetryMaxMs })));
    return e;
  }

  // ---- queries ----

  eagerPeers(): PeerId[] {
    return [...this.eager];
  }
  lazyPeers(): PeerId[] {
    return [...this.lazy];
  }
  hasMessage(id: MessageId): boolean {
    const e = this.cache.get(id);
    return e !== undefined && e.status === 'valid';
  }
  stats(): PlumtreeStats {
    return {
      eager: this.eager.size,
      lazy: this.lazy.size,
      cached: this.cache.size,
      cachedBytes: this.cache.bytes,
      missing: this.missing.size,
      pendingValidations: this.pendingValidations.size,
    };
  }

  takeEffects(): PlumtreeEffect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }

  setPriorityPeers(peers: Iterable<PeerId>): void {
    this.priorityPeers = new Set(peers);
    this.priorityPeers.delete(this.self);
  }

  // ---- membership (§3.7) ----

  /** A new neighbour starts eager; it also hears of recent messages it may have missed. */
  neighborUp(peer: PeerId, now: number): void {
    if (peer === this.self || this.eager.has(peer) || this.lazy.has(peer)) return;
    this.eager.add(peer);
    const { maxIds, windowMs } = this.config.catchUp;
    if (maxIds > 0) {
      const recent = this.cache.recent(now, windowMs, maxIds);
      for (let i = 0; i < recent.length; i += this.config.maxIHaveEntries) {
        this.send(peer, { type: 'ihave', entries: recent.slice(i, i + this.config.maxIHaveEntries) });
      }
    }
    this.flushSchedule();
  }

  neighborDown(peer: PeerId): void {
    this.duplicateStreak.delete(peer);
    this.eager.delete(peer);
    this.lazy.delete(peer);
    this.missing.removePeer(peer);
    this.lazyQueues.delete(peer);
    this.ihaveBuckets.delete(peer);
    this.graftBuckets.delete(peer);
    this.graftRtt.delete(peer);
  }

  // ---- broadcast and receive (Algorithm 1) ----

  /** Broadcasts `payload`; returns its id. A payload already seen is not sent again. */
  broadcast(payload: Uint8Array, now: number, opts: BroadcastOptions = {}): MessageId {
    this.cache.expire(now);
    const id = this.idOf(payload);
    if (this.cache.has(id)) {
      this.cache.touch(id, now);
      return id;
    }
    this.cache.put(id, { status: 'valid', round: 0, payload }, now);
    this.missing.take(id);
    this.eagerPush(payload, 0, this.self);
    this.lazyPush(id, 0, this.self, now);
    if (opts.direct) {
      for (const p of this.priorityPeers) if (!this.eager.has(p)) this.send(p, { type: 'gossip', payload, round: 0, direct: true });
    }
    this.flushSchedule();
    return id;
  }

  receive(from: PeerId, msg: PlumtreeMessage, now: number): void {
    if (from === this.self) return;
    this.cache.expire(now);
    switch (msg.type) {
      case 'gossip':
        this.onGossip(from, msg.payload, msg.round, msg.direct === true && this.priorityPeers.has(from), now);
        break;
      case 'ihave':
        this.onIHave(from, msg.entries, now);
        break;
      case 'graft':
        this.onGraft(from, msg.entries, now);
        break;
      case 'prune':
        if (this.eager.delete(from)) this.lazy.add(from);
        break;
    }
    this.flushSchedule();
  }

  /** Outcome of a validation that returned 'defer'. */
  validationResult(id: MessageId, result: Exclude<ValidationResult, 'defer'>, now: number): void {
    const p = this.pendingValidations.get(id);
    if (!p) return;
    this.pendingValidations.delete(id);
    this.settle(id, p, result, now);
    this.flushSchedule();
  }

  tick(now: number): void {
    this.cache.expire(now);
    const grafts = new Map<PeerId, MessageRef[]>();
    for (let t = this.timers.popDue(now); t !== undefined; t = this.timers.popDue(now)) {
      if (t.kind === 'flush') this.flushLazy();
      else this.onGraftTimer(t.id, now, grafts);
    }
    for (const [peer, entries] of grafts) {
      for (let i = 0; i < entries.length; i += this.config.maxIHaveEntries) this.send(peer, { type: 'graft', entries: entries.slice(i, i + this.config.maxIHaveEntries) });
    }
    this.scheduled = undefined;
    this.flushSchedule();
  }

  private onGossip(from: PeerId, payload: Uint8Array, round: number, direct: boolean, now: number): void {
    const id = this.idOf(payload);
    const seen = this.cache.get(id);
    if (seen) {
      this.cache.touch(id, now);
      if (seen.status === 'invalid') {
        this.penalize(from, 'invalid_message');
        return;
      }
      if (direct) return; // a direct copy says nothing about the tree
      this.lateTreeCopy(id, from, now);
      if (seen.firstDirect) {
        seen.firstDirect = false; // the tree copy that follows a direct one is expected, not redundant
        return;
      }
      this.onDuplicate(from);
      return;
    }
    const p: PendingValidation = { from, payload, round, direct };
    const verdict = this.runValidator(payload, from, id, now);
    if (verdict === 'defer') {
      if (this.pendingValidations.size >= this.config.maxPendingValidations) return; // shed load: not seen, a later copy may get through
      this.cache.put(id, { status: 'pending', round, firstDirect: direct }, now);
      this.pendingValidations.set(id, p);
      return;
    }
    this.settle(id, p, verdict, now);
  }

  /** A validator that throws is a bug on this side: the message is dropped without blaming the sender, and the node keeps running. */
  private runValidator(payload: Uint8Array, from: PeerId, id: MessageId, now: number): ValidationResult {
    try {
      return this.validate(payload, from, id, now);
    } catch {
      return 'ignore';
    }
  }

  private settle(id: MessageId, p: PendingValidation, verdict: Exclude<ValidationResult, 'defer'>, now: number): void {
    if (verdict !== 'accept') {
      this.cache.put(id, { status: verdict === 'reject' ? 'invalid' : 'ignored', round: p.round }, now);
      this.missing.take(id);
      if (verdict === 'reject') this.penalize(p.from, 'invalid_message');
      return;
    }
    this.cache.put(id, { status: 'valid', round: p.round, payload: p.payload, firstDirect: p.direct }, now);
    this.measure(id, p.from, now);
    const announcements = this.missing.take(id);
    this.effects.push({ type: 'deliver', id, payload: p.payload, from: p.from, round: p.round });
    this.duplicateStreak.delete(p.from);
    // The paper also moves the sender to eagerPushPeers here. Not done: a lazy sender
    // is either answering our GRAFT (already made eager then) or has not yet read our
    // PRUNE, and re-adding it would undo a prune of a concurrent message (measured in
    // the simulator: RMR 0.9 at 10 msg/s from random origins with the paper's rule).
    const next = Math.min(p.round + 1, MAX_ROUND); // uint32 on the wire
    this.eagerPush(p.payload, next, p.from);
    this.lazyPush(id, next, p.from, now);
    if (this.eager.has(p.from) && !p.direct) this.optimize(p.round, p.from, announcements, now);
  }

  /**
   * Timeout samples from a message that was announced before it arrived: the answer to
   * our GRAFT is a round trip to that peer; a copy from anyone not asked says how late
   * the tree's copy was after the first IHAVE. Copies we asked for do not count for the
   * latter (each would be the old timeout plus a round trip, and timeout1 would only grow).
   */
  private measure(id: MessageId, from: PeerId, now: number): void {
    const e = this.missing.get(id);
    if (!e) return;
    if (e.grafted === from) {
      if (this.eager.has(from) || this.lazy.has(from)) this.peerRtt(from).sample(now - e.graftedAt);
      if (this.repaired.size >= MAX_REPAIRED_TRACKED) this.repaired.delete(this.repaired.keys().next().value!);
      this.repaired.set(id, { firstAt: e.firstAt, asked: e.tried.map((a) => a.peer) });
    } else if (!e.tried.some((a) => a.peer === from)) {
      this.ihaveWait.sample(now - e.firstAt);
    }
  }

  /**
   * The tree's copy of a message we already got by GRAFT: it was this late after the
   * first IHAVE. Without this sample a timeout1 that is too short never learns, because
   * the GRAFT answer always wins and the tree copy is only a duplicate.
   */
  private lateTreeCopy(id: MessageId, from: PeerId, now: number): void {
    const r = this.repaired.get(id);
    if (!r || r.asked.includes(from)) return; // a late answer to an earlier GRAFT, not the tree
    this.repaired.delete(id);
    this.ihaveWait.sample(now - r.firstAt);
  }

  /**
   * A duplicate over an eager link means a cycle of eager links. The paper prunes the
   * link at once (Algorithm 1, "else" branch); here only after `pruneAfterDuplicates`
   * duplicates in a row with no first copy in between. With concurrent broadcasts from
   * many origins each message meets itself at a different point of the same cycle, so
   * pruning at once removes several links of one cycle and splits the tree, and the
   * GRAFTs that repair the split close new cycles: measured in the simulator at 200
   * nodes and 10 msg/s from random origins, RMR stays at 0.4–0.9 with immediate prunes
   * and settles at 0.01–0.05 with 5 (0.017 at 1,000 nodes; README, "Deviations").
   */
  private onDuplicate(from: PeerId): void {
    if (!this.eager.has(from) && !this.lazy.has(from)) return;
    if (this.eager.has(from)) {
      const streak = (this.duplicateStreak.get(from) ?? 0) + 1;
      if (streak < this.config.pruneAfterDuplicates) {
        this.duplicateStreak.set(from, streak);
        return;
      }
      this.duplicateStreak.delete(from);
      this.eager.delete(from);
      this.lazy.add(from);
    }
    this.send(from, { type: 'prune' });
  }

  private eagerPush(payload: Uint8Array, round: number, except: PeerId): void {
    for (const peer of this.eager) if (peer !== except) this.send(peer, { type: 'gossip', payload, round });
  }

  /** Queues IHAVE for every lazy peer; flushed together after `lazyFlushMs` (§3.6). */
  private lazyPush(id: MessageId, round: number, except: PeerId, now: number): void {
    for (const peer of this.lazy) {
      if (peer === except) continue;
      let q = this.lazyQueues.get(peer);
      if (!q) this.lazyQueues.set(peer, (q = []));
      if (q.length >= this.config.lazyQueueLimit) q.shift();
      q.push({ id, round });
    }
    if (!this.flushArmed && this.lazyQueues.size > 0) {
      this.flushArmed = true;
      this.timers.push(now + this.config.lazyFlushMs, { kind: 'flush' });
    }
  }

  private flushLazy(): void {
    this.flushArmed = false;
    for (const [peer, q] of this.lazyQueues) {
      for (let i = 0; i < q.length; i += this.config.maxIHaveEntries) this.send(peer, { type: 'ihave', entries: q.slice(i, i + this.config.maxIHaveEntries) });
    }
    this.lazyQueues.clear();
  }

  // ---- lazy repair (Algorithm 2) ----

  private onIHave(from: PeerId, entries: readonly MessageRef[], now: number): void {
    if (!this.eager.has(from) && !this.lazy.has(from)) {
      this.drops.ihaveFromStranger++;
      return;
    }
    let bucket = this.ihaveBuckets.get(from);
    if (!bucket) this.ihaveBuckets.set(from, (bucket = new TokenBucket(this.config.ihaveRate, now)));
    const allowed = bucket.takeUpTo(entries.length, now);
    if (allowed < entries.length) this.penalize(from, 'rate_limited');
    for (let i = 0; i < allowed; i++) {
      const { id, round } = entries[i];
      if (this.cache.has(id)) continue;
      if (this.missing.add(id, from, round, now) === 'first') this.timers.push(now + this.ihaveWait.timeoutMs(), { kind: 'graft', id });
    }
  }

  /**
   * timeout1/timeout2 expired for `id`: GRAFT the next announcer (Algorithm 2 "Timer").
   * When every announcer has been asked once, the ones still neighbours are asked again
   * in turn, up to `maxGraftAttempts` GRAFTs in all.
   */
  private onGraftTimer(id: MessageId, now: number, grafts: Map<PeerId, MessageRef[]>): void {
    const entry = this.missing.get(id);
    if (!entry) return;
    if (this.cache.has(id)) {
      this.missing.take(id);
      return;
    }
    const neighbour = (p: PeerId): boolean => this.eager.has(p) || this.lazy.has(p);
    // a broken promise costs once per message and peer, however often it is asked again
    if (entry.grafted !== undefined && !entry.charged.includes(entry.grafted)) {
      entry.charged.push(entry.grafted);
      this.penalize(entry.grafted, 'broken_promise');
    }
    // Prefer an announcer whose link is already eager (grafted for another message of
    // the same gap): one new tree link per gap, not one per missing message, which under
    // concurrent broadcasts would close cycles and set off a cascade of prunes.
    let next: Announcement | undefined;
    while ((next = this.missing.shift(id, (p) => this.eager.has(p))) && !neighbour(next.peer)) {
      // announcer gone since (NeighborDown already dropped most; this catches the rest)
    }
    next ??= this.missing.retry(id, neighbour);
    if (!next || entry.attempts >= this.config.maxGraftAttempts) {
      this.missing.take(id);
      this.drops.repairGivenUp++;
      return;
    }
    entry.attempts++;
    entry.grafted = next.peer;
    entry.graftedAt = now;
    entry.tried.push(next);
    this.lazy.delete(next.peer);
    this.eager.add(next.peer);
    let list = grafts.get(next.peer);
    if (!list) grafts.set(next.peer, (list = []));
    list.push({ id, round: next.round });
    this.timers.push(now + this.graftTimeout(next.peer), { kind: 'graft', id });
  }

  private onGraft(from: PeerId, entries: readonly MessageRef[], now: number): void {
    if (!this.eager.has(from) && !this.lazy.has(from)) {
      this.drops.graftFromStranger++;
      return;
    }
    this.lazy.delete(from);
    this.eager.add(from);
    if (entries.length === 0) return;
    let bucket = this.graftBuckets.get(from);
    if (!bucket) this.graftBuckets.set(from, (bucket = new TokenBucket(this.config.graftRate, now)));
    let limited = false;
    for (const { id, round } of entries) {
      const e = this.cache.get(id);
      if (!e || e.status !== 'valid' || !e.payload || now - e.storedAt > this.config.cache.payloadAgeMs) {
        this.drops.graftWithoutPayload++;
        continue;
      }
      if (!bucket.take(1, now)) {
        limited = true;
        break;
      }
      this.send(from, { type: 'gossip', payload: e.payload, round });
    }
    if (limited) this.penalize(from, 'rate_limited');
  }

  /**
   * §3.8 (Algorithm 3): if a lazy peer announced this message at a round at least
   * `optimizationThreshold` lower than the eager copy's, its path is shorter: GRAFT it
   * and PRUNE the eager sender. Damped like the prunes: only when the same lazy peer
   * has been that much shorter for `optimizationStreak` messages in a row (one message
   * from an unusual origin says little about the tree), and at most once per
   * `optimizationIntervalMs`. Measured: undamped, the swaps alone keep RMR near 0.4
   * under concurrent traffic.
   */
  private optimize(round: number, sender: PeerId, announcements: readonly Announcement[], now: number): void {
    let best: Announcement | undefined;
    for (const a of announcements) if (a.peer !== sender && this.lazy.has(a.peer) && (!best || a.round < best.round)) best = a;
    if (!best || round - best.round < this.config.optimizationThreshold) {
      this.optimizationCandidate = undefined;
      return;
    }
    const streak = this.optimizationCandidate?.peer === best.peer ? this.optimizationCandidate.streak + 1 : 1;
    this.optimizationCandidate = { peer: best.peer, streak };
    if (streak < this.config.optimizationStreak || now - this.lastOptimization < this.config.optimizationIntervalMs) return;
    this.optimizationCandidate = undefined;
    this.lastOptimization = now;
    this.lazy.delete(best.peer);
    this.eager.add(best.peer);
    this.send(best.peer, { type: 'graft', entries: [] });
    this.eager.delete(sender);
    this.lazy.add(sender);
    this.send(sender, { type: 'prune' });
  }

  // ---- output helpers ----

  private penalize(peer: PeerId, offence: Offence): void {
    this.effects.push({ type: 'penalize', peer, offence });
  }

  private send(to: PeerId, message: PlumtreeMessage): void {
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

export function createPlumtree(init: PlumtreeInit): Plumtree {
  return new Plumtree(init);
}

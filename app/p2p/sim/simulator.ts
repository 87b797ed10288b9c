/**
 * A seeded discrete-event simulator that drives the production `GossipNode` (HyParView
 * + Plumtree + eclipse defences) over the four-region network of issue 6, with
 * crashes, restarts, partitions and heals, and runs plain flooding over the same
 * overlay in the same run as the baseline. Same seed, same run: every random choice
 * comes from seeded generators and events at equal times keep insertion order.
 */
import { decodeFrame, encodeFrame } from '../messages/frame.js';
import { createGossipNode, type GossipEffect, type GossipNode, type GossipNodeInit } from '../node/gossip-node.js';
import { messageIdOf, type MessageId } from '../plumtree/message-id.js';
import { DeadlineQueue } from '../deadlines.js';
import { sample, seededRng, type Rng } from '../rng.js';
import type { PeerId, PeerInfo } from '../types.js';
import type { WireMessage } from '../wire.js';
import { frameSize } from './frame-size.js';
import { percentile, type SpreadOutcome } from './metrics.js';
import { NETWORK_DEFAULTS, SimNetwork, type NetworkConfig } from './network.js';
import { attackerIp, honestIp, regionOf, type Region } from './regions.js';

export type SimGossipConfig = Omit<GossipNodeInit, 'self' | 'rng' | 'messageId'>;

export interface SimConfig {
  readonly nodes: number;
  readonly seed: number | string;
  /** Extra slots (after the honest nodes) for attacker-controlled addresses in one /16. */
  readonly sybils?: number;
  readonly network?: Partial<NetworkConfig>;
  readonly gossip?: SimGossipConfig;
  /** Payload size of simulated broadcasts (default 256 bytes). */
  readonly payloadBytes?: number;
  /** Send every frame through the protobuf codec (slower; checks wire fidelity). */
  readonly encode?: boolean;
  /** Run plain flooding over the same overlay for every broadcast (default true). */
  readonly flood?: boolean;
  /** 'process': the OS closes the sockets, peers see it one delay later; 'host': silent, found by keepalive. */
  readonly crashMode?: 'process' | 'host';
  /** Keepalive (libp2p ping) timeout that finds a silent host crash or a cut link. */
  readonly keepaliveTimeoutMs?: number;
  /** An isolated node gets discovery results (a DHT walk) after this long. */
  readonly discoveryDelayMs?: number;
  /** Safety bound on processed events per `run` call. */
  readonly maxEvents?: number;
}

/** A node that does not run the protocol (an attacker); the simulator hands it what it receives. */
export interface SimBehaviour {
  receive(sim: Simulator, self: number, from: number, msg: WireMessage): void;
}

export interface SimNode {
  readonly index: number;
  readonly info: PeerInfo;
  readonly region: Region;
  alive: boolean;
  /** Incarnation: bumped on restart, so messages for the old process are lost. */
  epoch: number;
  aliveSince: number;
  gossip: GossipNode | undefined;
  behaviour: SimBehaviour | undefined;
  timerAt: number | undefined;
  /** Peers it knew when it last stopped (the persisted peer store). */
  known: PeerInfo[];
}

export interface BroadcastRecord {
  readonly id: MessageId;
  readonly origin: number;
  readonly at: number;
  /** The payload (flooding sends the same bytes). */
  readonly payloadBytes: Uint8Array;
  readonly deliveredAt: Float64Array;
  receptions: number;
  readonly flood: { deliveredAt: Float64Array; receptions: number } | undefined;
}

type SimEvent =
  | { k: 'msg'; from: number; to: number; epoch: number; msg: WireMessage | Uint8Array }
  | { k: 'tick'; node: number; epoch: number; at: number }
  | { k: 'down'; node: number; epoch: number; peer: number; peerEpoch: number }
  | { k: 'unreachable'; node: number; epoch: number; peer: number }
  | { k: 'flood'; from: number; to: number; b: BroadcastRecord }
  | { k: 'action'; run: () => void };

const idOf = (i: number): PeerId => `n${i}`;

export class Simulator {
  readonly config: SimConfig;
  readonly nodes: SimNode[];
  readonly network: SimNetwork;
  readonly broadcasts: BroadcastRecord[] = [];
  /** Frames sent, by message type (all nodes, cumulative). */
  readonly sent: Record<string, number> = {};
  /** Encoded bytes sent, by message type (all nodes, cumulative). */
  readonly sentBytes: Record<string, number> = {};
  /** Payloads this run has broadcast, by id. */
  private readonly byId = new Map<MessageId, BroadcastRecord>();
  private readonly ids = new WeakMap<Uint8Array, MessageId>();
  private readonly queue = new DeadlineQueue<SimEvent>();
  private readonly rng: Rng;
  private readonly pendingUnreachable = new Set<number>();
  private readonly total: number;
  private payloadSeq = 0;
  now = 0;
  /** Events processed so far. */
  events = 0;

  constructor(config: SimConfig) {
    this.config = config;
    this.rng = seededRng(`${config.seed}/sim`);
    this.total = config.nodes + (config.sybils ?? 0);
    const addrRng = seededRng(`${config.seed}/addr`);
    this.nodes = Array.from({ length: this.total }, (_, i) => {
      const ip = i < config.nodes ? honestIp(addrRng) : attackerIp(i - config.nodes);
      return { index: i, info: { id: idOf(i), addrs: [`/ip4/${ip}/tcp/9000`] }, region: regionOf(i), alive: false, epoch: 0, aliveSince: 0, gossip: undefined, behaviour: undefined, timerAt: undefined, known: [] };
    });
    this.network = new SimNetwork({ ...NETWORK_DEFAULTS, ...config.network }, this.total, regionOf, seededRng(`${config.seed}/net`));
  }

  // ---- the event loop ----

  /** Processes events up to simulated time `until` (bounded by `maxEvents`). */
  run(until: number): void {
    const max = this.config.maxEvents ?? 200_000_000;
    for (let n = 0; ; n++) {
      const at = this.queue.next();
      if (at === undefined || at > until) break;
      if (n >= max) throw new Error(`simulation exceeded ${max} events before t=${until} ms (now ${this.now}); raise maxEvents or shorten the scenario`);
      const ev = this.queue.pop()!;
      this.now = at;
      this.events++;
      this.handle(ev);
    }
    this.now = Math.max(this.now, until);
  }

  /** Runs `fn` at simulated time `at`. */
  at(at: number, fn: () => void): void {
    this.queue.push(Math.max(at, this.now), { k: 'action', run: fn });
  }

  // ---- nodes ----

  /** Starts node `i` with a fresh protocol state and joins through `contact`, if given. */
  start(i: number, contact?: number): void {
    const n = this.nodes[i];
    const rng = seededRng(`${this.config.seed}/node/${i}/${n.epoch + 1}`);
    n.epoch++;
    n.alive = true;
    n.aliveSince = this.now;
    n.timerAt = undefined;
    n.behaviour = undefined;
    n.gossip = createGossipNode({ ...this.config.gossip, self: n.info, rng, messageId: (p) => this.messageId(p) });
    this.network.closeAll(i);
    n.gossip.start(this.now);
    this.apply(i, n.gossip.takeEffects());
    if (contact !== undefined) this.join(i, contact);
  }

  /** Starts node `i` as an attacker-controlled node. */
  startBehaviour(i: number, behaviour: SimBehaviour): void {
    const n = this.nodes[i];
    n.epoch++;
    n.alive = true;
    n.aliveSince = this.now;
    n.gossip = undefined;
    n.behaviour = behaviour;
  }

  join(i: number, contact: number): void {
    const g = this.nodes[i].gossip;
    if (!g) return;
    g.join(this.nodes[contact].info, this.now);
    this.apply(i, g.takeEffects());
  }

  /** Stops node `i`. Its peers notice per `crashMode`. */
  crash(i: number): void {
    const n = this.nodes[i];
    if (!n.alive) return;
    if (n.gossip) n.known = [...n.gossip.membership.active(), ...n.gossip.membership.passive()];
    n.alive = false;
    n.gossip = undefined;
    n.behaviour = undefined;
    const host = this.config.crashMode === 'host';
    for (const p of this.network.linksOf(i)) {
      const delay = host ? this.keepalive() : this.network.oneWay(i, p);
      this.push(this.now + delay, { k: 'down', node: p, epoch: this.nodes[p].epoch, peer: i, peerEpoch: n.epoch });
    }
  }

  /** Restarts node `i` from its persisted peer store (the "rejoin from the peers it knew"). */
  restart(i: number): void {
    const known = this.nodes[i].known.map((p) => this.indexOf(p.id)).filter((j) => j >= 0 && this.nodes[j].alive && j !== i);
    this.start(i);
    const g = this.nodes[i].gossip!;
    g.addCandidates(known.map((j) => this.nodes[j].info), this.now);
    this.apply(i, g.takeEffects());
    if (known.length === 0) this.discover(i);
  }

  live(): number[] {
    const out: number[] = [];
    for (const n of this.nodes) if (n.alive && n.gossip) out.push(n.index);
    return out;
  }

  indexOf(id: PeerId): number {
    const i = id.charCodeAt(0) === 110 ? Number(id.slice(1)) : NaN; // 'n'
    return Number.isInteger(i) && i >= 0 && i < this.total ? i : -1;
  }

  // ---- partitions ----

  /** Splits the network: nodes with different `groupOf` values cannot reach each other. */
  partition(groupOf: (i: number) => number): void {
    const g = Int32Array.from({ length: this.total }, (_, i) => groupOf(i));
    this.network.setPartition(g);
    for (let a = 0; a < this.total; a++) {
      for (const b of this.network.linksOf(a)) {
        if (g[a] !== g[b] && this.nodes[a].alive) this.push(this.now + this.keepalive(), { k: 'down', node: a, epoch: this.nodes[a].epoch, peer: b, peerEpoch: this.nodes[b].epoch });
      }
    }
  }

  heal(): void {
    this.network.heal();
  }

  // ---- broadcasts ----

  /** Broadcasts a fresh payload from `origin` (and floods it too, if the baseline is on). */
  broadcast(origin: number, opts: { direct?: boolean } = {}): BroadcastRecord {
    const g = this.nodes[origin].gossip;
    if (!g) throw new Error(`node ${origin} is not running`);
    const payload = this.payload();
    const id = this.messageId(payload);
    const flood = this.config.flood !== false ? { deliveredAt: new Float64Array(this.total).fill(NaN), receptions: 0 } : undefined;
    const b: BroadcastRecord = { id, origin, at: this.now, payloadBytes: payload, deliveredAt: new Float64Array(this.total).fill(NaN), receptions: 0, flood };
    this.broadcasts.push(b);
    this.byId.set(id, b);
    g.broadcast(payload, this.now, opts);
    this.apply(origin, g.takeEffects());
    if (flood) {
      flood.deliveredAt[origin] = this.now;
      this.floodForward(origin, -1, b);
    }
    return b;
  }

  /** Outcome of `b` for Plumtree, or for the flooding baseline. */
  outcome(b: BroadcastRecord, protocol: 'plumtree' | 'flood' = 'plumtree', eligibleNode: (i: number) => boolean = () => true): SpreadOutcome {
    const src = protocol === 'plumtree' ? b : b.flood;
    if (!src) throw new Error('flooding baseline is off in this run');
    let eligible = 0;
    let delivered = 0;
    let anyDelivered = 1; // the origin
    let timeToAll = 0;
    const latencies: number[] = [];
    for (let i = 0; i < this.total; i++) {
      const t = src.deliveredAt[i];
      if (i !== b.origin && !Number.isNaN(t)) anyDelivered++;
      const n = this.nodes[i];
      if (i === b.origin || !n.alive || !n.gossip || n.aliveSince > b.at || !eligibleNode(i)) continue;
      eligible++;
      if (Number.isNaN(t)) {
        timeToAll = Infinity;
        continue;
      }
      delivered++;
      latencies.push(t - b.at);
      if (t - b.at > timeToAll) timeToAll = t - b.at;
    }
    const rmr = anyDelivered > 1 ? src.receptions / (anyDelivered - 1) - 1 : 0;
    return { eligible, delivered, timeToAll, latencies, receptions: src.receptions, rmr };
  }

  /** Active-view sizes of live protocol nodes: p50 / min / max. */
  viewStats(): { active_p50: number; active_min: number; active_max: number; passive_p50: number } {
    const a: number[] = [];
    const p: number[] = [];
    for (const i of this.live()) {
      a.push(this.nodes[i].gossip!.membership.activeIds().length);
      p.push(this.nodes[i].gossip!.membership.passive().length);
    }
    return { active_p50: percentile(a, 50), active_min: Math.min(...a), active_max: Math.max(...a), passive_p50: percentile(p, 50) };
  }

  /** Connected components of the overlay (live nodes, links both ends hold active). */
  components(): number {
    const live = this.live();
    const parent = new Map<number, number>(live.map((i) => [i, i]));
    const find = (x: number): number => {
      while (parent.get(x) !== x) {
        const p = parent.get(parent.get(x)!)!;
        parent.set(x, p);
        x = p;
      }
      return x;
    };
    for (const i of live) {
      for (const id of this.nodes[i].gossip!.membership.activeIds()) {
        const j = this.indexOf(id);
        if (parent.has(j) && this.nodes[j].gossip?.membership.isActive(this.nodes[i].info.id)) parent.set(find(i), find(j));
      }
    }
    return new Set(live.map(find)).size;
  }

  /** Frames (or, with `bytes`, encoded bytes) sent since `since` (a copy taken earlier), summed over all types. */
  framesSince(since: Readonly<Record<string, number>>, bytes = false): number {
    let total = 0;
    for (const [k, v] of Object.entries(bytes ? this.sentBytes : this.sent)) total += v - (since[k] ?? 0);
    return total;
  }

  // ---- effects ----

  /** Sends a frame from node `from` (used by attacker behaviours too). */
  send(from: number, to: number, msg: WireMessage): void {
    if (to < 0 || to >= this.total || to === from) return;
    this.sent[msg.type] = (this.sent[msg.type] ?? 0) + 1;
    this.sentBytes[msg.type] = (this.sentBytes[msg.type] ?? 0) + frameSize(msg);
    const target = this.nodes[to];
    const reachable = this.network.reachable(from, to);
    if (!target.alive || !reachable) {
      if (this.network.isOpen(from, to)) return; // lost on an established link; keepalive or FIN reports it
      const key = from * this.total + to;
      if (this.pendingUnreachable.has(key)) return;
      this.pendingUnreachable.add(key);
      const refused = reachable && this.config.crashMode !== 'host'; // host up, process gone: RST
      const delay = refused ? 2 * this.network.oneWay(from, to) : this.network.config.dialTimeoutMs;
      this.push(this.now + delay, { k: 'unreachable', node: from, epoch: this.nodes[from].epoch, peer: to });
      return;
    }
    const t = this.network.arrival(from, to, this.now);
    if (t === undefined) return;
    this.push(t, { k: 'msg', from, to, epoch: target.epoch, msg: this.config.encode ? encodeFrame(msg) : msg });
  }

  private apply(i: number, effects: readonly GossipEffect[]): void {
    const n = this.nodes[i];
    for (const e of effects) {
      switch (e.type) {
        case 'send': {
          const j = this.indexOf(e.to.id);
          if (j >= 0) this.send(i, j, e.message);
          break;
        }
        case 'disconnect': {
          const j = this.indexOf(e.peer);
          // Close after what is already queued on the link has been delivered.
          if (j >= 0) this.at(this.now + this.network.oneWay(i, j) + this.network.config.jitterMs + 1, () => this.network.close(i, j));
          break;
        }
        case 'deliver': {
          const b = this.byId.get(e.id);
          if (b && Number.isNaN(b.deliveredAt[i])) b.deliveredAt[i] = this.now;
          break;
        }
        case 'schedule':
          if (n.timerAt === undefined || e.at < n.timerAt) {
            n.timerAt = e.at;
            this.push(e.at, { k: 'tick', node: i, epoch: n.epoch, at: e.at });
          }
          break;
        case 'isolated':
        case 'needPeers':
          this.discover(i);
          break;
        default:
          break;
      }
    }
  }

  private handle(ev: SimEvent): void {
    switch (ev.k) {
      case 'msg': {
        const n = this.nodes[ev.to];
        if (!n.alive || n.epoch !== ev.epoch || !this.network.reachable(ev.from, ev.to)) return;
        const msg = ev.msg instanceof Uint8Array ? decodeFrame(ev.msg) : ev.msg;
        if (msg.type === 'gossip') {
          const b = this.byId.get(this.messageId(msg.payload));
          if (b) b.receptions++;
        }
        if (n.behaviour) {
          n.behaviour.receive(this, ev.to, ev.from, msg);
          return;
        }
        n.gossip!.receive(idOf(ev.from), msg, this.now, this.nodes[ev.from].info.addrs[0]);
        this.apply(ev.to, n.gossip!.takeEffects());
        return;
      }
      case 'tick': {
        const n = this.nodes[ev.node];
        if (!n.gossip || n.epoch !== ev.epoch || n.timerAt !== ev.at) return;
        n.timerAt = undefined;
        n.gossip.tick(this.now);
        this.apply(ev.node, n.gossip.takeEffects());
        return;
      }
      case 'down': {
        const n = this.nodes[ev.node];
        const peer = this.nodes[ev.peer];
        if (peer.alive && peer.epoch === ev.peerEpoch && this.network.reachable(ev.node, ev.peer)) return; // healed before the keepalive fired
        this.network.close(ev.node, ev.peer);
        if (!n.gossip || n.epoch !== ev.epoch) return;
        n.gossip.connectionDown(idOf(ev.peer), this.now);
        this.apply(ev.node, n.gossip.takeEffects());
        return;
      }
      case 'unreachable': {
        this.pendingUnreachable.delete(ev.node * this.total + ev.peer);
        const n = this.nodes[ev.node];
        if (!n.gossip || n.epoch !== ev.epoch) return;
        n.gossip.unreachable(idOf(ev.peer), this.now);
        this.apply(ev.node, n.gossip.takeEffects());
        return;
      }
      case 'flood': {
        const n = this.nodes[ev.to];
        const f = ev.b.flood!;
        if (!n.alive || !n.gossip || !this.network.reachable(ev.from, ev.to)) return;
        f.receptions++;
        if (!Number.isNaN(f.deliveredAt[ev.to])) return;
        f.deliveredAt[ev.to] = this.now;
        this.floodForward(ev.to, ev.from, ev.b);
        return;
      }
      case 'action':
        ev.run();
        return;
    }
  }

  /** The baseline: forward to every active neighbour but the sender (fanout = active view − 1, paper §5). */
  private floodForward(i: number, from: number, b: BroadcastRecord): void {
    const g = this.nodes[i].gossip;
    if (!g) return;
    for (const id of g.membership.activeIds()) {
      const j = this.indexOf(id);
      if (j < 0 || j === from) continue;
      this.sent.flood = (this.sent.flood ?? 0) + 1;
      this.sentBytes.flood = (this.sentBytes.flood ?? 0) + frameSize({ type: 'gossip', payload: b.payloadBytes, round: 1 });
      const jitter = this.network.config.jitterMs > 0 ? this.rng.next() * this.network.config.jitterMs : 0;
      this.push(this.now + this.network.oneWay(i, j) + jitter, { k: 'flood', from: i, to: j, b });
    }
  }

  /** Discovery stand-in (a DHT walk): a few random reachable live nodes become candidates. */
  private discover(i: number): void {
    this.at(this.now + (this.config.discoveryDelayMs ?? 1_000), () => {
      const g = this.nodes[i].gossip;
      if (!g) return;
      const pool = this.live().filter((j) => j !== i && this.network.reachable(i, j));
      g.addCandidates(sample(this.rng, pool, 4).map((j) => this.nodes[j].info), this.now);
      this.apply(i, g.takeEffects());
    });
  }

  private keepalive(): number {
    return this.config.keepaliveTimeoutMs ?? 10_000;
  }

  private push(at: number, ev: SimEvent): void {
    this.queue.push(at, ev);
  }

  private payload(): Uint8Array {
    const p = new Uint8Array(Math.max(8, this.config.payloadBytes ?? 256));
    for (let i = 0; i < p.length; i += 4) {
      const r = this.rng.u32();
      p[i] = r;
      p[i + 1] = r >>> 8;
      p[i + 2] = r >>> 16;
      p[i + 3] = r >>> 24;
    }
    new DataView(p.buffer).setUint32(0, this.payloadSeq++);
    return p;
  }

  private messageId(payload: Uint8Array): MessageId {
    let id = this.ids.get(payload);
    if (id === undefined) {
      id = messageIdOf(payload);
      this.ids.set(payload, id);
    }
    return id;
  }
}

/**
 * The driver loop of DESIGN §7: feeds a sans-IO `GossipNode` with libp2p events (frames,
 * closed streams, failed dials, timer ticks, all stamped `Date.now()`) and performs
 * its effects: `send` (dial when there is no stream), `disconnect` (close the gossip
 * stream; the connection may stay for the DHT), `deliver`, `ban`, `schedule` (one
 * timer), `needPeers`/`isolated` (ask discovery).
 */
import type { Connection, Libp2p, PeerId as Libp2pPeerId, Stream } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { GossipDecodeError } from '../messages/errors.js';
import { decodeFrame, encodeFrame } from '../messages/frame.js';
import { FRAME_LIMITS } from '../messages/limits.js';
import type { GossipEffect, GossipNode } from '../node/gossip-node.js';
import type { PeerInfo } from '../types.js';
import type { WireMessage } from '../wire.js';
import { GossipLink } from './gossip-link.js';
import type { HostLogger, HostTimings } from './types.js';

export const GOSSIP_PROTOCOL = '/guts/gossip/1.0.0';
/** Tag that keeps the connection manager from pruning a gossip neighbour's connection. */
const NEIGHBOUR_TAG = 'guts-gossip-neighbour';
/** Frames held per peer while its dial is in flight. */
const MAX_FRAMES_WHILE_DIALING = 64;

export interface GossipDriverHooks {
  deliver(payload: Uint8Array, from: string): void;
  /** Persist the ban list, hang up on the peer. */
  banned(peer: string, until: number): void;
  /** Fewer neighbours than wanted and no candidates left: run discovery. */
  needPeers(): void;
}

export class GossipDriver {
  private readonly links = new Map<string, GossipLink[]>();
  private readonly dialing = new Map<string, Uint8Array[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Frames in and out, for figures (`bench/gossip-sockets.ts`). */
  readonly counters = { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, dropped: 0, malformed: 0 };
  /** Frames that never left, by reason (`dropped` is their sum). */
  readonly drops = { queueFull: 0, dialQueueFull: 0, dialFailed: 0 };
  readonly byType = new Map<string, number>();

  constructor(
    private readonly libp2p: Libp2p,
    readonly node: GossipNode,
    private readonly timings: HostTimings,
    private readonly log: HostLogger,
    private readonly hooks: GossipDriverHooks,
  ) {}

  async start(): Promise<void> {
    await this.libp2p.handle(GOSSIP_PROTOCOL, (stream, connection) => this.inbound(stream, connection), { maxInboundStreams: 4, maxOutboundStreams: 4 });
    this.input((now) => this.node.start(now));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.libp2p.unhandle(GOSSIP_PROTOCOL).catch(() => undefined);
    for (const list of this.links.values()) for (const l of list) l.abort('host stopping');
    this.links.clear();
    this.dialing.clear();
  }

  /** Runs one input at `Date.now()` and performs the effects it produced. */
  input(fn: (now: number) => void): void {
    if (this.stopped) return;
    fn(Date.now());
    this.perform(this.node.takeEffects());
  }

  hasLink(peer: string): boolean {
    return this.current(peer) !== undefined;
  }

  /** Drops every link to `peer` at once (a ban). */
  dropPeer(peer: string): void {
    for (const l of this.links.get(peer) ?? []) {
      l.closedByUs = true;
      l.abort('peer banned');
    }
    this.links.delete(peer);
    this.dialing.delete(peer);
  }

  // ---- effects ----

  private perform(effects: GossipEffect[]): void {
    for (const e of effects) {
      switch (e.type) {
        case 'send':
          this.send(e.to, e.message);
          break;
        case 'disconnect':
          for (const l of this.links.get(e.peer) ?? []) l.close();
          break;
        case 'deliver':
          this.hooks.deliver(e.payload, e.from);
          break;
        case 'ban':
          this.dropPeer(e.peer);
          this.hooks.banned(e.peer, e.until);
          break;
        case 'neighborUp':
          this.tag(e.peer.id, true);
          break;
        case 'neighborDown':
          this.tag(e.peer, false);
          break;
        case 'isolated':
        case 'needPeers':
          this.hooks.needPeers();
          break;
        case 'schedule':
          this.schedule(e.at);
          break;
      }
    }
  }

  private schedule(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.input((now) => this.node.tick(now));
    }, Math.max(0, at - Date.now()));
    this.timer.unref?.();
  }

  private send(to: PeerInfo, message: WireMessage): void {
    const frame = encodeFrame(message);
    this.byType.set(message.type, (this.byType.get(message.type) ?? 0) + 1);
    if (message.type !== 'gossip' && message.type !== 'ihave') this.log.debug({ to: to.id, type: message.type }, 'gossip send');
    const droppable = message.type === 'gossip' || message.type === 'ihave';
    const link = this.current(to.id);
    if (link) {
      if (link.send(frame, droppable)) this.count(frame);
      else this.drop('queueFull');
      return;
    }
    const queued = this.dialing.get(to.id);
    if (queued) {
      if (queued.length < MAX_FRAMES_WHILE_DIALING) queued.push(frame);
      else this.drop('dialQueueFull');
      return;
    }
    this.dialing.set(to.id, [frame]);
    this.log.debug({ peer: to.id, first: message.type, active: this.node.membership.isActive(to.id) }, 'gossip dial');
    this.dial(to).catch((err: unknown) => {
      const lost = this.dialing.get(to.id)?.length ?? 0;
      for (let i = 0; i < lost; i++) this.drop('dialFailed');
      this.dialing.delete(to.id);
      this.log.debug({ peer: to.id, err: (err as Error).message, first: message.type, lost, active: this.node.membership.isActive(to.id) }, 'gossip dial failed');
      this.input((now) => this.node.unreachable(to.id, now));
    });
  }

  private async dial(to: PeerInfo): Promise<void> {
    let id: Libp2pPeerId;
    try {
      id = peerIdFromString(to.id);
    } catch {
      throw new Error(`'${to.id}' is not a peer id`);
    }
    const addrs: Multiaddr[] = [];
    for (const a of to.addrs) {
      try {
        addrs.push(multiaddr(a));
      } catch {
        // an address a peer gossiped that does not parse: skip it, the others may work
      }
    }
    const t0 = Date.now();
    if (addrs.length > 0) await this.libp2p.peerStore.merge(id, { multiaddrs: addrs });
    const stream = await this.libp2p.dialProtocol(id, GOSSIP_PROTOCOL, { signal: AbortSignal.timeout(this.timings.dialTimeoutMs) });
    if (this.stopped) {
      stream.abort(new Error('host stopping'));
      return;
    }
    this.log.debug({ peer: to.id, ms: Date.now() - t0 }, 'gossip dialed');
    const conn = this.libp2p.getConnections(id).find((c) => c.streams.includes(stream));
    const link = this.attach(to.id, stream, conn?.remoteAddr.toString() ?? to.addrs[0] ?? '');
    const queued = this.dialing.get(to.id) ?? [];
    this.dialing.delete(to.id);
    for (const f of queued) if (link.send(f, false)) this.count(f);
  }

  private inbound(stream: Stream, connection: Connection): void {
    const peer = connection.remotePeer.toString();
    if (this.stopped || this.node.bans.isBanned(peer, Date.now())) {
      stream.abort(new Error('refused'));
      return;
    }
    this.attach(peer, stream, connection.remoteAddr.toString());
  }

  private attach(peer: string, stream: Stream, remoteAddr: string): GossipLink {
    const link: GossipLink = new GossipLink(
      peer,
      stream,
      remoteAddr,
      { maxFrameBytes: FRAME_LIMITS.maxFrameBytes, maxQueuedBytes: this.timings.maxQueuedBytesPerPeer },
      {
        frame: (bytes) => this.onFrame(link, bytes),
        oversized: () => {
          this.counters.malformed++;
          this.input((now) => this.node.penalize(peer, 'malformed_frame', now));
        },
        closed: () => this.onClosed(link),
      },
    );
    const list = this.links.get(peer) ?? [];
    list.push(link);
    this.links.set(peer, list);
    return link;
  }

  private onFrame(link: GossipLink, bytes: Uint8Array): void {
    this.counters.framesIn++;
    this.counters.bytesIn += bytes.length;
    let message: WireMessage;
    try {
      message = decodeFrame(bytes);
    } catch (err) {
      if (!(err instanceof GossipDecodeError)) throw err;
      this.counters.malformed++;
      this.input((now) => this.node.penalize(link.peer, 'malformed_frame', now));
      return;
    }
    if (message.type !== 'gossip' && message.type !== 'ihave') this.log.debug({ from: link.peer, type: message.type }, 'gossip receive');
    this.input((now) => this.node.receive(link.peer, message, now, link.remoteAddr));
  }

  private onClosed(link: GossipLink): void {
    const list = (this.links.get(link.peer) ?? []).filter((l) => l !== link);
    if (list.length > 0) this.links.set(link.peer, list);
    else this.links.delete(link.peer);
    // a stream we closed after a DISCONNECT is no failure; another open stream means the link lives
    this.log.debug({ peer: link.peer, byUs: link.closedByUs, others: list.length }, 'gossip stream closed');
    if (!link.closedByUs && !list.some((l) => l.open)) this.input((now) => this.node.connectionDown(link.peer, now));
  }

  /** The newest open stream to `peer`. */
  private current(peer: string): GossipLink | undefined {
    const list = this.links.get(peer);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].open && !list[i].closedByUs) return list[i];
    return undefined;
  }

  private drop(reason: keyof GossipDriver['drops']): void {
    this.drops[reason]++;
    this.counters.dropped++;
  }

  private count(frame: Uint8Array): void {
    this.counters.framesOut++;
    this.counters.bytesOut += frame.length;
  }

  private tag(peer: string, on: boolean): void {
    let id: Libp2pPeerId;
    try {
      id = peerIdFromString(peer);
    } catch {
      return;
    }
    this.libp2p.peerStore.merge(id, { tags: { [NEIGHBOUR_TAG]: on ? { value: 100 } : undefined } }).catch(() => undefined);
  }
}

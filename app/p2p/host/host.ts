/**
 * `createP2PHost`: the libp2p adapter of DESIGN §7. It composes the libp2p node
 * (libp2p-node.ts), the gossip driver over `GossipNode` (gossip-driver.ts), DHT
 * discovery (discovery.ts), request/response (reqresp.ts) and the validator watch
 * (validators.ts), and keeps what must survive a restart in the node's home: the peer
 * store and DHT records (datastore.ts) and the ban list (bans-store.ts).
 */
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
import { DIVERSITY_DEFAULTS } from '../eclipse/diversity.js';
import { decodeEnvelope, encodeEnvelope, type Envelope, type EnvelopeBody } from '../messages/envelope.js';
import { createEnvelopeValidator } from '../messages/validate.js';
import { createGossipNode, type GossipNode } from '../node/gossip-node.js';
import { cryptoRng } from '../rng.js';
import type { PeerInfo } from '../types.js';
import type { PartitionFigures } from '../partition/detector.js';
import { descriptorAddrs, parseMultiaddrs, withoutPeerId } from './addresses.js';
import { loadBans, saveBans } from './bans-store.js';
import { LevelDatastore } from './datastore.js';
import { DHT_DEFAULTS, HOST_DEFAULTS } from './defaults.js';
import { Discovery } from './discovery.js';
import { ErrHostConfig, ErrHostNotStarted } from './errors.js';
import { GOSSIP_PROTOCOL, GossipDriver } from './gossip-driver.js';
import { peerKeyFromNodeKey } from './keys.js';
import { buildLibp2p, type HostLibp2p } from './libp2p-node.js';
import { RequestResponse } from './reqresp.js';
import { guardRoutingTable } from './routing-guard.js';
import type { HeartbeatSigner, HostTimings, P2PHost, P2PHostInit, PartitionListener, PeerSummary, RequestHandler, RequestHandlerOptions, RequestOptions, ValidatorEntry, Verdict } from './types.js';
import { ValidatorWatch } from './validators.js';

/** Keeps the connection to a validator's peer open (libp2p re-dials peers tagged `keep-alive*`). */
const VALIDATOR_TAG = 'keep-alive-guts-validator';

export async function createP2PHost(init: P2PHostInit): Promise<P2PHost> {
  if (typeof init.chainId !== 'string' || init.chainId === '') throw ErrHostConfig.wrap('chainId must be a non-empty string');
  const c = init.config;
  if (!Number.isInteger(c.maxInbound) || c.maxInbound < 1 || !Number.isInteger(c.maxOutbound) || c.maxOutbound < 1) {
    throw ErrHostConfig.wrap(`p2p.max_inbound and p2p.max_outbound must be integers ≥ 1, got ${c.maxInbound} and ${c.maxOutbound}`);
  }
  const bootstrap = parseMultiaddrs(c.bootstrap, 'p2p.bootstrap').map((ma) => {
    const id = ma.getComponents().find((x) => x.name === 'p2p')?.value;
    if (!id) throw ErrHostConfig.wrap(`p2p.bootstrap: '${ma.toString()}' has no /p2p/<peer id>`);
    return { id, addrs: [withoutPeerId(ma)] };
  });
  const privateKey = await peerKeyFromNodeKey(init.privateKey);
  return new Host(init, privateKey, bootstrap);
}

class Host implements P2PHost {
  readonly peerId: string;
  private readonly timings: HostTimings;
  private readonly log: P2PHostInit['logger'];
  private readonly watch: ValidatorWatch;
  private readonly deliverHandlers = new Set<(env: Envelope, from: string) => void>();
  private readonly partitionListeners = { partitioned: new Set<PartitionListener>(), healed: new Set<PartitionListener>() };
  private readonly pendingHandlers: [string, RequestHandler, RequestHandlerOptions | undefined][] = [];
  private running: { libp2p: HostLibp2p; driver: GossipDriver; node: GossipNode; discovery: Discovery; reqres: RequestResponse } | undefined;
  private timers: ReturnType<typeof setInterval>[] = [];
  private heartbeat: { signer: HeartbeatSigner; height: () => bigint } | undefined;
  private lastDiscovery = 0;
  private discovering = false;

  constructor(
    private readonly init: P2PHostInit,
    private readonly privateKey: Awaited<ReturnType<typeof peerKeyFromNodeKey>>,
    private readonly bootstrap: PeerInfo[],
  ) {
    this.peerId = peerIdFromPrivateKey(privateKey).toString();
    this.timings = { ...HOST_DEFAULTS, ...init.timings };
    this.log = init.logger.child({ module: 'p2p' });
    this.watch = new ValidatorWatch(init.chainId, init.partition);
  }

  // ---- lifecycle ----

  async start(): Promise<void> {
    if (this.running) return;
    const now = Date.now();
    let node: GossipNode | undefined;
    const isBanned = (peer: string): boolean => node?.bans.isBanned(peer, Date.now()) ?? false;
    const libp2p = await buildLibp2p({
      privateKey: this.privateKey,
      config: this.init.config,
      datastore: new LevelDatastore(this.init.db),
      dht: { ...DHT_DEFAULTS, ...this.init.dht },
      timings: this.timings,
      isBanned,
    });
    guardRoutingTable(libp2p, libp2p.services.dht, this.init.config.allow); // before start: the table is filled from the datastore then
    try {
      await libp2p.start();
    } catch (err) {
      await Promise.resolve(libp2p.stop()).catch(() => undefined);
      throw ErrHostConfig.wrap(`p2p.listen ${JSON.stringify(this.init.config.listen)}: ${(err as Error).message}`);
    }
    const g = this.init.gossip ?? {};
    const self: PeerInfo = { id: this.peerId, addrs: descriptorAddrs(libp2p.getMultiaddrs()) };
    node = createGossipNode({
      self,
      rng: cryptoRng(),
      hyparview: g.hyparview,
      plumtree: g.plumtree,
      diversity: { ...g.diversity, exempt: [...(g.diversity?.exempt ?? DIVERSITY_DEFAULTS.exempt), ...this.init.config.allow] },
      scoring: g.scoring,
      bans: g.bans,
      frameRate: g.frameRate,
      validate: createEnvelopeValidator({ accept: (env, from) => this.verdict(env, from) }),
    });
    const banned = await loadBans(this.init.db, node.bans, now);
    const driver = new GossipDriver(libp2p, node, this.timings, this.log, {
      deliver: (payload, from) => this.deliver(payload, from),
      banned: (peer, until) => this.onBan(peer, until),
      needPeers: () => void this.discover(),
    });
    const discovery = new Discovery(libp2p, libp2p.services.dht, this.init.chainId, this.timings.dhtQueryTimeoutMs);
    const reqres = new RequestResponse(libp2p, this.timings.requestTimeoutMs, this.log, isBanned);
    this.running = { libp2p, driver, node, discovery, reqres };
    for (const [p, h, o] of this.pendingHandlers.splice(0)) await reqres.handle(p, h, o);
    await driver.start();

    libp2p.addEventListener('peer:discovery', (evt) => {
      const id = evt.detail.id.toString();
      const addrs = descriptorAddrs(evt.detail.multiaddrs);
      if (id !== this.peerId && addrs.length > 0) driver.input((t) => node!.addCandidates([{ id, addrs }], t));
    });

    // the persisted peer store first; the bootstrap list only when it knows nobody
    const known = await this.knownPeers();
    if (known.length > 0) driver.input((t) => node!.addCandidates(known, t));
    else this.joinBootstrap();
    this.log.info({ peerId: this.peerId, addrs: this.addresses(), known: known.length, bootstrap: this.bootstrap.length, banned }, 'p2p host started');

    const every = (ms: number, fn: () => void): void => {
      const t = setInterval(fn, ms);
      t.unref?.();
      this.timers.push(t);
    };
    every(this.timings.announceIntervalMs, () => void this.announce().catch((err: Error) => this.log.debug({ err: err.message }, 'announce failed')));
    every(this.timings.randomWalkIntervalMs, () => void this.randomWalk());
    every(this.timings.heartbeatIntervalMs, () => this.sendHeartbeat());
    every(this.timings.partitionCheckMs, () => this.checkPartition());
    // a node left with no neighbour (its contacts all failed) keeps looking: HyParView
    // says `isolated` once, discovery may have found nobody at that moment
    every(this.timings.discoveryCooldownMs, () => {
      if (this.running?.node.membership.active().length === 0) void this.discover();
    });
    // first announce once a neighbour (and so a DHT peer) is likely there; spread so that
    // hosts started together do not all query the DHT at once
    const first = setTimeout(() => void this.announce().catch(() => undefined), Math.min(1_000 + Math.random() * 3_000, this.timings.announceIntervalMs));
    first.unref?.();
    this.timers.push(first);
  }

  async stop(): Promise<void> {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await saveBans(this.init.db, r.node.bans).catch((err: Error) => this.log.warn({ err: err.message }, 'saving the ban list failed'));
    await r.driver.stop();
    await r.libp2p.stop();
    this.log.info({ peerId: this.peerId }, 'p2p host stopped');
  }

  addresses(): string[] {
    const r = this.running;
    return r ? r.libp2p.getMultiaddrs().map(String) : [];
  }

  // ---- gossip ----

  broadcast(body: EnvelopeBody, opts: { direct?: boolean } = {}): void {
    const r = this.need();
    const payload = encodeEnvelope({ timestampMs: BigInt(Date.now()), body });
    r.driver.input((now) => r.node.broadcast(payload, now, opts));
  }

  onDeliver(handler: (env: Envelope, from: string) => void): () => void {
    this.deliverHandlers.add(handler);
    return () => this.deliverHandlers.delete(handler);
  }

  private verdict(env: Envelope, from: string): Verdict {
    if (env.body.type === 'heartbeat') return this.watch.verify(env.body.heartbeat);
    if (!this.init.validate) return 'accept';
    try {
      return this.init.validate(env.body, from);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, type: env.body.type }, 'validate hook threw; message ignored');
      return 'ignore';
    }
  }

  private deliver(payload: Uint8Array, from: string): void {
    let env: Envelope;
    try {
      env = decodeEnvelope(payload); // validated before delivery
    } catch (err) {
      this.log.error({ err: (err as Error).message, from }, 'a delivered envelope did not decode');
      return;
    }
    if (env.body.type === 'heartbeat') {
      if (this.watch.onHeartbeat(env.body.heartbeat, Date.now())) void this.refreshPriority();
      return;
    }
    for (const h of this.deliverHandlers) {
      try {
        h(env, from);
      } catch (err) {
        this.log.error({ err: (err as Error).message, type: env.body.type }, 'deliver handler threw');
      }
    }
  }

  private onBan(peer: string, until: number): void {
    const r = this.running;
    if (!r) return;
    this.log.warn({ peer, until: new Date(until).toISOString() }, 'peer banned');
    void saveBans(this.init.db, r.node.bans).catch((err: Error) => this.log.warn({ err: err.message }, 'saving the ban list failed'));
    try {
      void r.libp2p.hangUp(peerIdFromString(peer)).catch(() => undefined);
    } catch {
      // not a libp2p peer id: nothing to hang up
    }
  }

  reportPeer(peer: string, severity: 'minor' | 'invalid', reason: string): void {
    if (severity !== 'minor' && severity !== 'invalid') throw ErrHostConfig.wrap(`reportPeer: severity must be 'minor' or 'invalid', got ${JSON.stringify(severity)}`);
    const r = this.running;
    if (!r || !this.knowsPeer(r, peer)) {
      this.log.debug({ peer, severity, reason }, 'report about an unknown peer ignored');
      return;
    }
    this.log.debug({ peer, severity, reason }, 'peer reported');
    r.driver.input((now) => r.node.report(peer, severity, now));
  }

  /** A peer id this host has dealt with: connected, in a gossip view, or already scored. */
  private knowsPeer(r: NonNullable<Host['running']>, peer: string): boolean {
    if (typeof peer !== 'string' || peer === this.peerId) return false;
    let pid;
    try {
      pid = peerIdFromString(peer);
    } catch {
      return false;
    }
    return (
      r.libp2p.getConnections(pid).length > 0 ||
      r.node.membership.infoOf(peer) !== undefined ||
      r.node.scores.score(peer, Date.now()) !== 0
    );
  }

  // ---- validators and partitions ----

  setValidators(vals: readonly ValidatorEntry[]): void {
    this.watch.setValidators(vals, Date.now());
    void this.refreshPriority();
  }

  setHeartbeatSigner(signer: HeartbeatSigner | undefined, heightFn: () => bigint): void {
    this.heartbeat = signer ? { signer, height: heightFn } : undefined;
    this.watch.setSelf(signer?.address);
    if (signer && this.running) this.sendHeartbeat();
  }

  heardFromValidator(address: Uint8Array): void {
    this.watch.heard(address, Date.now());
  }

  on(event: 'partitioned' | 'healed', cb: PartitionListener): () => void {
    const set = this.partitionListeners[event];
    if (!set) throw ErrHostConfig.wrap(`unknown event '${String(event)}'`);
    set.add(cb);
    return () => set.delete(cb);
  }

  partitionState(): PartitionFigures & { readonly partitioned: boolean } {
    return this.watch.figures(Date.now());
  }

  private sendHeartbeat(): void {
    const hb = this.heartbeat;
    if (!hb || !this.running) return;
    const heartbeat = ValidatorWatch.sign(this.init.chainId, hb.signer, this.peerId, hb.height(), Date.now());
    this.broadcast({ type: 'heartbeat', heartbeat }, { direct: true });
  }

  private checkPartition(): void {
    const ev = this.watch.check(Date.now());
    if (!ev) return;
    this.log.warn({ ...ev.figures, heardPower: ev.figures.heardPower.toString(), totalPower: ev.figures.totalPower.toString() }, `p2p ${ev.type}`);
    for (const cb of this.partitionListeners[ev.type]) {
      try {
        cb(ev.figures);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, `${ev.type} listener threw`);
      }
    }
  }

  /** The validators' peers: pushed to directly (`broadcast(..., { direct: true })`) and kept connected. */
  private async refreshPriority(): Promise<void> {
    const r = this.running;
    if (!r) return;
    const ids = this.watch.validatorPeers().filter((p) => p !== this.peerId);
    const infos = await Promise.all(
      ids.map(async (id): Promise<PeerInfo> => {
        try {
          const pid = peerIdFromString(id);
          const p = await r.libp2p.peerStore.get(pid).catch(() => undefined);
          await r.libp2p.peerStore.merge(pid, { tags: { [VALIDATOR_TAG]: { value: 50 } } }).catch(() => undefined);
          return { id, addrs: p ? descriptorAddrs(p.addresses.map((a) => a.multiaddr)) : [] };
        } catch {
          return { id, addrs: [] };
        }
      }),
    );
    if (this.running === r) r.node.setPriorityPeers(infos);
  }

  // ---- discovery ----

  async announce(): Promise<void> {
    await this.need().discovery.announce();
  }

  async findPeers(limit?: number): Promise<PeerInfo[]> {
    return this.withAddrs(await this.need().discovery.findPeers(limit));
  }

  async announceRepo(repoKey: Uint8Array): Promise<void> {
    checkRepoKey(repoKey);
    await this.need().discovery.announceRepo(repoKey);
  }

  async findRepoProviders(repoKey: Uint8Array, limit?: number): Promise<PeerInfo[]> {
    checkRepoKey(repoKey);
    return this.withAddrs(await this.need().discovery.findRepoProviders(repoKey, limit));
  }

  /** Peers the persisted peer store knows to speak gossip, with addresses, not banned. */
  private async knownPeers(): Promise<PeerInfo[]> {
    const r = this.running;
    if (!r) return [];
    const now = Date.now();
    const peers = await r.libp2p.peerStore.all({ filters: [(p) => p.protocols.includes(GOSSIP_PROTOCOL) && p.addresses.length > 0] });
    return peers
      .map((p) => ({ id: p.id.toString(), addrs: descriptorAddrs(p.addresses.map((a) => a.multiaddr)) }))
      .filter((p) => p.id !== this.peerId && p.addrs.length > 0 && !r.node.bans.isBanned(p.id, now));
  }

  private joinBootstrap(): void {
    const r = this.running;
    if (!r || this.bootstrap.length === 0) return;
    const [first, ...rest] = this.bootstrap.filter((b) => b.id !== this.peerId);
    if (!first) return;
    r.driver.input((t) => {
      r.node.join(first, t);
      r.node.addCandidates(rest, t);
    });
  }

  /** needPeers/isolated: the peer store, then DHT providers of the network key and a random walk. */
  private async discover(): Promise<void> {
    const r = this.running;
    const now = Date.now();
    if (!r || this.discovering || now - this.lastDiscovery < this.timings.discoveryCooldownMs) return;
    this.discovering = true;
    this.lastDiscovery = now;
    try {
      const found = new Map<string, PeerInfo>();
      for (const p of await this.knownPeers()) found.set(p.id, p);
      if (found.size < r.node.membership.config.passiveViewSize) {
        for (const p of await this.withAddrs(await r.discovery.findPeers(20))) found.set(p.id, p);
      }
      if (found.size === 0) for (const p of await r.discovery.randomWalk()) found.set(p.id, p);
      const candidates = [...found.values()].filter((p) => p.addrs.length > 0 && !r.node.membership.isActive(p.id));
      if (this.running !== r) return;
      if (candidates.length > 0) r.driver.input((t) => r.node.addCandidates(candidates, t));
      else if (r.node.membership.active().length === 0) this.joinBootstrap();
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'discovery round failed');
    } finally {
      this.discovering = false;
    }
  }

  private async randomWalk(): Promise<void> {
    const r = this.running;
    if (!r) return;
    const found = await r.discovery.randomWalk();
    if (this.running !== r || found.length === 0) return;
    // only a node short of neighbours takes them: the passive view stays shuffle-fed otherwise
    if (r.node.membership.active().length < r.node.membership.config.activeViewSize) r.driver.input((t) => r.node.addCandidates(found, t));
  }

  /** Fills in addresses the DHT left out from the peer store. */
  private async withAddrs(peers: PeerInfo[]): Promise<PeerInfo[]> {
    const r = this.running;
    if (!r) return peers;
    return Promise.all(
      peers.map(async (p) => {
        if (p.addrs.length > 0) return p;
        const known = await r.libp2p.peerStore.get(peerIdFromString(p.id)).catch(() => undefined);
        return known ? { id: p.id, addrs: descriptorAddrs(known.addresses.map((a) => a.multiaddr)) } : p;
      }),
    );
  }

  // ---- request/response ----

  handle(protocol: string, handler: RequestHandler, opts?: RequestHandlerOptions): void {
    const r = this.running;
    if (!r) {
      this.pendingHandlers.push([protocol, handler, opts]);
      return;
    }
    r.reqres.handle(protocol, handler, opts).catch((err: Error) => this.log.error({ protocol, err: err.message }, 'registering a protocol handler failed'));
  }

  request(peer: string, protocol: string, req: Uint8Array, opts?: RequestOptions): Promise<Uint8Array> {
    return this.need().reqres.request(peer, protocol, req, opts);
  }

  // ---- introspection ----

  peers(): PeerSummary[] {
    const r = this.running;
    if (!r) return [];
    const passive = new Set(r.node.membership.passive().map((p) => p.id));
    const out = new Map<string, PeerSummary>();
    for (const conn of r.libp2p.getConnections()) {
      const id = conn.remotePeer.toString();
      const prev = out.get(id);
      const addrs = [...(prev?.addrs ?? []), conn.remoteAddr.toString()];
      const gossip = r.node.membership.isActive(id) ? 'active' : passive.has(id) ? 'passive' : 'none';
      out.set(id, { id, addrs, direction: prev?.direction ?? conn.direction, gossip });
    }
    return [...out.values()];
  }

  /** For tests and the socket bench: the cores and the driver's frame counters. */
  internals(): { node: GossipNode; counters: GossipDriver['counters']; drops: GossipDriver['drops']; byType: Map<string, number>; libp2p: HostLibp2p } | undefined {
    const r = this.running;
    return r && { node: r.node, counters: r.driver.counters, drops: r.driver.drops, byType: r.driver.byType, libp2p: r.libp2p };
  }

  private need(): NonNullable<Host['running']> {
    if (!this.running) throw ErrHostNotStarted.wrap();
    return this.running;
  }
}

function checkRepoKey(repoKey: Uint8Array): void {
  if (!(repoKey instanceof Uint8Array) || repoKey.length === 0 || repoKey.length > 64) throw ErrHostConfig.wrap(`repoKey must be 1–64 bytes, got ${repoKey?.length}`);
}

/**
 * The libp2p host's public shape: what the node (app/node) builds and calls. The host
 * drives the sans-IO `GossipNode` over real sockets and adds discovery (Kademlia,
 * mDNS, the persisted peer store), request/response streams and the heartbeats that
 * feed the partition detector.
 */
import type { AbstractLevel } from 'abstract-level';
import type { P2PConfig } from '../../node/config.js';
import type { BanConfig } from '../eclipse/bans.js';
import type { DiversityConfig } from '../eclipse/diversity.js';
import type { ScoringConfig } from '../eclipse/scores.js';
import type { HyParViewConfig } from '../hyparview/config.js';
import type { Envelope, EnvelopeBody } from '../messages/envelope.js';
import type { PartitionDetectorConfig, PartitionFigures } from '../partition/detector.js';
import type { PlumtreeConfig } from '../plumtree/config.js';
import type { RateLimit } from '../token-bucket.js';
import type { PeerInfo } from '../types.js';

/** A LevelDB (sub)level with byte values; the node passes `chainDb.sublevel('p2p')`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostDb = AbstractLevel<any, Uint8Array, Uint8Array>;

/** The pino subset the host uses. */
export interface HostLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): HostLogger;
}

export type Verdict = 'accept' | 'reject' | 'ignore';

/** Overrides of the gossip cores' parameters (tests shorten timers). */
export interface GossipOverrides {
  readonly hyparview?: Partial<HyParViewConfig>;
  readonly plumtree?: Partial<PlumtreeConfig>;
  readonly diversity?: Partial<DiversityConfig>;
  readonly scoring?: Partial<ScoringConfig>;
  readonly bans?: Partial<BanConfig>;
  readonly frameRate?: RateLimit;
}

/** Host timers and limits; every field has a default (`HOST_DEFAULTS`). */
export interface HostTimings {
  /** Re-provide `guts-network/<chain-id>` this often (the DHT's reprovider also keeps it alive). */
  readonly announceIntervalMs: number;
  /** A DHT lookup of a random key this often keeps the routing table fresh. */
  readonly randomWalkIntervalMs: number;
  /** Validators sign and broadcast a heartbeat this often (partition detector window 30 s). */
  readonly heartbeatIntervalMs: number;
  /** The partition detector is re-evaluated this often. */
  readonly partitionCheckMs: number;
  /** At most one discovery round (peer store, DHT providers, random walk) per this interval. */
  readonly discoveryCooldownMs: number;
  /** A DHT operation (provide, provider lookup, random walk) gives up after this. */
  readonly dhtQueryTimeoutMs: number;
  /** A gossip dial (connect + protocol negotiation) that takes longer fails. */
  readonly dialTimeoutMs: number;
  /** Default request/response timeout. */
  readonly requestTimeoutMs: number;
  /** Bytes queued per gossip link while the socket drains; beyond it gossip frames are dropped (IHAVE/GRAFT repair). */
  readonly maxQueuedBytesPerPeer: number;
  /** Inbound connections accepted from one IPv4 /24 (IPv6 /48) outside `allow`. */
  readonly maxInboundPer24: number;
}

export interface DhtOptions {
  /** Kademlia alpha (query concurrency); the seed's `DhtConfig.alpha` = 3. */
  readonly alpha: number;
  /** Provider records are valid this long (seed: 24 h). */
  readonly providerTtlMs: number;
  /** How often the DHT checks which provider records to re-publish (seed: 1 h). */
  readonly reprovideIntervalMs: number;
}

export interface P2PHostInit {
  readonly chainId: string;
  /** 64-byte ed25519 (seed ‖ public key) from config/node_key.json. */
  readonly privateKey: Uint8Array;
  readonly config: P2PConfig;
  /** Persistence: the libp2p datastore (peer store, DHT) and the ban list live here. */
  readonly db: HostDb;
  readonly logger: HostLogger;
  /** Application check of a well-formed envelope before delivery and forwarding; 'reject' costs the sender score. */
  readonly validate?: (body: EnvelopeBody, from: string) => Verdict;
  readonly gossip?: GossipOverrides;
  readonly timings?: Partial<HostTimings>;
  readonly dht?: Partial<DhtOptions>;
  readonly partition?: Partial<PartitionDetectorConfig>;
}

export interface ValidatorEntry {
  /** 20-byte consensus address. */
  readonly address: Uint8Array;
  /** 32-byte ed25519 consensus key: verifies the validator's heartbeats. */
  readonly pubKey: Uint8Array;
  readonly power: bigint;
}

export interface HeartbeatSigner {
  readonly address: Uint8Array;
  sign(bytes: Uint8Array): Uint8Array;
}

export interface RequestHandlerOptions {
  /** Larger requests are refused before they are buffered (default 1 MiB). */
  readonly maxRequestBytes?: number;
  /** A larger response is not sent; the caller gets `ErrResponseTooLarge` (default 16 MiB). */
  readonly maxResponseBytes?: number;
  /** The handler must answer within this (default `timings.requestTimeoutMs`). */
  readonly timeoutMs?: number;
}

export interface RequestOptions {
  readonly timeoutMs?: number;
  /** Responses larger than this are refused while reading (default 16 MiB). */
  readonly maxResponseBytes?: number;
}

export type RequestHandler = (req: Uint8Array, from: string) => Promise<Uint8Array>;

export interface PeerSummary {
  readonly id: string;
  readonly addrs: string[];
  readonly direction: 'inbound' | 'outbound';
  readonly gossip: 'active' | 'passive' | 'none';
}

export type PartitionListener = (figures: PartitionFigures) => void;

export interface P2PHost {
  readonly peerId: string;
  /** Listen (or announce) multiaddrs ending in /p2p/<peer id>. */
  addresses(): string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Wraps `body` in an Envelope stamped now and broadcasts it (Plumtree); `direct` also pushes it to the validators' peers. */
  broadcast(body: EnvelopeBody, opts?: { direct?: boolean }): void;
  onDeliver(handler: (env: Envelope, from: string) => void): () => void;
  setValidators(vals: readonly ValidatorEntry[]): void;
  setHeartbeatSigner(signer: HeartbeatSigner | undefined, heightFn: () => bigint): void;
  heardFromValidator(address: Uint8Array): void;
  on(event: 'partitioned' | 'healed', cb: PartitionListener): () => void;
  partitionState(): PartitionFigures & { readonly partitioned: boolean };
  handle(protocol: string, handler: RequestHandler, opts?: RequestHandlerOptions): void;
  request(peer: string, protocol: string, req: Uint8Array, opts?: RequestOptions): Promise<Uint8Array>;
  peers(): PeerSummary[];
  /**
   * The application (consensus, blocksync) found `peer` sending something undecodable,
   * invalid or lying. 'invalid' costs what an invalid gossip message costs (four in a
   * short while ban the peer, the ban is persisted), 'minor' a small penalty; both fade
   * with the gossip scores' half-life. Unknown peer ids, and calls while the host is
   * not running, are ignored.
   */
  reportPeer(peer: string, severity: 'minor' | 'invalid', reason: string): void;
  announce(): Promise<void>;
  findPeers(limit?: number): Promise<PeerInfo[]>;
  announceRepo(repoKey: Uint8Array): Promise<void>;
  findRepoProviders(repoKey: Uint8Array, limit?: number): Promise<PeerInfo[]>;
}

/**
 * The libp2p node the host runs: TCP and WebSockets (QUIC when a listen address asks
 * for it), noise, yamux, identify, ping, Kademlia on `/guts/kad/1.0.0` (k = 20, server
 * mode), optional mDNS (`_guts._tcp.local`), the datastore in the node's home, and a
 * connection gater for bans, the inbound limit and inbound connections per IP group.
 */
import { ErrHostConfig } from './errors.js';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import type { ConnectionGater, Libp2p, PrivateKey } from '@libp2p/interface';
import { kadDHT, type KadDHT } from '@libp2p/kad-dht';
import { mdns } from '@libp2p/mdns';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import type { Datastore } from 'interface-datastore';
import { createLibp2p, type Libp2pOptions } from 'libp2p';
import type { P2PConfig } from '../../node/config.js';
import { addressGroups, parseCidr } from '../eclipse/ip.js';
import { cidrToMultiaddr, dhtAddressMapper, ipOf, parseMultiaddrs } from './addresses.js';
import type { DhtOptions, HostTimings } from './types.js';

export const KAD_PROTOCOL = '/guts/kad/1.0.0';
export const MDNS_SERVICE_TAG = '_guts._tcp.local';

export type HostServices = { identify: unknown; ping: unknown; dht: KadDHT };
export type HostLibp2p = Libp2p<HostServices>;

export interface BuildInit {
  readonly privateKey: PrivateKey;
  readonly config: P2PConfig;
  readonly datastore: Datastore;
  readonly dht: DhtOptions;
  readonly timings: HostTimings;
  readonly isBanned: (peer: string) => boolean;
}

/**
 * QUIC is an optional extra: `@chainsafe/libp2p-quic` is not a dependency because its
 * native packages for platforms other than linux-x64 are missing from the registry, so
 * no lock file that lists it passes `npm ci`. `npm install @chainsafe/libp2p-quic@2.1.1`
 * enables /quic-v1 addresses (2.1.1 runs on Node 20 with libp2p 3; npm would pick 1.1.8
 * otherwise, which does not).
 */
async function loadQuic(): Promise<unknown> {
  const name = '@chainsafe/libp2p-quic';
  try {
    const mod = (await import(name)) as { quic: () => unknown };
    return mod.quic();
  } catch (err) {
    throw ErrHostConfig.wrap(`a /quic-v1 address needs the optional QUIC transport: run \`npm install ${name}@2.1.1\` (${(err as Error).message})`);
  }
}

export async function buildLibp2p(init: BuildInit): Promise<HostLibp2p> {
  const { config, timings } = init;
  parseMultiaddrs(config.listen, 'p2p.listen');
  parseMultiaddrs(config.announce, 'p2p.announce');
  const allow = config.allow.map(cidrToMultiaddr);
  const wantsQuic = [...config.listen, ...config.announce].some((a) => a.includes('/quic'));
  // the QUIC transport loads a native module: only when an address asks for it
  const transports = [tcp(), webSockets()];
  if (wantsQuic) transports.push((await loadQuic()) as unknown as ReturnType<typeof tcp>);
  let node: HostLibp2p | undefined;
  const peerDiscovery: NonNullable<Libp2pOptions['peerDiscovery']> = [];
  if (config.mdns) peerDiscovery.push(mdns({ serviceTag: MDNS_SERVICE_TAG }));
  node = (await createLibp2p({
    start: false,
    privateKey: init.privateKey,
    datastore: init.datastore,
    addresses: { listen: config.listen, announce: config.announce.length > 0 ? config.announce : undefined },
    transports,
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    connectionManager: {
      maxConnections: config.maxInbound + config.maxOutbound,
      allow,
      dialTimeout: timings.dialTimeoutMs,
    },
    // The monitor measures RTTs but does not abort on a failed ping: its pings share
    // /ipfs/ping with the DHT's contact checks and, on a busy event loop, fail on healthy
    // connections (measured: 200+ aborted connections in 20 s among 20 hosts in one
    // process, each re-dialled: a churn that fed itself). A dead peer's socket is closed
    // by its OS; a silent one is found by yamux and HyParView's neighbour timeouts.
    connectionMonitor: { pingInterval: 10_000, abortConnectionOnPingFailure: false },
    connectionGater: gater(init, () => node),
    services: {
      identify: identify(),
      ping: ping({ maxInboundStreams: 8, maxOutboundStreams: 8 }),
      dht: kadDHT({
        protocol: KAD_PROTOCOL,
        kBucketSize: 20,
        alpha: init.dht.alpha,
        clientMode: false,
        peerInfoMapper: dhtAddressMapper(config.allow),
        providers: { provideValidity: Math.ceil(init.dht.providerTtlMs / 1000) },
        reprovide: { interval: init.dht.reprovideIntervalMs, validity: init.dht.providerTtlMs },
      }),
    },
  })) as unknown as HostLibp2p;
  return node;
}

/**
 * Bans (no dial, no inbound), the inbound limit (`maxInbound`; the rest of
 * `maxConnections` stays for this node's own dials) and at most `maxInboundPer24`
 * inbound connections per IPv4 /24 or IPv6 /48. Addresses inside `allow` are exempt.
 */
function gater(init: BuildInit, node: () => HostLibp2p | undefined): ConnectionGater {
  const exempt = init.config.allow.map(parseCidr);
  const isExempt = (ip: string | undefined): boolean => ip !== undefined && exempt.some((f) => f(ip));
  return {
    denyDialPeer: (peer) => init.isBanned(peer.toString()),
    denyInboundEncryptedConnection: (peer) => init.isBanned(peer.toString()),
    denyInboundConnection: (maConn) => {
      const n = node();
      if (!n) return false;
      const inbound = n.getConnections().filter((c) => c.direction === 'inbound');
      if (inbound.length >= init.config.maxInbound) return true;
      const ip = ipOf(maConn.remoteAddr);
      if (ip === undefined || isExempt(ip)) return false;
      const group = addressGroups(ip).narrow;
      return inbound.filter((c) => {
        const cip = ipOf(c.remoteAddr);
        return cip !== undefined && addressGroups(cip).narrow === group;
      }).length >= init.timings.maxInboundPer24;
    },
  };
}

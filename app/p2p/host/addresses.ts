/**
 * Address helpers: the config's CIDRs as libp2p allow-list multiaddrs, the DHT's
 * address filter, and the peer descriptors HyParView gossips (multiaddrs without the
 * /p2p suffix: the peer id travels beside them).
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { isPrivate } from '@libp2p/utils';
import type { PeerInfo as Libp2pPeerInfo } from '@libp2p/interface';
import { parseCidr, parseIpv4, parseIpv6 } from '../eclipse/ip.js';
import { MAX_PEER_ADDRS } from '../types.js';
import { ErrHostConfig } from './errors.js';

/** `127.0.0.0/8` → `/ip4/127.0.0.0/ipcidr/8` (the connection manager's allow-list form). */
export function cidrToMultiaddr(cidr: string): string {
  const [base, bits] = cidr.split('/');
  const n = Number(bits);
  if (parseIpv4(base) !== undefined && /^\d+$/.test(bits ?? '') && n <= 32) return `/ip4/${base}/ipcidr/${n}`;
  if (parseIpv6(base) !== undefined && /^\d+$/.test(bits ?? '') && n <= 128) return `/ip6/${base}/ipcidr/${n}`;
  throw ErrHostConfig.wrap(`p2p.allow: '${cidr}' is not an IPv4 or IPv6 CIDR such as 127.0.0.0/8`);
}

/** Parses every multiaddr of a config list, naming the key on failure. */
export function parseMultiaddrs(list: readonly string[], what: string): Multiaddr[] {
  return list.map((a) => {
    try {
      return multiaddr(a);
    } catch (err) {
      throw ErrHostConfig.wrap(`${what}: '${a}' is not a multiaddr (${(err as Error).message})`);
    }
  });
}

/** The IP (as text) a multiaddr points at, if it has one. */
export function ipOf(ma: Multiaddr | string): string | undefined {
  const parts = (typeof ma === 'string' ? ma : ma.toString()).split('/');
  return parts[1] === 'ip4' || parts[1] === 'ip6' ? parts[2] : undefined;
}

/** A multiaddr without its trailing /p2p/<id>. */
export function withoutPeerId(ma: Multiaddr | string): string {
  const s = typeof ma === 'string' ? ma : ma.toString();
  const i = s.indexOf('/p2p/');
  return i < 0 ? s : s.slice(0, i);
}

/** Up to `MAX_PEER_ADDRS` distinct dialable addresses, TCP first (QUIC and WS follow). */
export function descriptorAddrs(addrs: readonly (Multiaddr | string)[]): string[] {
  const out = [...new Set(addrs.map(withoutPeerId))].filter((a) => ipOf(a) !== undefined && !a.includes('/p2p-circuit'));
  const rank = (a: string): number => (a.includes('/ws') ? 2 : a.includes('/quic') ? 1 : 0);
  return out.sort((a, b) => rank(a) - rank(b)).slice(0, MAX_PEER_ADDRS);
}

/**
 * The DHT's address filter: public addresses pass, private and loopback ones only
 * inside `allow` (a loopback or LAN testnet lists its range there). kad-dht's own
 * `removePrivateAddressesMapper` would leave a loopback testnet with no addresses, and
 * its `removePublicAddressesMapper` a public network.
 */
export function dhtAddressMapper(allow: readonly string[]): (peer: Libp2pPeerInfo) => Libp2pPeerInfo {
  const allowed = allow.map(parseCidr);
  return (peer) => ({
    ...peer,
    multiaddrs: peer.multiaddrs.filter((ma) => {
      if (isPrivate(ma) !== true) return true;
      const ip = ipOf(ma);
      return ip !== undefined && allowed.some((f) => f(ip));
    }),
  });
}

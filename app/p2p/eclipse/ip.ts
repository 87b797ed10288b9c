/**
 * Address groups for the diversity limits. An attacker rents addresses in bulk from
 * one provider, so addresses are grouped by prefix: IPv4 /24 and /16 (the groups
 * Bitcoin Core and go-libp2p-kbucket's peer-diversity filter use), IPv6 /48 and /32
 * (the sizes providers hand to one site and one provider). Anything else (a DNS name,
 * an address we cannot parse) is its own group, so it can never dodge a limit by
 * being unparseable; it just gains nothing from grouping.
 */

export interface AddressGroups {
  /** /24 (IPv4) or /48 (IPv6). */
  readonly narrow: string;
  /** /16 (IPv4) or /32 (IPv6). */
  readonly wide: string;
  readonly ip: string;
}

/** The IPv4 as a uint32, from `1.2.3.4`, `1.2.3.4:9000` or a multiaddr `/ip4/1.2.3.4/...`. */
export function parseIpv4(text: string): number | undefined {
  const m = /^(?:\/ip4\/)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:[:/].*)?$/.exec(text);
  if (!m) return undefined;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    v = v * 256 + o;
  }
  return v;
}

export function formatIpv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Eight 16-bit groups from an IPv6 text or `/ip6/<addr>/...` multiaddr. */
export function parseIpv6(text: string): number[] | undefined {
  const m = /^(?:\/ip6\/)?([0-9a-fA-F:]+)(?:\/.*)?$/.exec(text);
  if (!m || !m[1].includes(':')) return undefined;
  const halves = m[1].split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const h of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return undefined;
      out.push(parseInt(h, 16));
    }
    return out;
  };
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...tail];
}

export function addressGroups(addr: string): AddressGroups {
  const v4 = parseIpv4(addr);
  if (v4 !== undefined) {
    return { ip: formatIpv4(v4), narrow: `4/${v4 >>> 8}`, wide: `4/${v4 >>> 16}` };
  }
  const v6 = parseIpv6(addr);
  if (v6 !== undefined) {
    const hex = v6.map((g) => g.toString(16));
    return { ip: hex.join(':'), narrow: `6/${hex.slice(0, 3).join(':')}`, wide: `6/${hex.slice(0, 2).join(':')}` };
  }
  return { ip: addr, narrow: `?/${addr}`, wide: `?/${addr}` };
}

/** A CIDR block (`127.0.0.0/8`, `::1/128`) as a predicate over address strings. */
export function parseCidr(cidr: string): (addr: string) => boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const v4 = parseIpv4(base);
  if (v4 !== undefined && Number.isInteger(bits) && bits >= 0 && bits <= 32) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (addr) => {
      const ip = parseIpv4(addr);
      return ip !== undefined && ((ip & mask) >>> 0) === ((v4 & mask) >>> 0);
    };
  }
  const v6 = parseIpv6(base);
  if (v6 !== undefined && Number.isInteger(bits) && bits >= 0 && bits <= 128) {
    return (addr) => {
      const ip = parseIpv6(addr);
      if (!ip) return false;
      for (let b = 0; b < bits; b += 16) {
        const take = Math.min(16, bits - b);
        const mask = (0xffff << (16 - take)) & 0xffff;
        if ((ip[b / 16] & mask) !== (v6[b / 16] & mask)) return false;
      }
      return true;
    };
  }
  throw new RangeError(`not a CIDR block: ${cidr} (expected e.g. 127.0.0.0/8 or ::1/128)`);
}

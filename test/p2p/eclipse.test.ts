import { describe, expect, it } from 'vitest';
import { BanList } from '../../app/p2p/eclipse/bans.js';
import { diversityRule } from '../../app/p2p/eclipse/diversity.js';
import { addressGroups, parseCidr, parseIpv4, parseIpv6 } from '../../app/p2p/eclipse/ip.js';
import { RoutingTableFilter, commonPrefixLength } from '../../app/p2p/eclipse/routing-filter.js';
import { PeerScores, SCORING_DEFAULTS } from '../../app/p2p/eclipse/scores.js';

describe('address groups', () => {
  it('reads IPv4 from plain text, host:port and multiaddrs; IPv6 with ::; anything else is its own group', () => {
    expect(parseIpv4('/ip4/45.67.8.9/tcp/26656')).toBe(((45 * 256 + 67) * 256 + 8) * 256 + 9);
    expect(parseIpv4('1.2.3.4:80')).toBe(0x01020304);
    expect(parseIpv4('1.2.3.256')).toBeUndefined();
    expect(parseIpv6('/ip6/2001:db8::1/tcp/1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('1::2::3')).toBeUndefined();
    expect(addressGroups('45.67.8.9')).toMatchObject({ narrow: addressGroups('45.67.8.200').narrow, wide: addressGroups('45.67.99.1').wide });
    expect(addressGroups('/ip6/2001:db8:1::1').wide).toBe(addressGroups('/ip6/2001:db8:ffff::1').wide);
    expect(addressGroups('/dns4/example.org/tcp/1').wide).not.toBe(addressGroups('/dns4/example.net/tcp/1').wide);
    expect(parseCidr('10.0.0.0/8')('/ip4/10.200.1.1/tcp/1')).toBe(true);
    expect(parseCidr('::1/128')('::1')).toBe(true);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(RangeError);
  });
});

describe('diversity limits', () => {
  const rule = diversityRule({ per24: 1, per16: 2 });
  it('admits at most per24 per /24 and per16 per /16; loopback is exempt by default', () => {
    expect(rule('45.67.1.1', ['45.67.1.2'])).toBe(false);
    expect(rule('45.67.2.1', ['45.67.1.2'])).toBe(true);
    expect(rule('45.67.3.1', ['45.67.1.2', '45.67.2.2'])).toBe(false);
    expect(rule('45.68.3.1', ['45.67.1.2', '45.67.2.2'])).toBe(true);
    expect(rule('127.0.0.1', ['127.0.0.2', '127.0.0.3'])).toBe(true);
  });

  it('limits a Kademlia routing table per bucket and per table', () => {
    const f = new RoutingTableFilter();
    expect(f.tryAdd('a', '/ip4/45.67.1.1/tcp/1', 3)).toBe(true);
    expect(f.tryAdd('b', '/ip4/45.67.1.2/tcp/1', 3)).toBe(false); // second of one /24 in a bucket
    expect(f.tryAdd('b', '/ip4/45.67.2.2/tcp/1', 3)).toBe(true);
    expect(f.tryAdd('c', '/ip4/45.67.3.2/tcp/1', 3)).toBe(false); // third of one /16 in a bucket
    expect(f.tryAdd('c', '/ip4/45.67.3.2/tcp/1', 5)).toBe(true); // third in the table
    expect(f.tryAdd('d', '/ip4/45.67.4.2/tcp/1', 6)).toBe(false); // fourth in the table
    f.remove('a');
    expect(f.tryAdd('d', '/ip4/45.67.4.2/tcp/1', 6)).toBe(true);
    expect(f.tryAdd('lo1', '/ip4/127.0.0.1/tcp/1', 1)).toBe(true);
    expect(f.tryAdd('lo2', '/ip4/127.0.0.1/tcp/2', 1)).toBe(true);
    expect(commonPrefixLength(new Uint8Array([0b1010_0000]), new Uint8Array([0b1011_0000]))).toBe(3);
  });
});

describe('peer scores and bans', () => {
  it('bans after four invalid messages in a short while, and a penalty fades with its half-life', () => {
    const s = new PeerScores();
    for (let k = 0; k < 3; k++) expect(s.penalize('p', 'invalid_message', 0)).toBe(false);
    expect(s.penalize('p', 'invalid_message', 0)).toBe(true);
    const q = new PeerScores();
    q.penalize('q', 'invalid_message', 0);
    expect(q.score('q', SCORING_DEFAULTS.halfLifeMs)).toBeCloseTo(-15, 6);
    for (let k = 0; k < 4; k++) q.penalize('q', 'invalid_message', (k + 1) * 10 * SCORING_DEFAULTS.halfLifeMs);
    expect(q.score('q', 50 * SCORING_DEFAULTS.halfLifeMs)).toBeGreaterThan(-100);
  });

  it('bans expire, repeat bans last twice as long, and bans survive a save and load', () => {
    const b = new BanList({ baseMs: 1_000, maxMs: 3_000, memoryMs: 10_000, maxEntries: 10 });
    expect(b.ban('p', 0).until).toBe(1_000);
    expect(b.isBanned('p', 999)).toBe(true);
    expect(b.isBanned('p', 1_000)).toBe(false);
    expect(b.ban('p', 2_000)).toEqual({ peer: 'p', until: 4_000, count: 2 });
    expect(b.ban('p', 5_000).until).toBe(8_000); // capped at maxMs
    const c = new BanList({ baseMs: 1_000, maxMs: 3_000, memoryMs: 10_000, maxEntries: 10 });
    c.load(JSON.parse(JSON.stringify(b.entries())), 6_000);
    expect(c.isBanned('p', 7_999)).toBe(true);
    c.load([{ peer: 'x', until: Number.NaN, count: 1 }] as never, 0);
    expect(c.size).toBe(1);
  });
});

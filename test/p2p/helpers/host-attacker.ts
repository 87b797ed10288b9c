/**
 * A bare libp2p node (TCP, noise, yamux) that speaks the gossip protocol's framing
 * but not its rules: it writes whatever bytes a test gives it to a host's gossip stream.
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p, Stream } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import { GOSSIP_PROTOCOL } from '../../../app/p2p/host/index.js';
import { lengthPrefixed } from '../../../app/p2p/host/gossip-link.js';

export interface Attacker {
  readonly node: Libp2p;
  readonly peerId: string;
  /** Opens a gossip stream to `addr` (throws when the host refuses the dial). */
  open(addr: string): Promise<Stream>;
  stop(): Promise<void>;
}

export async function createAttacker(): Promise<Attacker> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
  });
  return {
    node,
    peerId: node.peerId.toString(),
    open: (addr) => node.dialProtocol(multiaddr(addr), GOSSIP_PROTOCOL, { signal: AbortSignal.timeout(10_000) }),
    stop: async () => {
      await node.stop();
    },
  };
}

/** Writes `frame` with a correct length prefix. */
export function sendFrame(stream: Stream, frame: Uint8Array): void {
  stream.send(lengthPrefixed(frame));
}

/** Writes only a varint length prefix announcing `length` bytes (and a few bytes of body). */
export function sendLengthOnly(stream: Stream, length: number): void {
  stream.send(new Uint8Array([...varint(length), 1, 2, 3, 4]));
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

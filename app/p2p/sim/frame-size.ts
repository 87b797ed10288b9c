/**
 * Encoded size of a frame in bytes, without building it (the simulator counts bytes
 * for every frame it moves). Matches `encodeFrame(m).length`
 * (test/p2p/messages.test.ts checks it).
 */
import protobuf from 'protobufjs/minimal.js';
import type { MessageRef } from '../plumtree/messages.js';
import type { PeerInfo } from '../types.js';
import type { WireMessage } from '../wire.js';

const varint = (v: number): number => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5);
const field = (len: number): number => 1 + varint(len) + len;

const str = (s: string): number => (s.length === 0 ? 0 : field(protobuf.util.utf8.length(s)));
const scalar = (v: number): number => (v ? 1 + varint(v) : 0);

function peerSize(p: PeerInfo): number {
  let n = str(p.id);
  for (const a of p.addrs) n += field(protobuf.util.utf8.length(a));
  return field(n);
}

function refsSize(entries: readonly MessageRef[]): number {
  let n = 0;
  for (const e of entries) n += field(34 + (e.round ? 1 + varint(e.round) : 0));
  return n;
}

export function frameSize(m: WireMessage): number {
  switch (m.type) {
    case 'gossip':
      return field((m.payload.length ? field(m.payload.length) : 0) + (m.round ? 1 + varint(m.round) : 0) + (m.direct ? 2 : 0));
    case 'ihave':
    case 'graft':
      return field(refsSize(m.entries));
    case 'prune':
      return 2;
    case 'join':
      return field(peerSize(m.peer));
    case 'forwardJoin':
      return field(peerSize(m.peer) + scalar(m.ttl));
    case 'neighbor':
      return field(peerSize(m.peer) + 2);
    case 'neighborReply':
      return field(peerSize(m.peer) + (m.accepted ? 2 : 0));
    case 'disconnect':
      return field(m.alive ? 2 : 0);
    case 'shuffle':
      return field(peerSize(m.origin) + scalar(m.ttl) + m.peers.reduce((n, p) => n + peerSize(p), 0) + scalar(m.nonce));
    case 'shuffleReply':
      return field(m.peers.reduce((n, p) => n + peerSize(p), 0) + scalar(m.nonce));
  }
}

/**
 * `guts.p2p.v1.Frame` codec (proto/guts/p2p/v1/gossip.proto): HyParView and Plumtree
 * messages to and from bytes. Hand-written over protobufjs' Reader/Writer so that every
 * limit is checked while decoding; test/p2p/messages.test.ts checks it against
 * protobufjs reflection over the .proto file.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { HyParViewMessage } from '../hyparview/messages.js';
import type { MessageRef } from '../plumtree/messages.js';
import type { PeerInfo } from '../types.js';
import type { WireMessage } from '../wire.js';
import { GossipDecodeError } from './errors.js';
import { FRAME_LIMITS, type FrameLimits } from './limits.js';
import { decodeWith, finish, newWriter, type ProtoCursor } from './proto-reader.js';
import type protobuf from 'protobufjs/minimal.js';

const FIELD = {
  join: 1,
  forwardJoin: 2,
  neighbor: 3,
  neighborReply: 4,
  disconnect: 5,
  shuffle: 6,
  shuffleReply: 7,
  gossip: 8,
  ihave: 9,
  graft: 10,
  prune: 11,
} as const satisfies Record<WireMessage['type'], number>;

const PRIORITY_LOW = 1;
const PRIORITY_HIGH = 2;

// ---- encode ----

export function encodeFrame(m: WireMessage): Uint8Array {
  const w = newWriter();
  w.uint32((FIELD[m.type] << 3) | 2).fork();
  switch (m.type) {
    case 'join':
      writePeer(w, 1, m.peer);
      break;
    case 'forwardJoin':
      writePeer(w, 1, m.peer);
      if (m.ttl) w.uint32(16).uint32(m.ttl);
      break;
    case 'neighbor':
      writePeer(w, 1, m.peer);
      w.uint32(16).uint32(m.priority === 'high' ? PRIORITY_HIGH : PRIORITY_LOW);
      break;
    case 'neighborReply':
      writePeer(w, 1, m.peer);
      if (m.accepted) w.uint32(16).bool(true);
      break;
    case 'disconnect':
      if (m.alive) w.uint32(8).bool(true);
      break;
    case 'shuffle':
      writePeer(w, 1, m.origin);
      if (m.ttl) w.uint32(16).uint32(m.ttl);
      for (const p of m.peers) writePeer(w, 3, p);
      if (m.nonce) w.uint32(32).uint32(m.nonce);
      break;
    case 'shuffleReply':
      for (const p of m.peers) writePeer(w, 1, p);
      if (m.nonce) w.uint32(16).uint32(m.nonce);
      break;
    case 'gossip':
      if (m.payload.length) w.uint32(10).bytes(m.payload);
      if (m.round) w.uint32(16).uint32(m.round);
      if (m.direct) w.uint32(24).bool(true);
      break;
    case 'ihave':
    case 'graft':
      for (const e of m.entries) {
        w.uint32(10).fork().uint32(10).bytes(hexToBytes(e.id));
        if (e.round) w.uint32(16).uint32(e.round);
        w.ldelim();
      }
      break;
    case 'prune':
      break;
  }
  w.ldelim();
  return finish(w);
}

function writePeer(w: protobuf.Writer, field: number, p: PeerInfo): void {
  w.uint32((field << 3) | 2).fork();
  if (p.id) w.uint32(10).string(p.id);
  for (const a of p.addrs) w.uint32(18).string(a);
  w.ldelim();
}

// ---- decode ----

/** Decodes one frame. Throws only `GossipDecodeError`. */
export function decodeFrame(bytes: Uint8Array, limits: FrameLimits = FRAME_LIMITS): WireMessage {
  return decodeWith(bytes, limits.maxFrameBytes, 'frame', (c) => {
    let out: WireMessage | undefined;
    for (let f = c.next(); f; f = c.next()) {
      const [field, wt] = f;
      const body = (what: string): ProtoCursor => c.message(wt, limits.maxFrameBytes, what);
      switch (field) {
        case FIELD.join:
          out = readJoin(body('join'), limits);
          break;
        case FIELD.forwardJoin:
          out = readForwardJoin(body('forward_join'), limits);
          break;
        case FIELD.neighbor:
          out = readNeighbor(body('neighbor'), limits);
          break;
        case FIELD.neighborReply:
          out = readNeighborReply(body('neighbor_reply'), limits);
          break;
        case FIELD.disconnect:
          out = readDisconnect(body('disconnect'));
          break;
        case FIELD.shuffle:
          out = readShuffle(body('shuffle'), limits);
          break;
        case FIELD.shuffleReply:
          out = readShuffleReply(body('shuffle_reply'), limits);
          break;
        case FIELD.gossip:
          out = readGossip(body('gossip'), limits);
          break;
        case FIELD.ihave:
          out = { type: 'ihave', entries: readRefs(body('ihave'), limits, 'ihave') };
          break;
        case FIELD.graft:
          out = { type: 'graft', entries: readRefs(body('graft'), limits, 'graft') };
          break;
        case FIELD.prune: {
          const b = body('prune');
          for (let g = b.next(); g; g = b.next()) b.skip(g[1]);
          b.finish('prune');
          out = { type: 'prune' };
          break;
        }
        default:
          c.skip(wt);
      }
    }
    c.finish('frame');
    if (!out) throw new GossipDecodeError('unknown_type', 'frame carries no known message');
    return out;
  });
}

function readPeer(c: ProtoCursor, l: FrameLimits, what: string): PeerInfo {
  let id = '';
  const addrs: string[] = [];
  for (let f = c.next(); f; f = c.next()) {
    const [field, wt] = f;
    if (field === 1) id = c.string(wt, l.maxPeerIdLength, `${what}.id`);
    else if (field === 2) {
      if (addrs.length >= l.maxAddrs) throw new GossipDecodeError('invalid_field', `${what}: more than ${l.maxAddrs} addrs`);
      addrs.push(c.string(wt, l.maxAddrLength, `${what}.addrs`));
    } else c.skip(wt);
  }
  c.finish(what);
  if (id === '') throw new GossipDecodeError('missing_field', `${what}.id`);
  return { id, addrs };
}

/** Reads the one required PeerInfo at field 1 plus the scalar fields the caller handles. */
function readWithPeer(c: ProtoCursor, l: FrameLimits, what: string, scalar: (field: number, wt: number) => boolean): PeerInfo {
  let peer: PeerInfo | undefined;
  for (let f = c.next(); f; f = c.next()) {
    const [field, wt] = f;
    if (field === 1) peer = readPeer(c.message(wt, l.maxFrameBytes, `${what}.peer`), l, `${what}.peer`);
    else if (!scalar(field, wt)) c.skip(wt);
  }
  c.finish(what);
  if (!peer) throw new GossipDecodeError('missing_field', `${what}.peer`);
  return peer;
}

function ttlOf(c: ProtoCursor, wt: number, l: FrameLimits, what: string): number {
  const ttl = c.uint32(wt, what);
  if (ttl > l.maxTtl) throw new GossipDecodeError('invalid_field', `${what} ${ttl} is over ${l.maxTtl}`);
  return ttl;
}

function readJoin(c: ProtoCursor, l: FrameLimits): HyParViewMessage {
  return { type: 'join', peer: readWithPeer(c, l, 'join', () => false) };
}

function readForwardJoin(c: ProtoCursor, l: FrameLimits): HyParViewMessage {
  let ttl = 0;
  const peer = readWithPeer(c, l, 'forward_join', (field, wt) => {
    if (field !== 2) return false;
    ttl = ttlOf(c, wt, l, 'forward_join.ttl');
    return true;
  });
  return { type: 'forwardJoin', peer, ttl };
}

function readNeighbor(c: ProtoCursor, l: FrameLimits): HyParViewMessage {
  let p = 0;
  const peer = readWithPeer(c, l, 'neighbor', (field, wt) => {
    if (field !== 2) return false;
    p = c.uint32(wt, 'neighbor.priority');
    return true;
  });
  if (p !== PRIORITY_LOW && p !== PRIORITY_HIGH) throw new GossipDecodeError('invalid_field', `neighbor.priority ${p}`);
  return { type: 'neighbor', peer, priority: p === PRIORITY_HIGH ? 'high' : 'low' };
}

function readNeighborReply(c: ProtoCursor, l: FrameLimits): HyParViewMessage {
  let accepted = false;
  const peer = readWithPeer(c, l, 'neighbor_reply', (field, wt) => {
    if (field !== 2) return false;
    accepted = c.bool(wt, 'neighbor_reply.accepted');
    return true;
  });
  return { type: 'neighborReply', peer, accepted };
}

function readDisconnect(c: ProtoCursor): HyParViewMessage {
  let alive = false;
  for (let f = c.next(); f; f = c.next()) {
    if (f[0] === 1) alive = c.bool(f[1], 'disconnect.alive');
    else c.skip(f[1]);
  }
  c.finish('disconnect');
  return { type: 'disconnect', alive };
}

function readPeerList(c: ProtoCursor, wt: number, l: FrameLimits, list: PeerInfo[], what: string): void {
  if (list.length >= l.maxPeers) throw new GossipDecodeError('invalid_field', `${what}: more than ${l.maxPeers} peers`);
  list.push(readPeer(c.message(wt, l.maxFrameBytes, what), l, what));
}

function readShuffle(c: ProtoCursor, l: FrameLimits): HyParViewMessage {
  let ttl = 0;
  let nonce = 0;
  const peers: PeerInfo[] = [];
  const origin = readWithPeer(c, l, 'shuffle', (field, wt) => {
    if (field === 2) ttl = ttlOf(c, wt, l, 'shuffle.ttl');
    else if (field === 3) readPeerList(c, wt, l, peers, 'shuffle.peers');
    else if (field === 4) nonce = c.uint32(wt, 'shuffle.nonce');
    else return false;
    return true;
  });
  return { type: 'shuffle', origin, ttl, peers, nonce };
}

function readShuffleReply(c: ProtoCursor, l: FrameLimits): HyParViewMessage {
  let nonce = 0;
  const peers: PeerInfo[] = [];
  for (let f = c.next(); f; f = c.next()) {
    const [field, wt] = f;
    if (field === 1) readPeerList(c, wt, l, peers, 'shuffle_reply.peers');
    else if (field === 2) nonce = c.uint32(wt, 'shuffle_reply.nonce');
    else c.skip(wt);
  }
  c.finish('shuffle_reply');
  return { type: 'shuffleReply', peers, nonce };
}

function readGossip(c: ProtoCursor, l: FrameLimits): WireMessage {
  let payload: Uint8Array = new Uint8Array(0);
  let round = 0;
  let direct = false;
  for (let f = c.next(); f; f = c.next()) {
    const [field, wt] = f;
    if (field === 1) payload = c.bytes(wt, l.maxPayloadBytes, 'gossip.payload');
    else if (field === 2) round = c.uint32(wt, 'gossip.round');
    else if (field === 3) direct = c.bool(wt, 'gossip.direct');
    else c.skip(wt);
  }
  c.finish('gossip');
  return direct ? { type: 'gossip', payload, round, direct } : { type: 'gossip', payload, round };
}

function readRefs(c: ProtoCursor, l: FrameLimits, what: string): MessageRef[] {
  const out: MessageRef[] = [];
  for (let f = c.next(); f; f = c.next()) {
    const [field, wt] = f;
    if (field !== 1) {
      c.skip(wt);
      continue;
    }
    if (out.length >= l.maxRefs) throw new GossipDecodeError('invalid_field', `${what}: more than ${l.maxRefs} entries`);
    const e = c.message(wt, 64, `${what}.entries`);
    let id: Uint8Array | undefined;
    let round = 0;
    for (let g = e.next(); g; g = e.next()) {
      if (g[0] === 1) id = e.bytes(g[1], 32, `${what}.entries.id`);
      else if (g[0] === 2) round = e.uint32(g[1], `${what}.entries.round`);
      else e.skip(g[1]);
    }
    e.finish(`${what}.entries`);
    if (!id || id.length !== 32) throw new GossipDecodeError('invalid_field', `${what}.entries.id must be 32 bytes`);
    out.push({ id: bytesToHex(id), round });
  }
  c.finish(what);
  return out;
}

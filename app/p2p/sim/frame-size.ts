/**
 * Encoded size of a frame in bytes, without building it for the frequent kinds (the
 * simulator counts bytes for every frame it moves). Matches `encodeFrame(m).length`
 * (test/p2p/messages.test.ts checks it).
 */
import { encodeFrame } from '../messages/frame.js';
import type { MessageRef } from '../plumtree/messages.js';
import type { WireMessage } from '../wire.js';

const varint = (v: number): number => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5);
const field = (len: number): number => 1 + varint(len) + len;

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
    default:
      return encodeFrame(m).length;
  }
}

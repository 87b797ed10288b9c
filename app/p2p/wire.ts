/**
 * Everything one gossip node says to another: HyParView membership messages and
 * Plumtree broadcast messages share one frame type on the wire
 * (`proto/guts/p2p/v1/gossip.proto`, `Frame`).
 */
import type { HyParViewMessage } from './hyparview/messages.js';
import type { PlumtreeMessage } from './plumtree/messages.js';

export type WireMessage = HyParViewMessage | PlumtreeMessage;

const MEMBERSHIP = new Set<WireMessage['type']>(['join', 'forwardJoin', 'neighbor', 'neighborReply', 'disconnect', 'shuffle', 'shuffleReply']);

export function isMembershipMessage(m: WireMessage): m is HyParViewMessage {
  return MEMBERSHIP.has(m.type);
}

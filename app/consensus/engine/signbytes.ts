/**
 * Sign bytes of a vote or proposal, memoized per message object and chain id. A vote is
 * verified once per receiver, but gossip hands the same decoded object to several code
 * paths (and the simulator to every node); messages are never mutated once decoded or
 * signed (new objects are made instead), so the cache is safe.
 */
import type { Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import { proposalSignBytes, voteSignBytes } from '../encoding/canonical.js';

const cache = new WeakMap<object, { chainId: string; bytes: Uint8Array }>();

function cached<T extends object>(chainId: string, msg: T, make: (chainId: string, msg: T) => Uint8Array): Uint8Array {
  const hit = cache.get(msg);
  if (hit && hit.chainId === chainId) return hit.bytes;
  const bytes = make(chainId, msg);
  cache.set(msg, { chainId, bytes });
  return bytes;
}

export const voteBytes = (chainId: string, v: Vote): Uint8Array => cached(chainId, v, voteSignBytes);
export const proposalBytes = (chainId: string, p: Proposal): Uint8Array => cached(chainId, p, proposalSignBytes);

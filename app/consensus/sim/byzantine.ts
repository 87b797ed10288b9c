/**
 * Byzantine behaviours. A Byzantine node runs the honest engine but tampers with what
 * leaves it, signing directly with its key (no double-sign protection):
 * - `equivocate`: every own vote also goes out with a conflicting one (nil ↔ a random
 *   block), and every own proposal with a second block; peers get one, the other or both;
 * - `unknown-blocks`: own votes name random blocks nobody proposed;
 * - `invalid-proposals`: its blocks are ones the app rejects;
 * - `silent`: sends nothing, answers nothing;
 * - `future-flood`: behaves, but every 250 ms floods far-future votes and malformed,
 *   wrong-chain and oversized messages.
 */
import type { BlockID, Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { isZeroBlockId, proposalSignBytes, voteSignBytes } from '../encoding/canonical.js';
import { timestampFromMs } from '../encoding/time.js';
import { ZERO_BLOCK_ID } from '../engine/ids.js';
import type { ConsensusMessage } from '../engine/types.js';
import type { SimNode } from './node.js';
import type { Rng } from './rng.js';

export const FLOOD_INTERVAL_MS = 250;
/** Larger than the simulator's maxBlockBytes. */
const OVERSIZED = new Uint8Array(70_000);

function randomBlockId(rng: Rng): BlockID {
  return { hash: rng.bytes(32), partSetHeader: { total: 1, hash: rng.bytes(32) } };
}

function signVote(node: SimNode, v: Vote, chainId = node.cluster.chainId): Vote {
  return { ...v, signature: node.key.sign(voteSignBytes(chainId, v)) };
}

function sendSplit(node: SimNode, a: ConsensusMessage, b: ConsensusMessage): void {
  const c = node.cluster;
  for (let to = 0; to < c.size(); to++) {
    if (to === node.index) continue;
    const r = node.rng.int(4);
    const first = r === 1 || r === 3 ? b : a;
    c.send(node.index, to, { kind: 'consensus', msg: first });
    if (r >= 2) c.send(node.index, to, { kind: 'consensus', msg: first === a ? b : a });
  }
}

const ownVote = (node: SimNode, m: ConsensusMessage): m is { type: 'vote'; vote: Vote } =>
  m.type === 'vote' && m.vote.validatorAddress.every((x, i) => x === node.address[i]);

export function byzantineBroadcast(node: SimNode, msg: ConsensusMessage): void {
  const c = node.cluster;
  switch (node.behaviour) {
    case 'silent':
      return;
    case 'equivocate':
      if (ownVote(node, msg)) {
        const alt = signVote(node, { ...msg.vote, blockId: isZeroBlockId(msg.vote.blockId) ? randomBlockId(node.rng) : ZERO_BLOCK_ID });
        return sendSplit(node, msg, { type: 'vote', vote: alt });
      }
      if (msg.type === 'proposal') {
        const p = msg.proposal;
        const built = node.app.build(p.height, p.round, node.address, c.wallNow(), node.rng.bytes(8), false);
        const alt: Proposal = { ...p, polRound: -1, blockId: built.blockId };
        alt.signature = node.key.sign(proposalSignBytes(c.chainId, alt));
        return sendSplit(node, msg, { type: 'proposal', proposal: alt, block: built.block });
      }
      break;
    case 'unknown-blocks':
      if (ownVote(node, msg)) {
        const v = signVote(node, { ...msg.vote, blockId: randomBlockId(node.rng) });
        return c.broadcast(node.index, { kind: 'consensus', msg: { type: 'vote', vote: v } });
      }
      break;
  }
  c.broadcast(node.index, { kind: 'consensus', msg });
}

/** Whether this node's next block should be one the app rejects. */
export function byzantineBuild(node: SimNode): boolean {
  return node.behaviour === 'invalid-proposals';
}

/** One burst of junk from a `future-flood` node. */
export function floodOnce(node: SimNode): void {
  const c = node.cluster;
  const st = node.engine?.state();
  if (!st) return;
  const now = timestampFromMs(c.wallNow());
  const index = c.validatorsAt(st.height).validators.findIndex((v) => v.address.every((x, i) => x === node.address[i]));
  const base: Vote = {
    type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
    height: st.height,
    round: st.round,
    blockId: ZERO_BLOCK_ID,
    timestamp: now,
    validatorAddress: node.address,
    validatorIndex: Math.max(0, index),
    signature: new Uint8Array(64),
    extension: new Uint8Array(0),
    extensionSignature: new Uint8Array(0),
  };
  const junk: ConsensusMessage[] = [];
  for (let i = 0; i < 8; i++) {
    junk.push({ type: 'vote', vote: signVote(node, { ...base, height: st.height + 2n + BigInt(node.rng.int(1_000_000)), round: node.rng.int(50) }) });
  }
  junk.push({ type: 'vote', vote: { ...base, signature: node.rng.bytes(64) } }); // invalid signature
  junk.push({ type: 'vote', vote: signVote(node, base, `${c.chainId}-fork`) }); // wrong chain
  junk.push({ type: 'vote', vote: { ...base, signature: new Uint8Array(10) } }); // malformed
  junk.push({ type: 'vote', vote: signVote(node, { ...base, validatorIndex: 10_000 }) }); // unknown validator
  const p: Proposal = { type: SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL, height: st.height, round: st.round, polRound: -1, blockId: randomBlockId(node.rng), timestamp: now, signature: new Uint8Array(64) };
  junk.push({ type: 'proposal', proposal: p, block: OVERSIZED }); // oversized
  for (const m of junk) c.broadcast(node.index, { kind: 'consensus', msg: m });
}
